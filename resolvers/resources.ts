/** Query.resources and Query.apiResources: any kind, through the cluster's discovery. */
import { GraphQLError } from "graphql";
import { Arg, Ctx, Extensions, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { ApiResource as ApiResourceData } from "../src/discovery/index.js";
import type { ResourceContext, ResourceReads } from "../src/live-read/index.js";
import type { RequestContext } from "../src/request/context.js";
import { ApiResource, ResourceConnection } from "../schema/resource.js";
import { Cluster } from "../schema/cluster.js";
import { edgesOf } from "./connection.js";
import { clusterOf } from "./kube-object.js";
import type { ClusterView } from "./views/index.js";

type Context = RequestContext & ResourceContext;

@Resolver()
export class ResourceResolver {
  @Query(() => ResourceConnection, {
    nullable: true,
    description:
      "Objects of any kind (custom resources included) from one cluster's API server, as JSON, read on the caller's behalf (the cluster's own RBAC applies). Secrets (v1) come with their keys but null values unless revealSecretData is asked. Null when the cluster cannot answer (see the errors).",
  })
  // One list from the API server (discovery is cached): the upstream-call budget counts it.
  @Extensions({ upstreamCalls: 1 })
  async resources(
    @Arg("cluster", { description: "The cluster's name." }) cluster: string,
    @Arg("apiVersion", { description: 'As in a manifest: "v1" or "<group>/<version>".' }) apiVersion: string,
    @Arg("kind", { description: 'The kind, e.g. "ConfigMap" (as discovery names it).' }) kind: string,
    @Arg("namespace", () => String, { nullable: true, description: "Every namespace when left out." })
    namespace: string | null,
    @Arg("labelSelector", () => String, { nullable: true, description: "A Kubernetes label selector." })
    labelSelector: string | null,
    @Arg("first", () => Int, { nullable: true, description: "At most 1000; 100 when left out." })
    first: number | null,
    @Arg("after", () => String, { nullable: true, description: "Return objects after this cursor." })
    after: string | null,
    @Arg("revealSecretData", () => Boolean, {
      nullable: true,
      description:
        "For Secrets (v1): return the values of data and stringData. Only on a cluster that checked the caller's own access (impersonated) and allowed the list; otherwise values stay null and a SECRET_DATA_WITHHELD warning says why. Default false.",
    })
    revealSecretData: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<ResourceConnection | null> {
    const page = await reads(ctx).list(
      { cluster, apiVersion, kind, namespace, labelSelector, first, after, revealSecretData },
      ctx.scope,
      ctx.subject,
      ctx.outcomes,
    );
    if (!page) return null;
    return {
      clusterName: page.cluster,
      resource: apiResource(page.resource),
      edges: edgesOf(page.items, page.cursors),
      nodes: page.items,
      pageInfo: page.pageInfo,
      totalCount: page.totalCount,
      resourceVersion: page.resourceVersion,
    };
  }

  @Query(() => [ApiResource], {
    nullable: true,
    description: "The listable kinds a cluster serves, from its API discovery. Null when it cannot answer.",
  })
  @Extensions({ upstreamCalls: 1 })
  async apiResources(
    @Arg("cluster", { description: "The cluster's name." }) cluster: string,
    @Ctx() ctx: Context,
  ): Promise<ApiResource[] | null> {
    const found = await reads(ctx).apiResources(cluster, ctx.scope, ctx.outcomes);
    return found?.map(apiResource) ?? null;
  }
}

function reads(ctx: Context): ResourceReads {
  if (ctx.resources) return ctx.resources;
  throw new GraphQLError(
    "the resources queries are not available on this gateway: no API server reader is configured",
    {
      extensions: { code: "RESOURCES_UNAVAILABLE" },
    },
  );
}

function apiResource(r: ApiResourceData): ApiResource {
  return {
    group: r.group,
    version: r.version,
    apiVersion: r.apiVersion,
    kind: r.kind,
    plural: r.plural,
    namespaced: r.namespaced,
    verbs: r.verbs,
  };
}

@Resolver(() => ResourceConnection)
export class ResourceConnectionResolver {
  @FieldResolver(() => Cluster, { description: "The cluster it was read from." })
  cluster(@Root() page: ResourceConnection, @Ctx() ctx: RequestContext): ClusterView {
    return clusterOf(page.clusterName, ctx);
  }
}
