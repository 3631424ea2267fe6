/** Audit: `auditEvents`, a page of API-server audit entries. Thin: the request's AuditSearch does the work. */
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Extensions, FieldResolver, Info, Query, Resolver, Root } from "type-graphql";
import type { AuditEntry as EntryData } from "../src/logs/audit-search.js";
import type { RequestContext } from "../src/request/context.js";
import { AuditEntry, AuditEntryConnection, AuditFilter } from "../schema/audit.js";
import { Cluster } from "../schema/cluster.js";
import type { ConnectionShape } from "../schema/connection.js";
import { LogDirection } from "../schema/logs.js";
import type { OutcomeView } from "./connection.js";
import { clusterOf } from "./kube-object.js";
import { entryConnection, MERGED_PAGE, pageArgs, pageRequest } from "./entry-pages.js";
import type { ClusterView } from "./views/index.js";

export type AuditView = EntryData & { clusterName: string };

@Resolver()
export class AuditQueryResolver {
  @Query(() => AuditEntryConnection, {
    description:
      "What was asked of the API servers, from their audit logs in the log stores, merged across clusters in time order. " +
      "Who may see the activity in a namespace = who may read its events; requests without a namespace " +
      "(cluster-scoped) only to whoever may read every namespace's events and the nodes of that cluster.",
  })
  @Extensions(MERGED_PAGE)
  async auditEvents(
    @Arg("filter", () => AuditFilter, {
      nullable: true,
      description: "What to match; default: every entry you may see in the last hour.",
    })
    filter: AuditFilter | null,
    @pageArgs.first() first: number | null,
    @pageArgs.after() after: string | null,
    @pageArgs.direction() direction: LogDirection,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<AuditView, OutcomeView>> {
    const page = await ctx.auditSearch.page(filter ?? {}, pageRequest(first, after, direction, info));
    return entryConnection({ ...page, entries: page.entries.map((e) => ({ ...e, clusterName: e.cluster })) });
  }
}

@Resolver(() => AuditEntry)
export class AuditEntryResolver {
  @FieldResolver(() => Cluster, { description: "The cluster." })
  cluster(@Root() entry: AuditView, @Ctx() ctx: RequestContext): ClusterView {
    return clusterOf(entry.cluster, ctx);
  }
}
