/**
 * The example's router (examples/teams-subgraph/router.ts), loaded when a test runs rather than
 * imported: Hive Gateway's types bring in the DOM library (through @whatwg-node/fetch), whose
 * globals clash with Node's in the gateway's own type-check. The example's tsconfig checks it.
 */
export interface RunningRouter {
  /** http://host:port/graphql */
  url: string;
  stop(): Promise<void>;
}

interface RouterModule {
  startRouter(options: { supergraph: string; port?: number; host?: string }): Promise<RunningRouter>;
  FORWARDED_HEADERS: readonly string[];
  FLEETGRAPH_SUBGRAPH: string;
}

const ROUTER = new URL("../../examples/teams-subgraph/router.ts", import.meta.url).href;

export async function loadRouter(): Promise<RouterModule> {
  return (await import(ROUTER)) as RouterModule;
}
