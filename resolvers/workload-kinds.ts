/** The workload kinds a workload filter asks for (every kind when it names none). */
import { WORKLOADS, type AnyKind } from "../src/kinds/index.js";

export function workloadKinds(filter: { kinds?: readonly string[] | null } | null | undefined): AnyKind[] {
  const asked = filter?.kinds;
  const kinds = asked ? WORKLOADS.filter((k) => asked.includes(k.kind)) : [];
  // None asked (or an empty list, which the filter's predicate answers with nothing): read all.
  return kinds.length > 0 ? kinds : [...WORKLOADS];
}
