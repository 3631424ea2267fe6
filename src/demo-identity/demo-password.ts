/**
 * The demo provider's passwords, in a file of their own so `fleetgraph login` can default to them
 * without loading the simulator: every demo password is the user name followed by "-demo".
 */
export const DEMO_PASSWORD_SUFFIX = "-demo";

export function demoPasswordOf(username: string): string {
  return `${username}${DEMO_PASSWORD_SUFFIX}`;
}
