import type { Context, Next } from 'koa';
import { toErrorBody } from '../errors.ts';

/** The one place an error becomes a response; anything unexpected is logged and answered generically. */
export async function renderErrors(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error) {
    const { status, body } = toErrorBody(error);
    if (status >= 500) console.error('sample-backend: unhandled error on %s %s', ctx.method, ctx.path, error);
    ctx.status = status;
    ctx.body = body;
  }
}
