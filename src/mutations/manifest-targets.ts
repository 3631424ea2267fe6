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
import { parseManifest, type ManifestDocument } from "./manifest.js";
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

/** Records a user error on `input.<field>` (a path for a list item: ["clusters", "1"]). */
type Complain = (field: string | string[], message: string, code?: UserErrorRecord["code"]) => void;

export async function manifestTargets(
  input: ManifestApplyInput,
  caller: MutationCaller,
  members: FleetMembers,
  discovery: KindDiscovery,
  maxTargets: number,
): Promise<ManifestTargets> {
  const userErrors: UserErrorRecord[] = [];
  const bad: Complain = (field, message, code = "BAD_USER_INPUT") => {
    userErrors.push({ field: ["input", ...(typeof field === "string" ? [field] : field)], message, code });
  };
  const fieldManager = input.fieldManager ?? DEFAULT_FIELD_MANAGER;
  if (fieldManager === "" || [...fieldManager].length > MAX_FIELD_MANAGER_LENGTH)
    bad("fieldManager", `1 to ${MAX_FIELD_MANAGER_LENGTH} characters`);
  else if (!PRINTABLE.test(fieldManager)) bad("fieldManager", "printable characters only");
  const clusters = chooseClusters(input, caller, members, bad);
  const manifest = parseManifest(input.manifest);
  userErrors.push(...manifest.userErrors);
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
  const duplicates = new Set<string>();
  for (const cluster of clusters) {
    const resolved = await Promise.all(
      manifest.documents.map((doc) =>
        objectTarget(discovery, { cluster, ...doc }, { defaultNamespace: "default" }).then((target) => {
          // Name the document in a refusal found before any call (kind not served, scope).
          const problem = target.problem && {
            ...target.problem,
            message: `document ${doc.index} (${doc.apiVersion} ${doc.kind} ${doc.name}): ${target.problem.message}`,
          };
          return { ...target, problem };
        }),
      ),
    );
    for (const message of duplicatesOf(manifest.documents, resolved)) duplicates.add(message);
    resolved.forEach((target, i) => configs.set(targetKey(target), manifest.documents[i]!.object));
    targets.push(...resolved);
  }
  // Two documents that are one object once the namespace is defaulted would share one target key
  // (one's outcome, config and idempotency record standing for both): refused before any call.
  for (const message of duplicates) bad("manifest", message);
  if (userErrors.length > 0) return { targets: [], configs: new Map(), fieldManager, userErrors };
  return { targets, configs, fieldManager, userErrors };
}

/** Exactly one of `clusters` and `clusterSelector`; clusters the caller cannot see read as absent. */
function chooseClusters(
  input: ManifestApplyInput,
  caller: MutationCaller,
  members: FleetMembers,
  bad: Complain,
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
    named.forEach((name, i) => {
      if (!visible.includes(name)) bad(["clusters", String(i)], `no cluster named "${name}"`);
    });
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

/**
 * The documents that resolve to one object on a cluster (same group, resource, namespace after
 * defaulting, and name; or, for a kind the cluster did not resolve, the same target key), each
 * pair named by both documents' indexes.
 */
function duplicatesOf(documents: readonly ManifestDocument[], resolved: readonly MutationTarget[]): string[] {
  const first = new Map<string, number>();
  const messages: string[] = [];
  resolved.forEach((target, i) => {
    const doc = documents[i]!;
    const object = `${target.namespace ? `${target.namespace}/` : ""}${target.name}`;
    const identity = target.path.plural
      ? `${target.group}/${target.path.plural} ${object}`
      : targetKey({ ...target, cluster: "" });
    const earlier = first.get(identity);
    if (earlier === undefined) first.set(identity, doc.index);
    else messages.push(`documents ${earlier} and ${doc.index} are the same object (${doc.kind} ${object})`);
  });
  return messages;
}
