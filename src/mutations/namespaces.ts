/** The mutations of namespaces (namespaceCreate), knowing no GraphQL. */
import { isDnsLabel } from "../kube/names.js";
import { NAMESPACE } from "../kinds/index.js";
import { namedClusters, namespaceName } from "./input-checks.js";
import { namespaceCreateOperation } from "./namespace-create.js";
import type { MutationResult } from "./outcome.js";
import type { MutationCaller, MutationPipeline } from "./run.js";
import { cachedTarget } from "./targets.js";
import type { MutationInputBase } from "./workloads.js";

export interface NamespaceCreateInput extends MutationInputBase {
  /** One cluster, or `clusters` (exactly one of the two). */
  cluster?: string | null;
  clusters?: readonly string[] | null;
  name: string;
  workspace: string;
  labels?: readonly { key: string; value: string }[] | null;
}

export class NamespaceMutations {
  constructor(
    private readonly pipeline: MutationPipeline,
    private readonly workspaceLabel: string,
  ) {}

  async create(input: NamespaceCreateInput, caller: MutationCaller): Promise<MutationResult> {
    const { clusters, userErrors } = namedClusters(input, caller, this.pipeline);
    const bad = (field: string[], message: string): void => {
      userErrors.push({ field: ["input", ...field], message, code: "BAD_USER_INPUT" });
    };
    const badName = namespaceName(input.name, ["name"]);
    if (badName) userErrors.push(badName);
    if (!isDnsLabel(input.workspace)) {
      bad(["workspace"], "a workspace name is a DNS label (as a label value it must be one)");
    }
    // Label keys and values are the API server's to validate (an INVALID outcome names them).
    const labels = Object.fromEntries((input.labels ?? []).map(({ key, value }) => [key, value]));
    if (this.workspaceLabel in labels) bad(["labels"], `${this.workspaceLabel} is set from workspace`);
    if (userErrors.length > 0) return { outcomes: [], userErrors };
    const targets = clusters.map((cluster) => ({
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
