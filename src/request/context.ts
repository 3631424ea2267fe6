/**
 * THE request context: who may see what (the Scope), the read services, and what is per
 * request (loaders, the per-cluster outcomes and warnings). HTTP builds one per operation; a
 * websocket subscription will build one per event (loaders must not cache longer than that).
 */
import type { Subject } from "../../auth/subject.js";
import type { Scope } from "../cache/scope.js";
import type { RequestAccess } from "./access.js";
import { NO_TENANCY, type TenancyCommands } from "./tenancy.js";
import { ClusterOutcomes, createLoaders, type Loaders, type ReadServices } from "../query-service/index.js";

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
}

/** A part of the context, or how to make it when a resolver first asks (most requests never do). */
export type Lazy<T> = T | (() => T);

export function createRequestContext(
  services: ReadServices,
  subject: Subject,
  scope: Scope,
  access: Lazy<RequestAccess> = OPEN_ACCESS,
  tenancy: Lazy<TenancyCommands> = NO_TENANCY,
): RequestContext {
  let madeAccess: RequestAccess | undefined;
  let madeTenancy: TenancyCommands | undefined;
  return {
    subject,
    scope,
    get access() {
      return (madeAccess ??= typeof access === "function" ? access() : access);
    },
    get tenancy() {
      return (madeTenancy ??= typeof tenancy === "function" ? tenancy() : tenancy);
    },
    services,
    loaders: createLoaders(services.reader, scope),
    outcomes: new ClusterOutcomes(),
  };
}

/** Authentication off: every decision allowed, no roles, no members. */
export const OPEN_ACCESS: RequestAccess = Object.freeze({
  can: () => Promise.resolve({ allowed: true, reason: "authentication is off" }),
  roles: () => [],
  workspaceRole: () => undefined,
  members: () => [],
});
