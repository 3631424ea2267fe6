/**
 * A small "teams" service as an Apollo Federation 2 subgraph: which team owns which workloads
 * (by their `app.kubernetes.io/part-of` label), who is on call, and the way back to the team's
 * workloads in Fleetgraph (a WorkloadSelection, which Fleetgraph resolves under the caller's
 * Scope). It knows nothing of Kubernetes beyond a label; Fleetgraph knows nothing of teams.
 */
import { readFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { parse, type GraphQLSchema } from "graphql";

/** The label whose value names what a workload is part of (the simulator sets it on every workload). */
export const PART_OF_LABEL = "app.kubernetes.io/part-of";

export interface Team {
  name: string;
  onCall: string;
  /** The `app.kubernetes.io/part-of` values the team owns. */
  partOf: readonly string[];
}

export const TEAMS: readonly Team[] = [
  { name: "storefront", onCall: "dana@example.com", partOf: ["checkout"] },
  { name: "payments", onCall: "erin@example.com", partOf: ["payments"] },
  { name: "discovery", onCall: "farid@example.com", partOf: ["catalog", "search"] },
  { name: "data", onCall: "grace@example.com", partOf: ["analytics", "kafka"] },
];

/** The team's workloads as a Kubernetes label selector, which Fleetgraph validates and applies. */
export function teamSelector(team: Team): string {
  return team.partOf.length === 1
    ? `${PART_OF_LABEL}=${team.partOf[0]}`
    : `${PART_OF_LABEL} in (${team.partOf.join(",")})`;
}

export function ownerOf(labels: readonly { key: string; value: string }[]): Team | undefined {
  const partOf = labels.find((l) => l.key === PART_OF_LABEL)?.value;
  return partOf === undefined ? undefined : TEAMS.find((t) => t.partOf.includes(partOf));
}

export const TEAMS_SDL = readFileSync(new URL("schema.graphql", import.meta.url), "utf8");

type TeamView = Team & { __typename: "Team" };
const view = (team: Team | undefined): TeamView | null => (team ? { ...team, __typename: "Team" } : null);

/** Fleetgraph's workload kinds this subgraph extends with `owner`. */
export const WORKLOAD_KINDS = ["CronJob", "DaemonSet", "Deployment", "Job", "StatefulSet"] as const;

interface WorkloadReference {
  __typename: string;
  id: string;
  labels?: { key: string; value: string }[];
}

const ownedWorkload = (ref: WorkloadReference) => ({
  __typename: ref.__typename,
  id: ref.id,
  owner: view(ownerOf(ref.labels ?? [])),
});

export function teamsSubgraphSchema(): GraphQLSchema {
  return buildSubgraphSchema([
    {
      typeDefs: parse(TEAMS_SDL),
      resolvers: {
        Query: {
          teams: () => TEAMS.map(view),
          team: (_: unknown, args: { name: string }) => view(TEAMS.find((t) => t.name === args.name)),
        },
        Team: {
          __resolveReference: (ref: { name: string }) => view(TEAMS.find((t) => t.name === ref.name)),
          labelSelector: (team: Team) => teamSelector(team),
          workloads: (team: Team) => ({ __typename: "WorkloadSelection", labelSelector: teamSelector(team) }),
        },
        // The router sends each workload's id and, because of @requires, its labels.
        ...Object.fromEntries(WORKLOAD_KINDS.map((kind) => [kind, { __resolveReference: ownedWorkload }])),
      },
    },
  ]);
}

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

/** Serves the subgraph on http://host:port/ (port 0: a free one). */
export async function startTeamsSubgraph(
  options: {
    port?: number;
    host?: string;
    /** Told of each request's headers (what the router forwards to this subgraph). */
    onRequest?: (headers: IncomingHttpHeaders) => void;
  } = {},
): Promise<RunningService> {
  const server = new ApolloServer({ schema: teamsSubgraphSchema() });
  const { url } = await startStandaloneServer(server, {
    listen: { port: options.port ?? 0, host: options.host ?? "127.0.0.1" },
    context: ({ req }) => {
      options.onRequest?.(req.headers);
      return Promise.resolve({});
    },
  });
  return { url, stop: () => server.stop() };
}
