/**
 * manifestApply's input, checked and turned into targets: which clusters (named, or chosen by a
 * label selector over the clusters' labels, among those the caller may see), the field manager
 * (validated as the API server validates it), and one target per cluster and document, found
 * through that cluster's discovery (a namespaced kind without a namespace goes to "default", as
 * kubectl sends it).
 */
import { LabelSelectorError, matchesLabels, parseLabelSelector } from "../kube/label-selector.js";
import type { KubeObject } from "../kube/object.js";
import { targetKey } from "./idempotency.js";
import { parseManifest } from "./manifest.js";
import { objectTarget, type KindDiscovery } from "./object-targets.js";
import type { UserErrorRecord } from "./outcome.js";
import type { MutationCaller } from "./run.js";
import type { MutationTarget } from "./targets.js";
import type { MutationInputBase } from "./workloads.js";

export interface ManifestApplyInput extends MutationInputBase {
  manifest: string;
  clusters?: readonly string[] | null;
  clusterSelector?: string | null;
  fieldManager?: string | null;
  force?: boolean | null;
}

/** The clusters of the fleet and their labels (the fleet registry). */
export interface FleetMembers {
  names(): string[];
  clusterLabels(name: string): Readonly<Record<string, string>> | undefined;
}

export const DEFAULT_FIELD_MANAGER = "fleetgraph";
/** The API server's limit (FieldManagerMaxLength). */
export const MAX_FIELD_MANAGER_LENGTH = 128;
/** Go's unicode.IsPrint, which the API server asks of every character of a field manager. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u;

export interface ManifestTargets {
  targets: MutationTarget[];
  /** Each target's document, by targetKey. */
  configs: Map<string, KubeObject>;
  fieldManager: string;
  userErrors: UserErrorRecord[];
}

export async function manifestTargets(
  input: ManifestApplyInput,
  caller: MutationCaller,
  members: FleetMembers,
  discovery: KindDiscovery,
  maxTargets: number,
): Promise<ManifestTargets> {
  const userErrors: UserErrorRecord[] = [];
  const bad = (field: string, message: string, code: UserErrorRecord["code"] = "BAD_USER_INPUT"): void => {
    userErrors.push({ field: ["input", field], message, code });
  };
  const fieldManager = input.fieldManager ?? DEFAULT_FIELD_MANAGER;
  if (fieldManager === "" || [...fieldManager].length > MAX_FIELD_MANAGER_LENGTH)
    bad("fieldManager", `1 to ${MAX_FIELD_MANAGER_LENGTH} characters`);
  else if (!PRINTABLE.test(fieldManager)) bad("fieldManager", "printable characters only");
  const clusters = chooseClusters(input, caller, members, bad);
  const manifest = parseManifest(input.manifest);
  userErrors.push(...manifest.userErrors);
  const seen = new Set<string>();
  for (const doc of manifest.documents) {
    const identity = `${doc.apiVersion} ${doc.kind} ${doc.namespace ?? ""}/${doc.name}`;
    if (seen.has(identity)) bad("manifest", `document ${doc.index}: ${identity} is already in the manifest`);
    seen.add(identity);
  }
  const count = clusters.length * manifest.documents.length;
  if (count > maxTargets)
    bad(
      "manifest",
      `${count} objects (documents × clusters); at most ${maxTargets} per mutation`,
      "LIMIT_EXCEEDED",
    );
  const configs = new Map<string, KubeObject>();
  if (userErrors.length > 0) return { targets: [], configs, fieldManager, userErrors };
  const targets: MutationTarget[] = [];
  for (const cluster of clusters) {
    const resolved = await Promise.all(
      manifest.documents.map((doc) =>
        objectTarget(discovery, { cluster, ...doc }, { defaultNamespace: "default" }).then((target) => {
          configs.set(targetKey(target), doc.object);
          // Name the document in a refusal found before any call (kind not served, scope).
          const problem = target.problem && {
            ...target.problem,
            message: `document ${doc.index} (${doc.apiVersion} ${doc.kind} ${doc.name}): ${target.problem.message}`,
          };
          return { ...target, problem };
        }),
      ),
    );
    targets.push(...resolved);
  }
  return { targets, configs, fieldManager, userErrors };
}

/** Exactly one of `clusters` and `clusterSelector`; clusters the caller cannot see read as absent. */
function chooseClusters(
  input: ManifestApplyInput,
  caller: MutationCaller,
  members: FleetMembers,
  bad: (field: string, message: string) => void,
): string[] {
  const visible = members
    .names()
    .filter((name) => caller.scope.allowsCluster(name))
    .sort();
  const named = input.clusters ?? undefined;
  const selectorText = input.clusterSelector ?? undefined;
  if ((named === undefined) === (selectorText === undefined)) {
    bad("clusters", "name the clusters, or give a clusterSelector: exactly one of the two");
    return [];
  }
  if (named !== undefined) {
    if (named.length === 0) bad("clusters", "name at least one cluster");
    for (const name of named) if (!visible.includes(name)) bad("clusters", `no cluster named "${name}"`);
    return [...new Set(named)];
  }
  try {
    const selector = parseLabelSelector(selectorText!);
    const chosen = visible.filter((name) => matchesLabels(selector, members.clusterLabels(name) ?? {}));
    if (chosen.length === 0) bad("clusterSelector", `"${selectorText}" matches no cluster you can see`);
    return chosen;
  } catch (error) {
    if (!(error instanceof LabelSelectorError)) throw error;
    bad("clusterSelector", error.message);
    return [];
  }
}
