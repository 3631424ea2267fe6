/** The kind-heap measurement (bench/measure/kind-heap.ts) in a fresh process of its own. */
import type { KindHeapResult, KindHeapSpec } from "../measure/kind-heap-spec.js";
import { Child } from "./child.js";

export async function measureKindHeap(spec: KindHeapSpec): Promise<KindHeapResult> {
  const child = new Child({
    name: "kind-heap",
    script: "dist/bench/measure/kind-heap.js",
    args: [JSON.stringify(spec)],
    nodeFlags: ["--expose-gc"],
  });
  const output = await child.output(300_000);
  return JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as KindHeapResult;
}
