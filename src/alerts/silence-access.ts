/**
 * Who may make, expire and see a silence (docs/alerts.md "Silences"), decided from the
 * namespaces its matchers pin (silence-matchers.ts):
 *  - pinned to namespaces: whoever may delete pods in every one of them (what those alerts are
 *    about; a workspace admin in their workspace's namespaces, a namespace admin or operator);
 *  - pinned to none: it mutes every namespace's alerts and the cluster-level ones, so only a
 *    cluster role that may patch the cluster's nodes (cluster-admin, platform-admin).
 * Both are questions to the access evaluator (the gateway's grants AND the cluster's RBAC as
 * the gateway holds it AND any policy): Alertmanager knows no Kubernetes users, so nothing
 * else decides. Expiring asks the same of the silence's own matchers. Seeing a silence is
 * the read side: the pods of every namespace it pins, or a cluster role (alert-scope.ts).
 */
import type { Scope } from "../cache/scope.js";
import type { AccessAnswer, AccessQuestion } from "../request/access.js";
import { mayReadClusterAlerts } from "./alert-scope.js";
import { pinnedNamespaces } from "./silence-matchers.js";
import type { SilenceMatcher } from "./silence.js";

export type AskAccess = (question: AccessQuestion) => Promise<AccessAnswer>;

/** What silencing a namespace's alerts takes there. */
export const namespaceSilenceQuestion = (cluster: string, namespace: string): AccessQuestion => ({
  verb: "delete",
  group: "",
  resource: "pods",
  cluster,
  namespace,
});

/** What silencing a whole cluster's alerts takes: a cluster role's write (cordoning its nodes). */
export const clusterSilenceQuestion = (cluster: string): AccessQuestion => ({
  verb: "patch",
  group: "",
  resource: "nodes",
  cluster,
});

/** Why the caller may not make (or expire) a silence with these matchers on `cluster`; undefined: it may. */
export async function silenceAuthorityProblem(
  ask: AskAccess,
  cluster: string,
  matchers: readonly SilenceMatcher[],
): Promise<string | undefined> {
  const pinned = pinnedNamespaces(matchers);
  if (pinned === undefined) {
    const answer = await ask(clusterSilenceQuestion(cluster));
    if (answer.allowed) return undefined;
    return (
      `a silence that pins no namespace mutes every alert of cluster ${cluster} it matches, cluster-level ones included: ` +
      `that takes a cluster role there (one that may patch its nodes)${because(answer)}. ` +
      `To silence your namespaces' alerts, add the matcher namespace="<namespace>" (or namespace=~"a|b" for several)`
    );
  }
  const refused: string[] = [];
  let first: AccessAnswer | undefined;
  for (const namespace of [...pinned].sort()) {
    const answer = await ask(namespaceSilenceQuestion(cluster, namespace));
    if (!answer.allowed) {
      refused.push(namespace);
      first ??= answer;
    }
  }
  if (refused.length === 0) return undefined;
  return (
    `you may not silence the alerts of namespace${refused.length > 1 ? "s" : ""} ${refused.join(", ")} on cluster ${cluster}: ` +
    `that takes the right to delete its pods (a workspace admin of its workspace, a namespace admin or operator)${because(first!)}`
  );
}

function because(answer: AccessAnswer): string {
  return answer.reason ? ` (${answer.reason})` : "";
}

/** Whether the caller may see the silence: it could read every alert the silence may mute. */
export function maySeeSilence(scope: Scope, cluster: string, matchers: readonly SilenceMatcher[]): boolean {
  const pinned = pinnedNamespaces(matchers);
  if (pinned === undefined) return mayReadClusterAlerts(scope, cluster);
  const readable = scope.namespacesIn(cluster, "Pod");
  return readable === "*" || [...pinned].every((ns) => readable.has(ns));
}
