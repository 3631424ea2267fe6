/** Ingress relations: a backend's service, a TLS entry's secret, and a service's ingresses. */
import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { CacheEntry } from "../src/cache/entry.js";
import { INGRESS } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { IngressListArgs } from "../schema/list-args.js";
import { Secret } from "../schema/config.js";
import type { ConnectionShape } from "../schema/connection.js";
import { IngressConnection } from "../schema/connections.js";
import { IngressBackend, IngressTls } from "../schema/ingress.js";
import { Service } from "../schema/service.js";
import type { OutcomeView } from "./connection.js";
import { listOf, listRequest } from "./list.js";
import {
  ingressView,
  secretView,
  serviceView,
  type IngressBackendViewOf,
  type IngressView,
  type SecretView,
  type ServiceView,
} from "./views/index.js";

type TlsView = IngressTls & { of: CacheEntry };

@Resolver(() => IngressBackend)
export class IngressBackendResolver {
  @FieldResolver(() => Service, {
    nullable: true,
    description: "The service; null for a resource backend, or when it is gone.",
  })
  service(@Root() backend: IngressBackendViewOf, @Ctx() ctx: RequestContext): ServiceView | null {
    if (backend.serviceName === null) return null;
    const { cluster, namespace } = backend.of;
    const entry = ctx.services.graph.byName(cluster, "Service", namespace, backend.serviceName, ctx.scope);
    return entry ? serviceView(entry as never) : null;
  }
}

@Resolver(() => IngressTls)
export class IngressTlsResolver {
  @FieldResolver(() => Secret, {
    nullable: true,
    description: "The certificate's Secret (metadata only); null when gone.",
  })
  secret(@Root() tls: TlsView, @Ctx() ctx: RequestContext): SecretView | null {
    if (tls.secretName === null) return null;
    const entry = ctx.services.graph.byName(
      tls.of.cluster,
      "Secret",
      tls.of.namespace,
      tls.secretName,
      ctx.scope,
    );
    return entry ? secretView(entry as never) : null;
  }
}

@Resolver(() => Service)
export class ServiceIngressResolver {
  @FieldResolver(() => IngressConnection, { description: "The ingresses that route to it." })
  ingresses(
    @Root() service: ServiceView,
    @Args(() => IngressListArgs) args: IngressListArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<IngressView, OutcomeView>> {
    const request = listRequest(args, { serviceName: service.name });
    return listOf(ctx, [INGRESS], request, ingressView, ctx.services.graph.inNamespaceOf(service.entry));
  }
}
