/**
 * docs/metrics.md cannot drift from the code: its catalog block is exactly what the generator
 * writes from the catalog and the PromQL templates, and the generator covers every metric of
 * every level, each with a usage field the schema really has.
 */
import { readFile } from "node:fs/promises";
import type { GraphQLObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { CATALOG, METRIC_LEVELS } from "../../src/backends/prometheus/catalog.js";
import {
  CATALOG_BEGIN,
  CATALOG_END,
  catalogMarkdown,
  withCatalog,
} from "../../src/server/metrics-catalog-docs.js";
import { buildFleetgraphSchema } from "../../src/server/schema.js";
import { USAGE_TYPES } from "../../schema/metrics.js";

const page = () => readFile(new URL("../../docs/metrics.md", import.meta.url), "utf8");

/** The generated tables' rows, as [level heading, metric, usage field] (cells unescaped). */
function rows(markdown: string): { level: string; metric: string; field: string; promql: string }[] {
  const found: { level: string; metric: string; field: string; promql: string }[] = [];
  let level = "";
  for (const line of markdown.split("\n")) {
    const heading = /^### ([A-Z]+):/.exec(line);
    if (heading) level = heading[1]!;
    const row = /^\| `([A-Z0-9_]+)` \| `([a-zA-Z0-9]+)` \|.*\| (.+) \|$/.exec(line);
    if (row) found.push({ level, metric: row[1]!, field: row[2]!, promql: row[3]! });
  }
  return found;
}

describe("docs/metrics.md", () => {
  it("holds exactly the catalog the code generates (run `npm run docs:metrics` after changing it)", async () => {
    const text = await page();
    expect(text).toContain(CATALOG_BEGIN);
    expect(text).toContain(CATALOG_END);
    expect(text.split(CATALOG_BEGIN)).toHaveLength(2);
    expect(withCatalog(text)).toBe(text);
    expect(text).toContain(catalogMarkdown());
  });

  it("lists every metric of every level once, under its level, with its PromQL", () => {
    const listed = rows(catalogMarkdown());
    const expected = METRIC_LEVELS.flatMap((level) => CATALOG[level].map((d) => `${level} ${d.name}`));
    expect(listed.map((r) => `${r.level} ${r.metric}`)).toEqual(expected);
    for (const r of listed) expect(r.promql, `${r.level} ${r.metric}`).toMatch(/^(.*: )?`(sum|count) by \(/);
  });

  it("names usage fields the schema has", async () => {
    const schema = await buildFleetgraphSchema();
    for (const r of rows(catalogMarkdown())) {
      const type = schema.getType(USAGE_TYPES[r.level as keyof typeof USAGE_TYPES].name) as GraphQLObjectType;
      expect(Object.keys(type.getFields()), `${r.level} ${r.metric}`).toContain(r.field);
    }
  });

  it("shows a workload's replica counts per workload kind and its other series per pod", () => {
    const workload = rows(catalogMarkdown()).filter((r) => r.level === "WORKLOAD");
    const replicas = workload.find((r) => r.metric === "REPLICAS_AVAILABLE")!;
    expect(replicas.promql).toContain(
      "Deployment: `sum by (namespace, deployment) (kube_deployment_status_replicas_available{})`",
    );
    expect(replicas.promql).toContain("StatefulSet: `sum by (namespace, statefulset)");
    expect(replicas.promql).toContain("DaemonSet: `sum by (namespace, daemonset)");
    const cpu = workload.find((r) => r.metric === "CPU_USAGE")!;
    expect(cpu.promql).toBe(
      '`sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!=""}[5m]))`',
    );
  });
});
