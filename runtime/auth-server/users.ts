import { createHash, timingSafeEqual } from "node:crypto";

/** A user who can sign in, as the caller configures them. */
export interface UserEntry {
  readonly username: string;
  readonly password: string;
  readonly tenant: string;
  readonly email?: string;
  readonly name?: string;
  readonly groups?: readonly string[];
  /** May be granted every privileged scope (the gateway's admin scope). */
  readonly admin?: boolean;
  /** Privileged scopes this user may be granted without being an admin (e.g. a tenant admin's). */
  readonly privilegedScopes?: readonly string[];
}

/** Users by username, with a password check that takes the same time whether or not the user exists. */
export class UserDirectory {
  readonly #users: ReadonlyMap<string, UserEntry>;
  readonly #digests: ReadonlyMap<string, Buffer>;
  // Compared against when the username is unknown, so a miss costs what a hit costs.
  readonly #decoy = digest("toolgate:no-such-user");

  constructor(users: readonly UserEntry[]) {
    const byName = new Map<string, UserEntry>();
    for (const [index, user] of users.entries()) {
      if (!user || typeof user.username !== "string" || user.username === "") throw new TypeError(`users[${index}].username must be a non-empty string`);
      if (typeof user.password !== "string" || user.password === "") throw new TypeError(`users[${index}].password must be a non-empty string (user "${user.username}")`);
      if (typeof user.tenant !== "string" || user.tenant === "") throw new TypeError(`users[${index}].tenant must be a non-empty string (user "${user.username}")`);
      if (byName.has(user.username)) throw new TypeError(`users[${index}].username "${user.username}" is listed twice`);
      byName.set(user.username, Object.freeze({ ...user, groups: user.groups ? Object.freeze([...user.groups]) : undefined }));
    }
    this.#users = byName;
    this.#digests = new Map([...byName.values()].map((user) => [user.username, digest(user.password)]));
  }

  get(username: string): UserEntry | undefined {
    return this.#users.get(username);
  }

  /** The user whose name and password these are, or undefined. */
  authenticate(username: string, password: string): UserEntry | undefined {
    const expected = this.#digests.get(username) ?? this.#decoy;
    const matches = timingSafeEqual(expected, digest(password));
    return matches && this.#digests.has(username) ? this.#users.get(username) : undefined;
  }
}

// Hashing first gives both sides the same length, which timingSafeEqual requires.
function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/** Whether a user may be granted a privileged scope. */
export function mayHold(user: UserEntry | undefined, scope: string): boolean {
  return user?.admin === true || (user?.privilegedScopes?.includes(scope) ?? false);
}
