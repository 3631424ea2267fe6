/**
 * Puts load on one server from a separate process (autocannon-run) while measuring the server's
 * own CPU and RSS over the same window.
 */
import { Child } from "../processes/child.js";
import { UsageWindow, type ProcessUsage } from "../proc-stats.js";
import type { LoadResult, LoadSpec } from "./load-spec.js";

export interface LoadMeasurement {
  load: LoadResult;
  /** The server's CPU and memory during the measured run (warm-up included). */
  server: ProcessUsage;
}

export class LoadFailedError extends Error {
  constructor(
    readonly target: string,
    message: string,
  ) {
    super(`load on ${target}: ${message}`);
    this.name = "LoadFailedError";
  }
}

export async function generateLoad(
  target: string,
  serverPid: number,
  spec: LoadSpec,
  /** Answers with GraphQL errors are counted, not fatal (a degraded answer is still an answer). */
  options: { tolerateGraphQLErrors?: boolean } = {},
): Promise<LoadMeasurement> {
  const window = new UsageWindow(serverPid);
  const child = new Child({
    name: `load generator (${target})`,
    script: "dist/bench/load/autocannon-run.js",
    args: [JSON.stringify(spec)],
  });
  const budgetMs = (spec.warmupS + spec.durationS + spec.timeoutS) * 1000 + 30_000;
  const amountBudgetMs = spec.amount !== undefined ? spec.amount * spec.timeoutS * 1000 : 0;
  const output = await child.output(Math.max(budgetMs, amountBudgetMs));
  const server = window.finish();
  const load = JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as LoadResult;
  if (load.samples === 0) throw new LoadFailedError(target, `no successful answer (${JSON.stringify(load)})`);
  if ((load.graphql_errors > 0 && !options.tolerateGraphQLErrors) || load.non2xx > 0)
    throw new LoadFailedError(
      target,
      `${load.graphql_errors} answers with GraphQL errors and ${load.non2xx} non-2xx of ${load.requests}` +
        (load.graphql_error_samples?.length
          ? `; for example: ${load.graphql_error_samples.join(" | ")}`
          : ""),
    );
  return { load, server };
}
