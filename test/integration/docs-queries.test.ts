/**
 * The queries the docs show work as written: every `graphql` block of docs/schema.md and the
 * README's first query run against a gateway over the demo fleet (the same seed and size as
 * `npm start`), answer without errors and find something.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FLEET } from "../../src/demo-fleet.js";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimFleet } from "../../sim/fleet.js";
import { fleetConfig, graphql, startSimFleet, startTestGateway } from "./server-fixture.js";

let fleet: SimFleet;
let gateway: Gateway;

beforeAll(async () => {
  fleet = await startSimFleet(DEMO_FLEET.seed, {
    clusters: DEMO_FLEET.clusters,
    nodes: DEMO_FLEET.nodes,
    pods: DEMO_FLEET.pods,
    churn: 0,
  });
  gateway = await startTestGateway(fleetConfig(fleet));
  await gateway.fleetCache.whenSynced(30_000);
});

afterAll(async () => {
  await gateway?.stop();
  await fleet?.stop();
});

const read = (path: string) => readFile(new URL(`../../${path}`, import.meta.url), "utf8");

/** The fenced blocks of a language in a Markdown text. */
function blocks(markdown: string, language: string): string[] {
  const found: string[] = [];
  const fence = new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g");
  for (const match of markdown.matchAll(fence)) found.push(match[1]!);
  return found;
}

/** Some leaf of the answer is a non-empty value: the query found something, not only nulls. */
function foundSomething(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(foundSomething);
  if (value !== null && typeof value === "object") return Object.values(value).some(foundSomething);
  return value !== null && value !== undefined && value !== "";
}

describe("docs/schema.md", () => {
  it("has example queries", async () => {
    expect(blocks(await read("docs/schema.md"), "graphql").length).toBeGreaterThan(5);
  });

  it("every example query answers without errors and finds something", async () => {
    const examples = blocks(await read("docs/schema.md"), "graphql");
    const somePod = await graphql<{ pods: { nodes: { id: string }[] } }>(
      gateway.url,
      "{ pods(first: 2) { nodes { id } } }",
    );
    for (const query of examples) {
      const variables = query.includes("$ids")
        ? { ids: somePod.data!.pods.nodes.map((n) => n.id) }
        : undefined;
      const answer = await graphql(gateway.url, query, variables);
      expect(answer.errors, `${query}\n${JSON.stringify(answer.errors)}`).toBeUndefined();
      expect(foundSomething(answer.data), query).toBe(true);
    }
  });
});

describe("README.md", () => {
  it("its first query answers as shown: the same shape, the demo's clusters", async () => {
    const readme = await read("README.md");
    const curl = blocks(readme, "sh").find((b) => b.includes("curl -s localhost:4000/graphql"))!;
    const body = /-d '(\{.*\})'/.exec(curl)![1]!;
    const { query } = JSON.parse(body) as { query: string };
    const answer = await graphql<{ clusters: { nodes: { name: string }[] }; pods: { outcomes: unknown[] } }>(
      gateway.url,
      query,
    );
    expect(answer.errors).toBeUndefined();
    const shown = JSON.parse(blocks(readme, "json")[0]!) as {
      data: { clusters: { nodes: { name: string }[] }; pods: { nodes: Record<string, unknown>[] } };
    };
    expect(answer.data!.clusters.nodes.map((c) => c.name)).toContain(shown.data.clusters.nodes[0]!.name);
    expect(answer.data!.pods.outcomes).toHaveLength(DEMO_FLEET.clusters);
    expect(Object.keys(shown.data.pods.nodes[0]!).sort()).toEqual(
      Object.keys((answer.data!.pods as unknown as { nodes: Record<string, unknown>[] }).nodes[0]!).sort(),
    );
  });
});
