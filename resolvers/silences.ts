/**
 * Silences: the `silences` query, `Alert.silences`, and the silenceCreate and silenceExpire
 * mutations. Thin: SilenceReads (src/alerts) reads and scopes; SilenceMutations (src/mutations)
 * checks, authorises, writes and audits.
 */
import { Arg, Ctx, Extensions, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { silenceReadsOf, silenceSourcesOf, type AlertContext } from "../src/alerts/context.js";
import type { Silence as SilenceData } from "../src/alerts/silence.js";
import type { MutationResult } from "../src/mutations/index.js";
import { SilenceMutations } from "../src/mutations/silences.js";
import type { RequestContext } from "../src/request/context.js";
import { Alert } from "../schema/alerts.js";
import { Cluster } from "../schema/cluster.js";
import type { ConnectionShape } from "../schema/connection.js";
import {
  Silence,
  SilenceConnection,
  SilenceCreateInput,
  SilenceExpireInput,
  SilenceFilter,
  SilenceMutationPayload,
  SilenceState,
} from "../schema/silences.js";
import type { AlertView } from "./alerts.js";
import { cursoredConnection, type OutcomeView } from "./connection.js";
import { MERGED_PAGE, PER_OBJECT_SEARCH } from "./entry-pages.js";
import { clusterOf } from "./kube-object.js";
import {
  callerOf,
  mutationsOf,
  payloadOf,
  WRITE_PER_TARGET,
  type MutationRequestContext,
} from "./mutations.js";
import type { ClusterView } from "./views/index.js";

type Context = RequestContext & AlertContext;

type SilenceView = Omit<Silence, "cluster"> & { __typename: "Silence" };

function silenceView(silence: SilenceData): SilenceView {
  return {
    __typename: "Silence",
    id: silence.id,
    clusterName: silence.cluster,
    matchers: silence.matchers.map((m) => ({ ...m })),
    startsAt: new Date(silence.startsAt),
    endsAt: new Date(silence.endsAt),
    updatedAt: new Date(silence.updatedAt),
    createdBy: silence.createdBy,
    comment: silence.comment,
    state: silence.state as SilenceState,
  };
}

function silenceMutations(ctx: MutationRequestContext & AlertContext): SilenceMutations {
  return new SilenceMutations(mutationsOf(ctx).pipeline, silenceSourcesOf(ctx));
}

/** The payload, each outcome's object the silence made or expired. */
function silencePayload(result: MutationResult, ctx: MutationRequestContext): SilenceMutationPayload {
  const payload = payloadOf<SilenceView>(result, ctx);
  return {
    ...payload,
    outcomes: payload.outcomes.map((outcome, i) => {
      const silence = result.outcomes[i]?.details?.silence;
      return { ...outcome, object: silence ? silenceView(silence) : null };
    }),
  } as unknown as SilenceMutationPayload;
}

@Resolver()
export class SilenceQueryResolver {
  @Query(() => SilenceConnection, {
    description:
      "The silences of the fleet's Alertmanagers you may see (those pinned to namespaces whose pods you may read; " +
      "unpinned ones with a cluster role), newest first. A failed Alertmanager leaves its cluster's out, said in `outcomes`.",
  })
  @Extensions(MERGED_PAGE)
  async silences(
    @Arg("filter", () => SilenceFilter, {
      nullable: true,
      description: "Which silences; default every one you may see.",
    })
    filter: SilenceFilter | null,
    @Arg("first", () => Int, { nullable: true, description: "At most 500; default 50." })
    first: number | null,
    @Arg("after", () => String, { nullable: true, description: "A silence's cursor: the page after it." })
    after: string | null,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<SilenceView, OutcomeView>> {
    const page = await silenceReadsOf(ctx).list(filter ?? {}, { first, after });
    return cursoredConnection(page, (i) => silenceView(i.silence), after);
  }
}

@Resolver(() => Silence)
export class SilenceResolver {
  @FieldResolver(() => Cluster)
  cluster(@Root() silence: SilenceView, @Ctx() ctx: RequestContext): ClusterView {
    return clusterOf(silence.clusterName, ctx);
  }
}

/** An alert muted by more silences than this shows the first (they are its `silencedBy` too). */
const MAX_ALERT_SILENCES = 16;

@Resolver(() => Alert)
export class AlertSilencesResolver {
  @FieldResolver(() => [Silence])
  @Extensions({ ...PER_OBJECT_SEARCH, maxItems: MAX_ALERT_SILENCES })
  async silences(@Root() alert: AlertView, @Ctx() ctx: Context): Promise<SilenceView[]> {
    const { cluster, silencedBy } = alert.data;
    const silences = await silenceReadsOf(ctx).byIds(cluster, silencedBy);
    return silences.slice(0, MAX_ALERT_SILENCES).map(silenceView);
  }
}

@Resolver()
export class SilenceMutationsResolver {
  @Mutation(() => SilenceMutationPayload, {
    description:
      "Silences alerts on one or more clusters' Alertmanagers, as you (createdBy is your user name): one outcome per " +
      "cluster, its object the silence made. Matchers that pin no namespace take a cluster role; otherwise the right " +
      "to delete pods in every namespace they pin. Audited.",
  })
  @Extensions(WRITE_PER_TARGET)
  async silenceCreate(
    @Arg("input", () => SilenceCreateInput, { description: "The clusters, matchers, how long and why." })
    input: SilenceCreateInput,
    @Ctx() ctx: MutationRequestContext & AlertContext,
  ): Promise<SilenceMutationPayload> {
    return silencePayload(await silenceMutations(ctx).create(input, callerOf(ctx)), ctx);
  }

  @Mutation(() => SilenceMutationPayload, {
    description:
      "Expires a silence now, if you could have made it (its matchers are checked again): its alerts fire again. " +
      "An already expired one is UNCHANGED. Audited.",
  })
  @Extensions(WRITE_PER_TARGET)
  async silenceExpire(
    @Arg("input", () => SilenceExpireInput, { description: "The cluster and the silence's id." })
    input: SilenceExpireInput,
    @Ctx() ctx: MutationRequestContext & AlertContext,
  ): Promise<SilenceMutationPayload> {
    return silencePayload(await silenceMutations(ctx).expire(input, callerOf(ctx)), ctx);
  }
}

export const SILENCE_RESOLVERS = [
  SilenceQueryResolver,
  SilenceResolver,
  AlertSilencesResolver,
  SilenceMutationsResolver,
] as const;
