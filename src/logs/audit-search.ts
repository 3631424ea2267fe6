/**
 * Audit: the API servers' audit events (audit.k8s.io/v1, as the log backend writes them) searched
 * in the log stores, one merged page across clusters in request-time order (`searchPage`).
 *
 * Who may see what: "who may see the activity in a namespace = who may read its events". An entry
 * about a namespaced object (objectRef.namespace set) is visible where the caller may read
 * Events in that namespace; an entry without a namespace (a cluster-scoped request: nodes,
 * namespaces themselves, RBAC cluster roles, discovery) only to a caller who may read every
 * namespace's events AND nodes in that cluster. In the store query this is the targets' namespace
 * terms (which match no document without a namespace), an `exists` on the namespace where the
 * caller reads every namespace but not nodes, and no namespace clause where it reads both.
 *
 * The user of an entry is the effective one: the impersonated user when the request was
 * impersonated (the gateway's own STRONG reads and `resources` act as their caller), with the
 * authenticated identity in `impersonatedBy`. Filter values (users, verbs, resources) go only into
 * term clauses, keywords only into phrases.
 */
import { QueryInputError } from "../cache/query/errors.js";
import { allOf, anyNumber, anyOf, eitherOf, exists, not, numberBetween, phrase, type Clause } from "./dsl.js";
import { encodeEntryCursor } from "./cursor.js";
import {
  checkKeywords,
  pagePosition,
  storePage,
  type EntryPage,
  type EntryPageRequest,
  type EntrySearchOptions,
} from "./entry-search.js";
import { AUDIT_FIELDS, pathValue, stringAt } from "./fields.js";
import {
  checkNames,
  checkValues,
  searchTargets,
  type ScopeFilter,
  type SearchTargets,
} from "./search-scope.js";
import type { Order, SearchSpec, SortKey } from "./store-search.js";
import { resolveRange, type TimeRangeInput } from "./time-range.js";

export type AuditOutcome = "SUCCESS" | "DENIED" | "FAILURE";

export interface AuditFilter extends ScopeFilter {
  range?: TimeRangeInput | null;
  /** Effective users (the impersonated user where there is one). */
  users?: string[] | null;
  verbs?: string[] | null;
  resources?: string[] | null;
  outcomes?: AuditOutcome[] | null;
  /** Each must appear as a phrase in the request URI, the object's name or the user agent. */
  keywords?: string[] | null;
}

export interface AuditEntry {
  time: Date;
  cluster: string;
  user: string;
  groups: string[];
  impersonatedBy: string | null;
  verb: string;
  resource: string | null;
  subresource: string | null;
  apiGroup: string | null;
  namespace: string | null;
  name: string | null;
  code: number | null;
  outcome: AuditOutcome | null;
  sourceIPs: string[];
  userAgent: string | null;
  auditId: string;
  requestURI: string;
  stage: string | null;
  cursor: string;
}

const VERB = /^[a-z]{1,32}$/;
const RESOURCE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const DENIED_CODES = [401, 403];

export class AuditSearch {
  private readonly now: () => number;

  constructor(private readonly options: EntrySearchOptions) {
    this.now = options.now ?? Date.now;
  }

  async page(filter: AuditFilter, request: EntryPageRequest): Promise<EntryPage<AuditEntry>> {
    const position = pagePosition(request, "audit");
    const prepared = {
      range: resolveRange(filter.range, this.now()),
      spec: auditSpec(filter),
      searched: this.auditTargets(filter),
    };
    return storePage(this.options, prepared, position, request.countTotal, toAuditEntry);
  }

  /** The Scope for audit (see the header): Event namespaces, cluster-wide entries with nodes. */
  private auditTargets(filter: AuditFilter): SearchTargets {
    const { scope } = this.options;
    const searched = searchTargets(this.options, filter, "Event");
    return {
      ...searched,
      targets: searched.targets.map((t) =>
        t.namespaces === "*" && !scope.allowsClusterKind(t.cluster, "Node")
          ? { ...t, namespacedOnly: true }
          : t,
      ),
    };
  }
}

/** The filter's clauses: validated, term-level for values, phrases for keywords. */
export function auditSpec(filter: AuditFilter): SearchSpec {
  checkValues("filter.users", filter.users, 256);
  checkNames("filter.verbs", filter.verbs, VERB, 32);
  checkNames("filter.resources", filter.resources, RESOURCE, 253);
  const keywords = checkKeywords(filter.keywords);
  const clauses: Clause[] = [];
  const { users, verbs, resources, outcomes } = filter;
  if (users) clauses.push(users.length === 0 ? { match_none: {} } : effectiveUser(users));
  if (verbs) clauses.push(verbs.length === 0 ? { match_none: {} } : anyOf(AUDIT_FIELDS.verb, verbs));
  if (resources)
    clauses.push(resources.length === 0 ? { match_none: {} } : anyOf(AUDIT_FIELDS.resource, resources));
  if (outcomes)
    clauses.push(outcomes.length === 0 ? { match_none: {} } : eitherOf(outcomes.map(outcomeClause)));
  for (const k of keywords) clauses.push(eitherOf(AUDIT_FIELDS.text.map((field) => phrase(field, k))));
  return {
    prefix: (indices) => indices.auditing,
    timeField: AUDIT_FIELDS.time,
    namespaceField: AUDIT_FIELDS.namespace,
    clauses: () => clauses,
  };
}

/** The impersonated user where there is one, else the authenticated one. */
function effectiveUser(users: string[]): Clause {
  return eitherOf([
    anyOf(AUDIT_FIELDS.impersonatedUser, users),
    allOf([not(exists(AUDIT_FIELDS.impersonatedUser)), anyOf(AUDIT_FIELDS.user, users)]),
  ]);
}

function outcomeClause(outcome: AuditOutcome): Clause {
  const success = numberBetween(AUDIT_FIELDS.code, 200, 399);
  const denied = anyNumber(AUDIT_FIELDS.code, DENIED_CODES);
  switch (outcome) {
    case "SUCCESS":
      return success;
    case "DENIED":
      return denied;
    case "FAILURE":
      return allOf([exists(AUDIT_FIELDS.code), not(success), not(denied)]);
    default:
      throw new QueryInputError("filter.outcomes", `unknown outcome ${String(outcome)}`);
  }
}

export function outcomeOf(code: number | null): AuditOutcome | null {
  if (code === null) return null;
  if (code >= 200 && code <= 399) return "SUCCESS";
  return DENIED_CODES.includes(code) ? "DENIED" : "FAILURE";
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function toAuditEntry(cluster: string, key: SortKey, s: unknown, order: Order): AuditEntry {
  const impersonated = stringAt(s, "impersonatedUser.username");
  const authenticated = stringAt(s, "user.username") ?? "";
  const code = pathValue(s, "responseStatus.code");
  const status = typeof code === "number" ? code : null;
  return {
    time: new Date(key[0]),
    cluster,
    user: impersonated ?? authenticated,
    groups: strings(pathValue(s, impersonated !== undefined ? "impersonatedUser.groups" : "user.groups")),
    impersonatedBy: impersonated !== undefined ? authenticated : null,
    verb: stringAt(s, "verb") ?? "",
    resource: stringAt(s, "objectRef.resource") ?? null,
    subresource: stringAt(s, "objectRef.subresource") ?? null,
    apiGroup: stringAt(s, "objectRef.apiGroup") ?? null,
    namespace: stringAt(s, "objectRef.namespace") ?? null,
    name: stringAt(s, "objectRef.name") ?? null,
    code: status,
    outcome: outcomeOf(status),
    sourceIPs: strings(pathValue(s, "sourceIPs")),
    userAgent: stringAt(s, "userAgent") ?? null,
    auditId: stringAt(s, "auditID") ?? "",
    requestURI: stringAt(s, "requestURI") ?? "",
    stage: stringAt(s, "stage") ?? null,
    cursor: encodeEntryCursor(key, order, "audit"),
  };
}
