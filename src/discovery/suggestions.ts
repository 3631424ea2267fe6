/**
 * Messages for an apiVersion or kind a cluster does not serve, naming what it does serve nearby:
 * the versions of the same group, the kind under another apiVersion, the kind a plural or a
 * miscapitalised name stands for, or else the kinds of that version. A user who typed
 * "configmaps" or "apps/v1beta1" learns the right spelling from the error alone.
 */
import { formatApiVersion, type GroupVersion } from "./api-version.js";
import type { ApiResource } from "./fleet-discovery.js";

/** Enough names to orient; a cluster with 300 CRDs should not produce a 300-name message. */
const MAX_LISTED = 25;

export async function explainMissingGroupVersion(
  cluster: string,
  gv: GroupVersion,
  served: Promise<GroupVersion[]>,
): Promise<string> {
  const asked = formatApiVersion(gv);
  const all = await served.catch(() => undefined);
  if (!all) return `apiVersion "${asked}" is not served by cluster "${cluster}"`;
  const sameGroup = all.filter((g) => g.group === gv.group).map(formatApiVersion);
  if (sameGroup.length > 0) {
    return `apiVersion "${asked}" is not served by cluster "${cluster}"; ${groupName(gv.group)} serves ${quoteList(sameGroup)}`;
  }
  const groups = [...new Set(all.map((g) => g.group).filter((g) => g !== ""))].sort();
  return `API group "${gv.group}" is not served by cluster "${cluster}"; its groups are ${quoteList(groups)} (and the core group, apiVersion "v1")`;
}

export async function explainMissingKind(
  cluster: string,
  gv: GroupVersion,
  kind: string,
  resources: readonly ApiResource[],
  everything: () => Promise<ApiResource[]>,
): Promise<string> {
  const asked = formatApiVersion(gv);
  const base = `kind "${kind}" is not served by cluster "${cluster}" in apiVersion "${asked}"`;
  const lower = kind.toLowerCase();
  const spelled = resources.find(
    (r) =>
      r.kind.toLowerCase() === lower ||
      r.plural === lower ||
      r.singular === lower ||
      r.shortNames.includes(lower),
  );
  if (spelled) return `${base}; did you mean kind "${spelled.kind}"?`;
  const elsewhere = (await everything().catch(() => [] as ApiResource[]))
    .filter((r) => r.kind === kind)
    .map((r) => r.apiVersion);
  if (elsewhere.length > 0)
    return `${base}; it is served as apiVersion ${quoteList([...new Set(elsewhere)])}`;
  const kinds = [...new Set(resources.map((r) => r.kind))].sort();
  return `${base}; that apiVersion serves ${kinds.length > 0 ? quoteList(kinds) : "no listable kinds"}`;
}

function groupName(group: string): string {
  return group === "" ? "the core group" : `group "${group}"`;
}

function quoteList(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED).map((n) => `"${n}"`);
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}
