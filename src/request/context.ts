/**
 * THE request context: who may see what (the Scope), the read services, and what is per
 * request (loaders, the per-cluster outcomes and warnings). HTTP builds one per operation; a
 * websocket subscription will build one per event (loaders must not cache longer than that).
 */
import type { Subject } from "../../auth/subject.js";
import { Scope } from "../cache/scope.js";
import type { RequestAccess } from "./access.js";
import { NO_TENANCY, type TenancyCommands } from "./tenancy.js";
import { ClusterOutcomes, createLoaders, type Loaders, type ReadServices } from "../query-service/index.js";
import { MetricReads } from "../metrics/metric-reads.js";
import { NO_REQUEST_AUDIT, type RequestAudit } from "../audit/recorder.js";
import { NO_METRICS, type MetricsSetup } from "../metrics/sources.js";
import { LogReads } from "../logs/log-reads.js";
import { logAccess } from "../logs/log-access.js";
import { NO_LOGS, type LogsSetup } from "../logs/sources.js";
import { EventHistory } from "../logs/event-history.js";
import { AuditSearch } from "../logs/audit-search.js";

export interface RequestContext {
  /** Who is calling (authenticated before the context is built). */
  subject: Subject;
  scope: Scope;
  /** Decisions about the caller's rights beyond reading (viewerCan fields, roles, members). */
  access: RequestAccess;
  /** API tokens and role bindings, as this caller may manage them. */
  tenancy: TenancyCommands;
  services: ReadServices;
  loaders: Loaders;
  outcomes: ClusterOutcomes;
  /** This request's metric reads (made when a resolver first asks: their queries are batched per request). */
  metrics: MetricReads;
  /** This request's container-log searches (made when a resolver first asks). */
  logs: LogReads;
  /**
   * The audit trail bound to this caller and request: recording an action is one line,
   * `await ctx.audit.record({ operation: "pod.delete", outcome: "success", cluster, namespace, resource })`.
   */
  audit: RequestAudit;
  /** This request's event history: the log stores' events merged with the caches' (made when first asked). */
  eventHistory: EventHistory;
  /** This request's searches of the API servers' audit logs in the log stores (made when first asked). */
  auditSearch: AuditSearch;
}

/** What the narrowing of log searches enumerates a cluster's namespaces with (names only, never served). */
const EVERYTHING = Scope.everything();

/** A part of the context, or how to make it when a resolver first asks (most requests never do). */
export type Lazy<T> = T | (() => T);

export function createRequestContext(
  services: ReadServices,
  subject: Subject,
  scope: Scope,
  access: Lazy<RequestAccess> = OPEN_ACCESS,
  tenancy: Lazy<TenancyCommands> = NO_TENANCY,
  metricsSetup: MetricsSetup = NO_METRICS,
  logsSetup: LogsSetup = NO_LOGS,
  audit: RequestAudit = NO_REQUEST_AUDIT,
): RequestContext {
  let madeAccess: RequestAccess | undefined;
  let madeTenancy: TenancyCommands | undefined;
  let madeMetrics: MetricReads | undefined;
  let madeLogs: LogReads | undefined;
  let madeEventHistory: EventHistory | undefined;
  let madeAudit: AuditSearch | undefined;
  const outcomes = new ClusterOutcomes(services.shownFailure);
  return {
    subject,
    scope,
    get access() {
      return (madeAccess ??= typeof access === "function" ? access() : access);
    },
    get tenancy() {
      return (madeTenancy ??= typeof tenancy === "function" ? tenancy() : tenancy);
    },
    get metrics() {
      return (madeMetrics ??= new MetricReads({
        sources: metricsSetup.sources,
        rangeCache: metricsSetup.rangeCache,
        reader: services.reader,
        graph: services.graph,
        scope,
        outcomes,
        platformAdmin: () => {
          const decided = this.access;
          return decided === OPEN_ACCESS || decided.roles().some((r) => r.role === "platform-admin");
        },
      }));
    },
    get logs() {
      return (madeLogs ??= new LogReads({
        services,
        scope,
        outcomes,
        sources: logsSetup.sources,
        logAccess: logAccess(this.access, services.reader, EVERYTHING),
        ...(logsSetup.live
          ? { live: { reader: logsSetup.live, caller: () => ({ subject, scope, access: this.access }) } }
          : {}),
      }));
    },
    get eventHistory() {
      return (madeEventHistory ??= new EventHistory({
        services,
        scope,
        outcomes,
        sources: logsSetup.sources,
      }));
    },
    get auditSearch() {
      return (madeAudit ??= new AuditSearch({ services, scope, outcomes, sources: logsSetup.sources }));
    },
    services,
    loaders: createLoaders(services.reader, scope),
    outcomes,
    audit,
  };
}

/** Authentication off: every decision allowed, no roles, no members. */
export const OPEN_ACCESS: RequestAccess = Object.freeze({
  can: () => Promise.resolve({ allowed: true, reason: "authentication is off" }),
  clusterAllows: () => true,
  roles: () => [],
  workspaceRole: () => undefined,
  members: () => [],
});
