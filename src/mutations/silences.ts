/**
 * The mutations of Alertmanager silences (silenceCreate, silenceExpire), knowing no GraphQL:
 * the input checked (clusters, matchers, window, comment) into user errors, then one target per
 * cluster through the pipeline every mutation shares (idempotency keys, per-cluster outcomes,
 * one audit record per cluster). Who may do what is the operations' (silence-access.ts).
 */
import {
  matcherProblems,
  pinnedNamespaces,
  silenceMatchers,
  type SilenceMatcherInput,
} from "../alerts/silence-matchers.js";
import { silenceWindow, SilenceWindowError } from "../alerts/silence-window.js";
import type { SilenceSources } from "../alerts/silence.js";
import { knownCluster, namedClusters } from "./input-checks.js";
import type { MutationResult, UserErrorRecord } from "./outcome.js";
import type { MutationCaller, MutationPipeline } from "./run.js";
import { silenceCreateOperation } from "./silence-create.js";
import { silenceExpireOperation } from "./silence-expire.js";
import { silenceTarget } from "./silence-target.js";
import type { MutationInputBase } from "./workloads.js";

export interface SilenceCreateInput extends MutationInputBase {
  /** One cluster, or `clusters` (exactly one of the two). */
  cluster?: string | null;
  clusters?: readonly string[] | null;
  matchers: readonly SilenceMatcherInput[];
  /** How long from now ("2h", "PT2H"); or `endsAt`. */
  duration?: string | null;
  endsAt?: Date | null;
  comment: string;
}

export interface SilenceExpireInput extends MutationInputBase {
  cluster: string;
  id: string;
}

const MAX_COMMENT = 1_000;
/** Alertmanager's silence ids are UUIDs; anything else would only be a path to mangle. */
const SILENCE_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export class SilenceMutations {
  constructor(
    private readonly pipeline: MutationPipeline,
    private readonly backends: SilenceSources,
  ) {}

  async create(input: SilenceCreateInput, caller: MutationCaller, now = Date.now()): Promise<MutationResult> {
    const { clusters, userErrors } = namedClusters(input, caller, this.pipeline);
    const bad = (field: (string | number)[], message: string): void => {
      userErrors.push({ field: ["input", ...field.map(String)], message, code: "BAD_USER_INPUT" });
    };
    const matchers = silenceMatchers(input.matchers);
    for (const problem of matcherProblems(matchers))
      bad(
        [
          "matchers",
          ...(problem.index !== undefined ? [problem.index] : []),
          ...(problem.field ? [problem.field] : []),
        ],
        problem.message,
      );
    // In an Alertmanager shared by clusters the gateway adds the cluster label's matcher itself: one
    // given would pin the silence to another cluster (or to none) while the rights were asked here.
    matchers.forEach((m, index) => {
      const shared = clusters.find((c) => this.backends.forCluster(c)?.clusterLabel?.name === m.name);
      if (shared !== undefined)
        bad(
          ["matchers", index, "name"],
          `the gateway sets the "${m.name}" matcher itself (cluster ${shared}'s Alertmanager holds several clusters' alerts): ` +
            "leave it out and name the clusters with cluster or clusters",
        );
    });
    const comment = input.comment.trim();
    if (comment === "")
      bad(["comment"], "say why the alerts are silenced: the comment is what on-call reads");
    else if (comment.length > MAX_COMMENT) bad(["comment"], `at most ${MAX_COMMENT} characters`);
    let window;
    try {
      window = silenceWindow(input, now);
    } catch (error) {
      if (!(error instanceof SilenceWindowError)) throw error;
      bad([error.field], error.message);
    }
    if (userErrors.length > 0 || !window) return { outcomes: [], userErrors };
    const pinned = pinnedNamespaces(matchers);
    const namespace = pinned?.size === 1 ? [...pinned][0]! : "";
    return this.pipeline.run(caller, {
      operation: silenceCreateOperation({
        matchers,
        window,
        comment,
        createdBy: caller.subject.user,
        dryRun: input.dryRun === true,
        backends: this.backends,
      }),
      targets: clusters.map((cluster) => silenceTarget(cluster, "", namespace)),
      // The key is bound to the window as given (a duration, not the time it ends); a Date would
      // fingerprint as an empty object.
      input: { ...input, endsAt: input.endsAt?.toISOString() },
      idempotencyKey: input.idempotencyKey,
    });
  }

  async expire(input: SilenceExpireInput, caller: MutationCaller): Promise<MutationResult> {
    const userErrors: UserErrorRecord[] = [];
    const unknown = knownCluster(input.cluster, caller, this.pipeline);
    if (unknown) userErrors.push(unknown);
    if (!SILENCE_ID.test(input.id))
      userErrors.push({
        field: ["input", "id"],
        message: "a silence id is a UUID, as Alertmanager (and Silence.id) gives it",
        code: "BAD_USER_INPUT",
      });
    if (userErrors.length > 0) return { outcomes: [], userErrors };
    return this.pipeline.run(caller, {
      operation: silenceExpireOperation({
        scope: caller.scope,
        dryRun: input.dryRun === true,
        backends: this.backends,
      }),
      targets: [silenceTarget(input.cluster, input.id.toLowerCase())],
      input,
      idempotencyKey: input.idempotencyKey,
    });
  }
}
