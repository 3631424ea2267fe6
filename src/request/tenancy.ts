/**
 * The tenancy mutations' commands, bound to the request's Subject: API tokens (created, listed,
 * revoked) and built-in role bindings (created, listed, deleted). Failures the caller can act on
 * are values (`userErrors`, Shopify's convention), never thrown.
 */

export interface UserError {
  /** The input field at fault, as a path ("input", "roles", "0", "namespace"); empty for none. */
  field: string[];
  message: string;
  /** BAD_USER_INPUT, FORBIDDEN, NOT_FOUND, UNAVAILABLE. */
  code: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

export interface RolePlace {
  role: string;
  cluster?: string;
  workspace?: string;
  namespace?: string;
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  owner: string;
  /** Seconds since the epoch. */
  createdAt: number;
  expiresAt?: number;
  /** Narrower than the owner's access; undefined: the owner's full access. */
  roles?: readonly RolePlace[];
}

export interface RoleBindingInfo extends RolePlace {
  id: string;
  users: readonly string[];
  groups: readonly string[];
  /** "config": from the config file (changed there); "mutation": made through the API. */
  source: "config" | "mutation";
  createdBy?: string;
  createdAt?: number;
}

export interface NewApiToken {
  name: string;
  expiresAt?: number;
  roles?: RolePlace[];
}

export interface NewRoleBinding extends RolePlace {
  users: string[];
  groups: string[];
}

export interface TenancyCommands {
  apiTokens(): Promise<ApiTokenInfo[]>;
  createApiToken(input: NewApiToken): Promise<Outcome<{ secret: string; token: ApiTokenInfo }>>;
  revokeApiToken(id: string): Promise<Outcome<ApiTokenInfo>>;
  /** The bindings the caller may manage (and so see). */
  roleBindings(): RoleBindingInfo[];
  createRoleBinding(input: NewRoleBinding): Promise<Outcome<RoleBindingInfo>>;
  deleteRoleBinding(id: string): Promise<Outcome<RoleBindingInfo>>;
}

const OFF: UserError[] = [
  {
    field: [],
    code: "UNAVAILABLE",
    message: "authentication is off (--no-auth): there are no tokens or role bindings to manage",
  },
];

/** Authentication off: nothing to manage. */
export const NO_TENANCY: TenancyCommands = Object.freeze({
  apiTokens: () => Promise.resolve([]),
  createApiToken: () => Promise.resolve({ ok: false as const, errors: OFF }),
  revokeApiToken: () => Promise.resolve({ ok: false as const, errors: OFF }),
  roleBindings: () => [],
  createRoleBinding: () => Promise.resolve({ ok: false as const, errors: OFF }),
  deleteRoleBinding: () => Promise.resolve({ ok: false as const, errors: OFF }),
});
