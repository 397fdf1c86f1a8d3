import type { Context, Middleware, Next } from "koa";
import type Provider from "oidc-provider";
import { errors } from "oidc-provider";
import type { Logger } from "pino";
import { PAGE_HEADERS, renderConsentPage, renderErrorPage, renderLoginPage, type ConsentPage } from "./pages.ts";
import { FormError, readForm } from "./read-form.ts";
import type { ResourceCatalog } from "./resources.ts";
import { mayHold, type UserDirectory } from "./users.ts";

type Interaction = Awaited<ReturnType<Provider["interactionDetails"]>>;

interface InteractionDeps {
  readonly provider: Provider;
  readonly users: UserDirectory;
  readonly resources: ResourceCatalog;
  readonly logger: Logger;
}

type Step = "show" | "login" | "consent" | "abort";
const ROUTE = /^\/interaction\/([\w-]{1,64})(?:\/(login|consent|abort))?$/;

/**
 * The login and consent pages oidc-provider sends the browser to (`interactions.url`):
 * GET /interaction/:uid shows the pending prompt; POST …/login, …/consent and …/abort answer it.
 * The interaction cookie (SameSite=Lax, path-scoped to the interaction) ties each POST to the
 * browser that started the authorization request, so a cross-site form cannot submit one.
 */
export function interactionRoutes(deps: InteractionDeps): Middleware {
  const steps: Record<Step, (ctx: Context, interaction: Interaction) => Promise<void>> = {
    show: (ctx, interaction) => showPrompt(deps, ctx, interaction),
    login: (ctx, interaction) => submitLogin(deps, ctx, interaction),
    consent: (ctx, interaction) => submitConsent(deps, ctx, interaction),
    abort: (ctx) => abort(deps, ctx),
  };
  return async function interactions(ctx: Context, next: Next): Promise<void> {
    const match = ROUTE.exec(ctx.path);
    if (!match) return next();
    const step: Step = (match[2] as Step | undefined) ?? "show";
    if ((step === "show") !== (ctx.method === "GET" || ctx.method === "HEAD")) {
      ctx.status = 405;
      ctx.set("allow", step === "show" ? "GET" : "POST");
      return;
    }
    try {
      const interaction = await deps.provider.interactionDetails(ctx.req, ctx.res);
      if (interaction.uid !== match[1]) throw new errors.SessionNotFound("interaction uid does not match the interaction cookie");
      await steps[step](ctx, interaction);
    } catch (error) {
      if (error instanceof errors.SessionNotFound) {
        page(ctx, 400, renderErrorPage("Sign-in expired", "This sign-in request has expired or was already used. Start again from your application."));
      } else if (error instanceof FormError) {
        page(ctx, error.status, renderErrorPage("Bad request", error.message));
      } else {
        deps.logger.error({ err: error, path: ctx.path }, "authorization server interaction failed");
        page(ctx, 500, renderErrorPage("Something went wrong", "The request could not be completed. Start again from your application."));
      }
    }
  };
}

async function showPrompt(deps: InteractionDeps, ctx: Context, interaction: Interaction): Promise<void> {
  const clientName = await clientNameOf(deps.provider, interaction);
  switch (interaction.prompt.name) {
    case "login":
      return page(ctx, 200, renderLoginPage({ uid: interaction.uid, clientName }));
    case "consent":
      return page(ctx, 200, renderConsentPage(consentModel(deps, interaction, clientName)));
    default:
      throw new Error(`unsupported prompt ${interaction.prompt.name}`);
  }
}

async function submitLogin({ provider, users }: InteractionDeps, ctx: Context, interaction: Interaction): Promise<void> {
  expectPrompt(interaction, "login");
  const form = await readForm(ctx.req);
  const username = form.get("username") ?? "";
  const user = users.authenticate(username, form.get("password") ?? "");
  if (!user) {
    const clientName = await clientNameOf(provider, interaction);
    return page(ctx, 200, renderLoginPage({ uid: interaction.uid, clientName, username, error: "Wrong username or password." }));
  }
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
  seeOther(ctx, returnTo);
}

/**
 * Grants the ticked resource scopes and rejects the rest, so oidc-provider neither issues nor asks
 * again for an unticked one. API scopes are also OIDC "static" scopes (so that clients may
 * register them in `scope`); as OIDC scopes they are always rejected: they live on the resource.
 */
async function submitConsent({ provider, resources, users }: InteractionDeps, ctx: Context, interaction: Interaction): Promise<void> {
  expectPrompt(interaction, "consent");
  const form = await readForm(ctx.req);
  if (form.get("decision") !== "allow") {
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, { error: "access_denied", error_description: "the user denied the request" }, { mergeWithLastSubmission: false });
    return seeOther(ctx, returnTo);
  }
  const accountId = interaction.session?.accountId;
  if (!accountId) throw new errors.SessionNotFound("consent without a signed-in user");
  const details = interaction.prompt.details as ConsentDetails;
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId: String(interaction.params.client_id) });

  for (const scope of details.missingOIDCScope ?? []) {
    if (resources.isApiScope(scope)) grant.rejectOIDCScope(scope);
    else grant.addOIDCScope(scope);
  }
  if (details.missingOIDCClaims?.length) grant.addOIDCClaims(details.missingOIDCClaims);
  const ticked = new Set(form.getAll("scope"));
  // A privileged scope is granted only to a user who may hold it, whatever the form says.
  const user = users.get(accountId);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    const granted = scopes.filter((scope) => ticked.has(scope) && (!resources.privileged.has(scope) || mayHold(user, scope)));
    const rejected = scopes.filter((scope) => !granted.includes(scope));
    if (granted.length) grant.addResourceScope(indicator, granted);
    if (rejected.length) grant.rejectResourceScope(indicator, rejected);
  }
  const grantId = await grant.save();
  const consent = existing ? {} : { grantId };
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, { consent }, { mergeWithLastSubmission: true });
  seeOther(ctx, returnTo);
}

async function abort({ provider }: InteractionDeps, ctx: Context): Promise<void> {
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, { error: "access_denied", error_description: "the user cancelled the sign-in" }, { mergeWithLastSubmission: false });
  seeOther(ctx, returnTo);
}

interface ConsentDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

function consentModel({ resources, users }: InteractionDeps, interaction: Interaction, clientName: string): ConsentPage {
  const details = interaction.prompt.details as ConsentDetails;
  const accountId = interaction.session?.accountId ?? "";
  const user = users.get(accountId);
  return {
    uid: interaction.uid,
    clientName,
    username: user?.name ? `${user.name} (${accountId})` : accountId,
    redirectUri: typeof interaction.params.redirect_uri === "string" ? interaction.params.redirect_uri : undefined,
    resources: Object.entries(details.missingResourceScopes ?? {}).map(([indicator, scopes]) => ({
      resource: indicator,
      name: resources.get(indicator)?.name ?? indicator,
      // Privileged scopes are not even offered to users who cannot be granted them.
      scopes: scopes.filter((scope) => !resources.privileged.has(scope) || mayHold(user, scope)),
    })),
    otherScopes: (details.missingOIDCScope ?? []).filter((scope) => !resources.isApiScope(scope)),
  };
}

function expectPrompt(interaction: Interaction, name: string): void {
  if (interaction.prompt.name !== name) throw new errors.SessionNotFound(`the pending prompt is ${interaction.prompt.name}, not ${name}`);
}

async function clientNameOf(provider: Provider, interaction: Interaction): Promise<string> {
  const clientId = String(interaction.params.client_id);
  const client = await provider.Client.find(clientId);
  return client?.clientName ?? clientId;
}

function page(ctx: Context, status: number, html: string): void {
  ctx.status = status;
  ctx.set(PAGE_HEADERS);
  ctx.type = "html";
  ctx.body = html;
}

function seeOther(ctx: Context, location: string): void {
  ctx.redirect(location);
  ctx.status = 303;
  ctx.set("cache-control", "no-store");
}
