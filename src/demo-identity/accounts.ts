/**
 * The demo identity provider's accounts: the simulated fleet's people (sim/generator/users.ts),
 * so a demo login as alice reaches exactly what alice's RoleBindings allow on the clusters. The
 * gateway's own impersonating identity is not a person and cannot log in.
 */
import { timingSafeEqual } from "node:crypto";
import { buildUsers, GATEWAY_USER } from "../../sim/generator/users.js";
import { SeededRandom } from "../../sim/generator/random.js";
import { demoPasswordOf } from "./demo-password.js";

export interface DemoAccount {
  /** The `sub` and `preferred_username` claims, and the user name on every cluster. */
  readonly username: string;
  readonly name: string;
  readonly groups: readonly string[];
  readonly password: string;
}

export function demoAccounts(): readonly DemoAccount[] {
  // The seed only shapes the users' cluster tokens, which the provider never uses.
  return buildUsers(new SeededRandom("demo-identity"))
    .filter((user) => user.name !== GATEWAY_USER)
    .map((user) => ({
      username: user.name,
      name: user.name.charAt(0).toUpperCase() + user.name.slice(1),
      groups: [...user.groups],
      password: demoPasswordOf(user.name),
    }));
}

/** The account whose password this is, or undefined; compared in constant time. */
export function checkPassword(
  accounts: readonly DemoAccount[],
  username: string,
  password: string,
): DemoAccount | undefined {
  const account = accounts.find((a) => a.username === username);
  if (!account) return undefined;
  const expected = Buffer.from(account.password);
  const given = Buffer.from(password);
  return expected.length === given.length && timingSafeEqual(expected, given) ? account : undefined;
}
