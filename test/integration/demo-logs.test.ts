/**
 * Logs in the demo as `npm start` serves them: the simulator's log store, fed with the demo
 * fleet's container logs, events and audit events, is the gateway's shared store, and every query
 * of docs/logs.md (and of the event-history and audit page beside it) answers and finds something.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeLoopbackPort } from "../../src/free-port.js";
import { buildCli, ROOT } from "../support/built-cli.js";
import { eventually } from "../support/eventually.js";

let serve: ChildProcess | undefined;
let stderr = "";

beforeAll(() => buildCli(), 120_000);

afterAll(async () => {
  if (!serve || serve.exitCode !== null) return;
  const exited = new Promise((resolve) => serve!.once("exit", resolve));
  serve.kill("SIGTERM");
  await exited;
}, 30_000);

interface Answer {
  data?: Record<string, unknown>;
  errors?: { message: string }[];
}

async function query(url: string, text: string, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: text, ...(variables ? { variables } : {}) }),
  });
  return (await response.json()) as Answer;
}

/** Some leaf of the answer is a non-empty value other than a count of 0. */
function foundSomething(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(foundSomething);
  if (value !== null && typeof value === "object") return Object.values(value).some(foundSomething);
  return value !== null && value !== undefined && value !== "" && value !== 0;
}

describe("the demo's logs", () => {
  it("come from the simulator's store, and every query of the logs docs answers", async () => {
    const port = await freeLoopbackPort();
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.KUBECONFIG;
    delete env.FLEETGRAPH_CONFIG;
    delete env.NODE_ENV;
    serve = spawn(process.execPath, ["dist/src/main.js", "serve", "--no-auth", "--port", String(port)], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    serve.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const url = `http://127.0.0.1:${port}/graphql`;
    await eventually(() => stderr.includes(`listening on http://127.0.0.1:${port}/graphql`), 60_000);
    expect(stderr).toMatch(/demo logs: the simulator's log store on http:\/\/127\.0\.0\.1:\d+/);
    expect(stderr).toContain("logs: log store configured");
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 30_000);

    const pods = await query(url, "{ pods(first: 1, filter: { phases: [RUNNING] }) { nodes { id } } }");
    const id = (pods.data as { pods: { nodes: { id: string }[] } }).pods.nodes[0]!.id;
    const pages = ["docs/logs.md", "docs/logs-events-audit.md"].filter((p) => existsSync(join(ROOT, p)));
    let examples = 0;
    for (const page of pages) {
      const text = await readFile(join(ROOT, page), "utf8");
      for (const [, example] of text.matchAll(/```graphql\n([\s\S]*?)```/g)) {
        examples++;
        // The feeders ship every second: the first lines may take a tick to arrive.
        const got = await eventually(
          async () => {
            const answer = await query(url, example!, example!.includes("$id") ? { id } : undefined);
            return answer.errors || foundSomething(answer.data) ? answer : undefined;
          },
          20_000,
          500,
        );
        expect(got.errors, `${page}:\n${example}\n${JSON.stringify(got.errors)}`).toBeUndefined();
      }
    }
    expect(examples).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
