import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { UserEntry } from "../auth-server/users.ts";
import { StartupError } from "../errors.ts";

/** A user of the embedded authorization server. */
export type EmbeddedUser = UserEntry;

/**
 * Reads the embedded issuer's users file once at start-up (`toolgate generate` has checked it
 * exists; its contents are checked here, naming the entry at fault).
 */
export function readUsersFile(path: string): EmbeddedUser[] {
  let document: unknown;
  try {
    document = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new StartupError(`auth.users_file ${path}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  const users = (document as { users?: unknown } | null)?.users;
  if (!Array.isArray(users)) throw new StartupError(`auth.users_file ${path}: expected a \`users:\` list`);
  const seen = new Set<string>();
  return users.map((user: Record<string, unknown>, index) => {
    const where = `auth.users_file ${path}: users[${index}]`;
    for (const key of ["username", "password", "tenant"]) {
      if (typeof user?.[key] !== "string" || user[key] === "") throw new StartupError(`${where} needs a non-empty ${key}`);
    }
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(user.tenant as string)) throw new StartupError(`${where}: tenant ${JSON.stringify(user.tenant)} is not a valid tenant id`);
    if (seen.has(user.username as string)) throw new StartupError(`${where}: username ${JSON.stringify(user.username)} appears twice`);
    seen.add(user.username as string);
    return {
      username: user.username as string,
      password: user.password as string,
      tenant: user.tenant as string,
      ...(typeof user.email === "string" ? { email: user.email } : {}),
      ...(typeof user.name === "string" ? { name: user.name } : {}),
      ...(Array.isArray(user.groups) ? { groups: user.groups.filter((group): group is string => typeof group === "string") } : {}),
      ...(user.admin === true ? { admin: true } : {}),
      ...(Array.isArray(user.privileged_scopes) ? { privilegedScopes: user.privileged_scopes.filter((scope): scope is string => typeof scope === "string") } : {}),
    };
  });
}
