/**
 * Audit: what was asked of the clusters' API servers, by whom, and how it ended, from the audit
 * events their log backends write to the log stores.
 */
import { Field, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "./connection.js";
import { ClusterFilterFields } from "./filters.js";
import { TimeRangeInput } from "./logs.js";
import { DateTime } from "./scalars.js";

export enum AuditOutcome {
  SUCCESS = "SUCCESS",
  DENIED = "DENIED",
  FAILURE = "FAILURE",
}
registerEnumType(AuditOutcome, {
  name: "AuditOutcome",
  description: "How an audited request ended, by its response code.",
  valuesConfig: {
    SUCCESS: { description: "2xx or 3xx." },
    DENIED: { description: "401 (not authenticated) or 403 (not authorised)." },
    FAILURE: { description: "Any other code (400, 404, 409, 422, 5xx …)." },
  },
});

@InputType({
  description:
    "What an audit search matches. Every field narrows; an empty list matches nothing. Values are matched exactly, keywords as phrases.",
})
export class AuditFilter extends ClusterFilterFields {
  @Field(() => TimeRangeInput, {
    nullable: true,
    description: "When the requests were received; default the last hour.",
  })
  range?: TimeRangeInput | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "Effective users: the impersonated user of an impersonated request, else the authenticated one (exact; at most 100, 256 characters each).",
  })
  users?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Verbs, e.g. "get", "list", "create", "delete" (exact).',
  })
  verbs?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "Namespaces of the objects asked about. Naming any leaves out requests without a namespace (cluster-scoped ones).",
  })
  namespaces?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Only namespaces of these workspaces." })
  workspaces?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Resources (plural, lowercase), e.g. "pods", "deployments" (exact).',
  })
  resources?: string[] | null;

  @Field(() => [AuditOutcome], { nullable: true, description: "How the requests ended." })
  outcomes?: AuditOutcome[] | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "Each must appear as a phrase in the request URI, the object's name or the user agent; at most 16. Plain text: no query syntax.",
  })
  keywords?: string[] | null;
}

@ObjectType({ description: "One request an API server audited." })
export class AuditEntry {
  @Field(() => DateTime, { description: "When the API server received it." })
  time!: Date;

  @Field({ description: "The cluster's name." })
  clusterName!: string;

  @Field({
    description: "The effective user: the impersonated user when the request was impersonated.",
  })
  user!: string;

  @Field(() => [String], { description: "The effective user's groups." })
  groups!: string[];

  @Field(() => String, {
    nullable: true,
    description:
      "Who authenticated and impersonated `user` (the gateway's service account for its reads on a caller's behalf); null when not impersonated.",
  })
  impersonatedBy!: string | null;

  @Field({ description: 'The verb, e.g. "get", "list", "watch", "create".' })
  verb!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The resource, e.g. "pods"; null for a non-resource URL.',
  })
  resource!: string | null;

  @Field(() => String, { nullable: true, description: 'The subresource, e.g. "log", "status".' })
  subresource!: string | null;

  @Field(() => String, { nullable: true, description: 'The API group; "" or null for the core group.' })
  apiGroup!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The object's namespace; null for a cluster-scoped request.",
  })
  namespace!: string | null;

  @Field(() => String, { nullable: true, description: "The object's name; null for a list or a create." })
  name!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "The response's HTTP status code; null before a response.",
  })
  code!: number | null;

  @Field(() => AuditOutcome, {
    nullable: true,
    description: "The code as an outcome; null when there is no code.",
  })
  outcome!: AuditOutcome | null;

  @Field(() => [String], { description: "The client's addresses as the API server saw them." })
  sourceIPs!: string[];

  @Field(() => String, { nullable: true, description: "The client's User-Agent." })
  userAgent!: string | null;

  @Field({ description: "The request's audit ID (one per request, shared by its stages)." })
  auditId!: string;

  @Field({ description: "The request's path and query." })
  requestURI!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The stage the entry was written at, e.g. "ResponseComplete".',
  })
  stage!: string | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "A page of audit entries, merged across clusters in time order.",
})
export class AuditEntryConnection extends Connection<AuditEntry>(
  "AuditEntry",
  AuditEntry,
  "the audit entries",
) {}
