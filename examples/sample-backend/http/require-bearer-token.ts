import { timingSafeEqual } from 'node:crypto';
import type { Context, Middleware, Next } from 'koa';
import { UnauthorizedError } from '../errors.ts';

const BEARER = /^Bearer +(\S+)$/i;

/** Rejects every request whose `Authorization: Bearer …` token does not equal the configured token. */
export function requireBearerToken(token: string): Middleware {
  const expected = Buffer.from(token);
  return async function checkBearerToken(ctx: Context, next: Next) {
    const presented = Buffer.from(BEARER.exec(ctx.get('authorization'))?.[1] ?? '');
    // timingSafeEqual needs equal lengths; checking the length first reveals only the length.
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) throw new UnauthorizedError();
    await next();
  };
}
