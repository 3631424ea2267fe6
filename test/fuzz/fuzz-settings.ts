/**
 * How long the fuzz suites run. CI runs each property a bounded number of times from a fixed seed,
 * so a failure reproduces exactly; a person hunting for bugs runs them longer, or from a random
 * seed, with FLEETGRAPH_FUZZ_RUNS and FLEETGRAPH_FUZZ_SEED (docs/testing.md, "Fuzzing").
 */
import type fc from "fast-check";

/** The seed when none is given: fixed, so CI's inputs are the same on every run. */
const DEFAULT_SEED = 15;

export interface FuzzSettings {
  readonly numRuns: number;
  readonly seed: number;
  /** A vitest timeout that lets every run finish at `msPerRun` each. */
  readonly timeoutMs: number;
}

function envInteger(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

function seed(): number {
  if (process.env.FLEETGRAPH_FUZZ_SEED === "random") {
    const chosen = Date.now() % 2 ** 31;
    // Printed so a failure found from a random seed can be replayed with FLEETGRAPH_FUZZ_SEED.
    console.log(`fuzz seed: ${chosen}`);
    return chosen;
  }
  return envInteger("FLEETGRAPH_FUZZ_SEED") ?? DEFAULT_SEED;
}

const SEED = seed();

/** `ciRuns` runs per property unless FLEETGRAPH_FUZZ_RUNS says otherwise. */
export function fuzzSettings(ciRuns: number, msPerRun: number): FuzzSettings {
  const numRuns = envInteger("FLEETGRAPH_FUZZ_RUNS") ?? ciRuns;
  return { numRuns, seed: SEED, timeoutMs: Math.max(30_000, numRuns * msPerRun) };
}

/** fast-check's parameters for one property. */
export function runParameters<T>(settings: FuzzSettings): fc.Parameters<T> {
  return { numRuns: settings.numRuns, seed: settings.seed };
}
