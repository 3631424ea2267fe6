/**
 * The table's filters, as the gateway's WorkloadFilter takes them: the gateway filters and
 * counts, so a page of 20 is 20 matches however many the fleet holds.
 */
import type { WorkloadFilter, WorkloadKind } from "../gql/graphql";

export interface FilterValues {
  cluster: string;
  namespace: string;
  kind: "" | WorkloadKind;
  nameContains: string;
}

export const NO_FILTER: FilterValues = { cluster: "", namespace: "", kind: "", nameContains: "" };

const KINDS: WorkloadKind[] = ["DEPLOYMENT", "STATEFUL_SET", "DAEMON_SET", "JOB", "CRON_JOB"];

/** The form's values as the API's filter: an empty field filters nothing. */
export function toWorkloadFilter(values: FilterValues): WorkloadFilter {
  return {
    ...(values.cluster ? { clusters: [values.cluster] } : {}),
    ...(values.namespace.trim() ? { namespaces: [values.namespace.trim()] } : {}),
    ...(values.kind ? { kinds: [values.kind] } : {}),
    ...(values.nameContains.trim() ? { nameContains: values.nameContains.trim() } : {}),
  };
}

interface Props {
  values: FilterValues;
  clusters: readonly string[];
  onChange: (values: FilterValues) => void;
}

export function WorkloadFilters({ values, clusters, onChange }: Props) {
  const set = (patch: Partial<FilterValues>) => onChange({ ...values, ...patch });
  return (
    <form className="filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Cluster
        <select name="cluster" value={values.cluster} onChange={(e) => set({ cluster: e.target.value })}>
          <option value="">all</option>
          {clusters.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <label>
        Namespace
        <input
          name="namespace"
          value={values.namespace}
          onChange={(e) => set({ namespace: e.target.value })}
        />
      </label>
      <label>
        Kind
        <select
          name="kind"
          value={values.kind}
          onChange={(e) => set({ kind: e.target.value as FilterValues["kind"] })}
        >
          <option value="">all</option>
          {KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </label>
      <label>
        Name contains
        <input
          name="nameContains"
          value={values.nameContains}
          onChange={(e) => set({ nameContains: e.target.value })}
        />
      </label>
    </form>
  );
}
