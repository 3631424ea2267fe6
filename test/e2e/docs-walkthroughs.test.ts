/**
 * The simulator walkthroughs of README.md and docs/simulator.md, as written: the fleet each
 * `npm run sim` line describes, and each `kubectl` line run unchanged against it (through bash,
 * with KUBECONFIG pointing at that fleet), must succeed and find something. A label the generated
 * fleet does not have printed "No resources found"; a context it does not have, an error.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { findResource } from "../../sim/kinds.js";
import { matchesLabels, parseLabelSelector } from "../../src/kube/label-selector.js";

/** The shell lines of the first ```sh block under `heading` in `doc`, comments dropped. */
function shellLines(doc: string, heading: string): string[] {
  const text = readFileSync(new URL(`../../${doc}`, import.meta.url), "utf8");
  const start = text.indexOf(`${heading}\n`);
  if (start === -1) throw new Error(`${doc} has no heading "${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(start))?.[1] ?? "";
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** The fleet an `npm run sim -- ...` line starts, without churn (it only moves pods around). */
function fleetOf(simLine: string) {
  const { values } = parseArgs({
    args: simLine.split(/\s+/).slice(4),
    options: {
      clusters: { type: "string" },
      nodes: { type: "string" },
      pods: { type: "string" },
      seed: { type: "string" },
      "kubeconfig-out": { type: "string" },
      churn: { type: "string" },
    },
  });
  return {
    clusters: Number(values.clusters),
    nodes: Number(values.nodes),
    pods: Number(values.pods),
    seed: values.seed!,
  };
}

interface Shell {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a documented command line with the fleet's kubeconfig in place of the one it names. */
function run(line: string, kubeconfig: string): Promise<Shell> {
  const command = line.replace(/^KUBECONFIG=\S+\s+/, "");
  return new Promise((resolve) => {
    execFile(
      "bash",
      ["-c", command],
      {
        timeout: 20_000,
        env: {
          ...process.env,
          KUBECONFIG: kubeconfig,
          KUBECACHEDIR: `/tmp/fleetgraph-kubectl-cache-${process.pid}`,
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const walkthroughs = [
  { doc: "README.md", heading: "## The simulator" },
  { doc: "docs/simulator.md", heading: "# The fleet simulator" },
];

for (const { doc, heading } of walkthroughs) {
  describe(`${doc}: the simulator walkthrough`, () => {
    const lines = shellLines(doc, heading);
    const simLine = lines.find((line) => line.startsWith("npm run sim -- "));
    const kubectlLines = lines.filter((line) => /^(KUBECONFIG=\S+\s+)?kubectl /.test(line));
    let fleet: SimFleet;

    beforeAll(async () => {
      fleet = await startFleet(fleetOf(simLine!));
    });

    afterAll(async () => {
      await fleet?.stop();
    });

    it("starts a fleet with an `npm run sim` line and uses it with kubectl", () => {
      expect(simLine).toMatch(/--clusters \d+ --nodes \d+ --pods \d+ --seed \S+/);
      expect(kubectlLines.length).toBeGreaterThan(0);
    });

    it("runs every kubectl line: each succeeds and lists something", async () => {
      for (const line of kubectlLines) {
        const r = await run(line, fleet.kubeconfigPath);
        expect({ line, code: r.code, stderr: r.stderr }).toEqual({ line, code: 0, stderr: "" });
        expect(r.stdout.trim().split("\n").length, line).toBeGreaterThan(1);
      }
    });

    it("finds, with its `kubectl get pods -l` line, exactly the current cluster's pods it selects", async () => {
      const line = kubectlLines.find((l) => / get pods .*-l /.test(l));
      if (!line) return;
      const r = await run(line, fleet.kubeconfigPath);
      const [header, ...rows] = r.stdout.trim().split("\n");
      expect(header).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS/);
      expect(rows.length).toBeGreaterThan(0);
      const args = line.split(/\s+/);
      const selector = parseLabelSelector(args[args.indexOf("-l") + 1]!);
      const runningOnly = line.includes("--field-selector status.phase=Running");
      // The current context is the first cluster.
      const expected = fleet.clusters[0]!.store.all(findResource("", "pods")!)
        .filter(
          (p) =>
            matchesLabels(selector, p.metadata.labels ?? {}) &&
            (!runningOnly || (p.status as { phase?: string } | undefined)?.phase === "Running"),
        )
        .map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
        .sort();
      expect(rows.map((row) => row.split(/\s+/).slice(0, 2).join("/")).sort()).toEqual(expected);
      if (runningOnly) for (const row of rows) expect(row.split(/\s+/)[3]).toBe("Running");
    });
  });
}
