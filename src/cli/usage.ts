/** The CLI's help text, and the error type for wrong usage (exit code 2, like most Unix tools). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const USAGE = `Usage: fleetgraph <command> [flags]

Commands:
  sim      Run a simulated fleet of Kubernetes clusters (API servers on 127.0.0.1)
  serve    Run the GraphQL gateway over the configured clusters (or the built-in demo fleet)
           (see "fleetgraph serve --help")
  login    Log in at a running gateway and print its access token
           (see "fleetgraph login --help")
  idp      Run the demo OpenID provider on its own, for a gateway in another process
           (see "fleetgraph idp --help")

fleetgraph sim flags:
  --clusters N          clusters in the fleet (default 3)
  --nodes K             nodes per cluster (default 3)
  --pods M              about M pods per cluster (default 100)
  --seed S              seed of the deterministic fleet (default "fleetgraph")
  --kubeconfig-out FILE where to write the kubeconfig (default .fleetgraph/sim/kubeconfig.yaml);
                        users, tokens and the admin URL go to <FILE without extension>.users.json
  --kubeconfig-user U   whose token the kubeconfig carries (default admin; fleetgraph-gateway
                        reads and impersonates only, as a member cluster grants a gateway)
  --churn R             R changes per second across the fleet (default 0)
  --http                serve plain HTTP instead of HTTPS
  --admin-port P        port of the fault admin endpoint (default: any free port)
  --log-store MODE      the Elasticsearch-compatible log store: shared (default, one for the
                        fleet), per-cluster, or off
  --log-documents N     documents the store keeps before the oldest age out (default 50000)
  --log-feed on|off     feed it the containers' logs, events and audit (default on)
  --log-store-port P    port of the shared log store (default: any free port)
  --log-level LEVEL     trace, debug, info, warn, error or silent (default info; logs go to stderr)

General:
  -h, --help            show this help

Prints one line to stdout when the fleet is ready and runs until SIGINT or SIGTERM.
See docs/simulator.md for the admin endpoint and the generated users.
`;
