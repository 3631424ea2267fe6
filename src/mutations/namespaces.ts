/** The mutations of namespaces (namespaceCreate), knowing no GraphQL. */
import { NAMESPACE } from "../kinds/index.js";
import { namespaceCreateOperation } from "./namespace-create.js";
import type { MutationResult, UserErrorRecord } from "./outcome.js";
import type { MutationCaller, MutationPipeline } from "./run.js";
import { cachedTarget, targetLimitError } from "./targets.js";
import type { MutationInputBase } from "./workloads.js";

export interface NamespaceCreateInput extends MutationInputBase {
  /** One cluster, or `clusters` (exactly one of the two). */
  cluster?: string | null;
  clusters?: readonly string[] | null;
  name: string;
  workspace: string;
  labels?: readonly { key: string; value: string }[] | null;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class NamespaceMutations {
  constructor(
    private readonly pipeline: MutationPipeline,
    private readonly workspaceLabel: string,
  ) {}

  async create(input: NamespaceCreateInput, caller: MutationCaller): Promise<MutationResult> {
    const userErrors: UserErrorRecord[] = [];
    const bad = (field: string[], message: string): void => {
      userErrors.push({ field: ["input", ...field], message, code: "BAD_USER_INPUT" });
    };
    const clusters = input.clusters ?? (input.cluster ? [input.cluster] : []);
    if ((input.cluster ? 1 : 0) + (input.clusters ? 1 : 0) !== 1 || clusters.length === 0) {
      bad([], "give cluster or clusters (not both), naming at least one cluster");
    }
    clusters.forEach((cluster, i) => {
      const known =
        this.pipeline.connections.get(cluster) !== undefined && caller.scope.allowsCluster(cluster);
      if (!known)
        bad(input.clusters ? ["clusters", String(i)] : ["cluster"], `no cluster named "${cluster}"`);
    });
    const tooMany = targetLimitError(
      clusters.length,
      this.pipeline.maxTargets(),
      ["input", "clusters"],
      "clusters",
    );
    if (tooMany) userErrors.push(tooMany);
    if (input.name.length > 63 || !DNS_LABEL.test(input.name)) {
      bad(
        ["name"],
        "a namespace name is a DNS label: at most 63 lower-case letters, digits and -, starting and ending with a letter or digit",
      );
    }
    if (input.workspace.length > 63 || !DNS_LABEL.test(input.workspace)) {
      bad(["workspace"], "a workspace name is a DNS label (as a label value it must be one)");
    }
    // Label keys and values are the API server's to validate (an INVALID outcome names them).
    const labels = Object.fromEntries((input.labels ?? []).map(({ key, value }) => [key, value]));
    if (this.workspaceLabel in labels) bad(["labels"], `${this.workspaceLabel} is set from workspace`);
    if (userErrors.length > 0) return { outcomes: [], userErrors };
    const targets = [...new Set(clusters)].map((cluster) => ({
      ...cachedTarget(NAMESPACE, cluster, undefined, null),
      name: input.name,
      problem: undefined,
    }));
    return this.pipeline.run(caller, {
      operation: namespaceCreateOperation({
        workspace: input.workspace,
        workspaceLabel: this.workspaceLabel,
        labels,
        dryRun: input.dryRun === true,
      }),
      targets,
      input,
      idempotencyKey: input.idempotencyKey,
    });
  }
}
