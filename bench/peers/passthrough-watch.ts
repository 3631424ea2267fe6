/**
 * Peer `passthrough` of the subscriptions scenario: graphql-ws where every subscription opens its
 * own watches on the API servers (one per cluster its filter names, every cluster when it names
 * none, and per namespace named) with @kubernetes/client-node's Watch, and forwards each event as
 * the gateway's PodChange. This is how a GraphQL layer without a shared cache serves
 * subscriptions (qlkube's, a Mesh source over the watch endpoints): upstream watches grow with
 * the subscribers. No authentication, no backpressure: it is the floor of that design's cost.
 *
 *   node dist/bench/peers/passthrough-watch.js <port> <kubeconfig>
 *
 * Prints "listening <url>"; GET /debug/memory and GET /debug/subscriptions answer beside
 * graphql-ws on /graphql.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { V1Pod } from "@kubernetes/client-node";
import { buildSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { debugMemory } from "../../src/http/debug-routes.js";
import { fleetClients } from "./fleet-clients.js";
import { globalId, phaseOf } from "./passthrough-views.js";
import { PushStream } from "./push-stream.js";
import { newCounters, UpstreamWatch, type PodEventType } from "./upstream-watch.js";

/** The part of the gateway's schema the scenario's subscription selects, with the same names. */
const SDL = `
enum PodPhase { FAILED PENDING RUNNING SUCCEEDED UNKNOWN }
enum ChangeType { ADDED UPDATED DELETED SYNCED RESET }
input PodFilter { clusters: [String!] namespaces: [String!] }
type Pod {
  id: ID!
  clusterName: String!
  namespaceName: String!
  name: String!
  phase: PodPhase!
  restarts: Int!
  resourceVersion: String!
}
type PodChange { type: ChangeType! id: ID cluster: String object: Pod }
type Query { ok: Boolean }
type Subscription { podChanges(filter: PodFilter): PodChange! }
`;

interface PodFilter {
  clusters?: string[] | null;
  namespaces?: string[] | null;
}

/** client-node's Watch hands over the parsed JSON: a V1Pod's shape, strings for dates. */
type PodObject = V1Pod;

const CHANGE_TYPES: Record<PodEventType, string> = {
  ADDED: "ADDED",
  MODIFIED: "UPDATED",
  DELETED: "DELETED",
};

const [port = "0", kubeconfig] = process.argv.slice(2);
if (!kubeconfig) {
  process.stderr.write("usage: passthrough-watch <port> <kubeconfig>\n");
  process.exit(2);
}
const clients = new Map(fleetClients(kubeconfig).map((c) => [c.name, c]));
const counters = newCounters();
let subscriptions = 0;

function changeOf(cluster: string, type: PodEventType, pod: PodObject) {
  const namespace = pod.metadata?.namespace ?? "";
  const name = pod.metadata?.name ?? "";
  const id = globalId("Pod", cluster, namespace, name);
  return {
    type: CHANGE_TYPES[type],
    id,
    cluster,
    object:
      type === "DELETED"
        ? null
        : {
            id,
            clusterName: cluster,
            namespaceName: namespace,
            name,
            phase: phaseOf(pod),
            restarts: (pod.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
            resourceVersion: pod.metadata?.resourceVersion ?? "",
          },
  };
}

/** Subscription.podChanges: its own watches, closed when the subscriber goes. */
function podChanges(args: { filter?: PodFilter | null }): AsyncIterableIterator<unknown> {
  const watches: UpstreamWatch[] = [];
  subscriptions++;
  const stream = new PushStream<unknown>(() => {
    subscriptions--;
    for (const watch of watches) watch.close();
  });
  const namespaces = args.filter?.namespaces ?? [undefined];
  for (const cluster of args.filter?.clusters ?? [...clients.keys()]) {
    const client = clients.get(cluster);
    if (!client) continue;
    for (const namespace of namespaces) {
      watches.push(
        new UpstreamWatch(client, namespace, counters, (type, pod) =>
          stream.push({ podChanges: changeOf(cluster, type, pod) }),
        ),
      );
    }
  }
  for (const watch of watches) watch.start();
  return stream;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method === "GET" && path === "/debug/memory")
    return send(res, 200, debugMemory((req.url ?? "").includes("gc=1")));
  if (req.method === "GET" && path === "/debug/subscriptions")
    return send(res, 200, { subscriptions, connections: wss.clients.size, watches: counters });
  send(res, 404, { error: "not found" });
});
const wss = new WebSocketServer({ server, path: "/graphql" });
const graphqlWs = useServer({ schema: buildSchema(SDL), roots: { subscription: { podChanges } } }, wss);
server.listen(Number(port), "127.0.0.1", () => {
  const { port: bound } = server.address() as AddressInfo;
  process.stdout.write(`listening http://127.0.0.1:${bound}/graphql\n`);
});
const stop = (): void => {
  void Promise.resolve(graphqlWs.dispose()).finally(() => process.exit(0));
  server.closeAllConnections();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
