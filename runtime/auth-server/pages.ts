import { isWriteScope } from "./resources.ts";

/** Escapes a value for HTML text and double-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Headers for every page: no caching, no framing (a framed consent page is a clickjacking target), no scripts. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

const STYLE = `body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.4rem}fieldset{border:1px solid #ccc;border-radius:6px;margin:1rem 0}legend{font-weight:600}
label{display:block;margin:.4rem 0}input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}
.error{color:#b00020}.hint{color:#555;font-size:.9rem}.write{color:#8a4b00}button{padding:.5rem 1rem;margin-right:.5rem}`;

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

export interface LoginPage {
  readonly uid: string;
  readonly clientName: string;
  readonly username?: string;
  readonly error?: string;
}

export function renderLoginPage(page: LoginPage): string {
  const action = `/interaction/${encodeURIComponent(page.uid)}`;
  return layout("Sign in", `<h1>Sign in</h1>
<p><strong>${escapeHtml(page.clientName)}</strong> wants to connect to your account.</p>
${page.error ? `<p class="error" role="alert">${escapeHtml(page.error)}</p>` : ""}
<form method="post" action="${escapeHtml(`${action}/login`)}" autocomplete="on">
<label>Username <input type="text" name="username" value="${escapeHtml(page.username ?? "")}" autocomplete="username" required autofocus></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>
<form method="post" action="${escapeHtml(`${action}/abort`)}"><button type="submit">Cancel</button></form>`);
}

export interface ConsentPage {
  readonly uid: string;
  readonly clientName: string;
  readonly username: string;
  /** Where the browser goes after the decision (the host is shown to help spot phishing). */
  readonly redirectUri?: string;
  /** The scopes asked for, grouped by resource. */
  readonly resources: readonly { readonly name: string; readonly resource: string; readonly scopes: readonly string[] }[];
  /** OpenID Connect scopes asked for (openid, offline_access), granted with the decision. */
  readonly otherScopes: readonly string[];
}

export function renderConsentPage(page: ConsentPage): string {
  const action = `/interaction/${encodeURIComponent(page.uid)}/consent`;
  const redirectHost = page.redirectUri ? URL.parse(page.redirectUri)?.host : undefined;
  const groups = page.resources.map((group) => `<fieldset><legend>${escapeHtml(group.name)}</legend>
<p class="hint">${escapeHtml(group.resource)}</p>
${group.scopes.map((scope) => {
    const write = isWriteScope(scope);
    return `<label${write ? ' class="write"' : ""}><input type="checkbox" name="scope" value="${escapeHtml(scope)}"${write ? "" : " checked"}> ${escapeHtml(scope)}${write ? " (makes changes)" : ""}</label>`;
  }).join("\n")}
</fieldset>`).join("\n");
  const other = page.otherScopes.length
    ? `<p class="hint">Also: ${page.otherScopes.map((scope) => escapeHtml(scope === "offline_access" ? "stay connected (offline_access)" : scope)).join(", ")}.</p>`
    : "";
  return layout("Authorize access", `<h1>Authorize access</h1>
<p><strong>${escapeHtml(page.clientName)}</strong> asks to act as <strong>${escapeHtml(page.username)}</strong>.</p>
<form method="post" action="${escapeHtml(action)}">
${groups}
${other}
<p class="hint">Write permissions are off unless you tick them.${redirectHost ? ` You will be sent back to ${escapeHtml(redirectHost)}.` : ""}</p>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`);
}

export function renderErrorPage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}
