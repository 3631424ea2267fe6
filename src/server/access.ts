/**
 * The access layer of the gateway: the cluster-RBAC evaluator over the cached RBAC objects, the
 * built-in role bindings (config and persisted), the optional OPA policy, and the evaluator that
 * turns a Subject into its Scope and decisions. Handed to the request context factory.
 */
import type { BackendCallObserver } from "../telemetry/backend-call.js";
import { GraphQLError } from "graphql";
import { AccessEvaluator } from "../../auth/access/access-evaluator.js";
import { callerAccess } from "../../auth/access/caller-access.js";
import { FleetRbac, rbacSyncedIn } from "../../auth/access/cluster-rbac/fleet-rbac.js";
import { OpaPolicySource } from "../../auth/access/opa-policy.js";
import { PersistedRoleBindings } from "../../auth/access/persisted-role-bindings.js";
import { PolicyUnavailableError } from "../../auth/access/policy-errors.js";
import type { GatewayRoleBinding } from "../../auth/access/roles.js";
import type { ApiTokens } from "../../auth/identity/api-tokens.js";
import type { Subject } from "../../auth/subject.js";
import { tenancyCommands } from "../../auth/tenancy-commands.js";
import type { Scope } from "../cache/scope.js";
import type { AuthSettings, GatewayConfig } from "../config/index.js";
import type { AccessSource } from "../request/context-factory.js";
import type { SharedStore } from "../store/shared-store.js";
import type { Fleet } from "./fleet.js";

export interface AccessLayer extends AccessSource {
  readonly evaluator: AccessEvaluator;
  readonly roleBindings: PersistedRoleBindings;
  /** Config bindings and persisted ones, as the evaluator sees them. */
  bindings(): readonly GatewayRoleBinding[];
  stop(): Promise<void>;
}

export async function startAccess(
  fleet: Pick<Fleet, "index" | "engine" | "caches" | "registry">,
  settings: AuthSettings,
  config: () => GatewayConfig,
  store: SharedStore,
  apiTokens: ApiTokens,
  observer?: BackendCallObserver,
): Promise<AccessLayer> {
  const roleBindings = await PersistedRoleBindings.start(store);
  const bindings = (): readonly GatewayRoleBinding[] => [...settings.roleBindings, ...roleBindings.current()];
  const rbac = new FleetRbac({
    index: fleet.index,
    rbacSynced: rbacSyncedIn(fleet.caches),
    trustGatewayGrants: (cluster) => fleet.registry.config(cluster)?.trustGatewayGrants === true,
  });
  const policy = settings.opa
    ? new OpaPolicySource({ ...settings.opa, ...(observer ? { observer } : {}) })
    : undefined;
  // One array until the fleet changes: Scopes are cached per subject against its identity.
  let clusterNames: readonly string[] | undefined;
  for (const event of ["added", "removed"] as const)
    fleet.registry.on(event, () => (clusterNames = undefined));
  const evaluator = new AccessEvaluator({
    rbac,
    bindings,
    clusters: () => (clusterNames ??= fleet.registry.names()),
    reader: fleet.engine,
    index: fleet.index,
    workspaceLabel: config().workspaceLabel,
    // Config bindings are fixed for the process; persisted ones count their changes.
    bindingsRevision: () => roleBindings.revision,
    ...(policy ? { policy } : {}),
  });
  return {
    evaluator,
    roleBindings,
    bindings,
    scopeFor(subject: Subject): Scope | Promise<Scope> {
      const scope = evaluator.scopeFor(subject);
      return scope instanceof Promise
        ? scope.catch((error: unknown) => {
            throw forbidden(error);
          })
        : scope;
    },
    accessFor: (subject) => callerAccess(evaluator, bindings, subject),
    tenancyFor: (subject, audit) =>
      tenancyCommands(
        { apiTokens, persisted: roleBindings, configBindings: settings.roleBindings },
        subject,
        audit,
      ),
    stop: () => roleBindings.close(),
  };
}

/** The policy service failed: the request is refused (fail closed), saying so. */
function forbidden(error: unknown): GraphQLError {
  if (!(error instanceof PolicyUnavailableError)) throw error;
  return new GraphQLError(error.message, {
    extensions: { code: "FORBIDDEN", reason: error.failure, http: { status: 403 } },
  });
}
