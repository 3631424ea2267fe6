/**
 * Kubernetes `Status` failures as values: every simulator failure is one of these, so the HTTP
 * layer answers with exactly the reason, code and message shape a real API server would.
 */
export type StatusReason =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Gone"
  | "Expired"
  | "Invalid"
  | "TooManyRequests"
  | "MethodNotAllowed"
  | "NotAcceptable"
  | "UnsupportedMediaType"
  | "InternalError"
  | "ServiceUnavailable"
  | "Timeout";

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure";
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  override readonly name = "StatusError";
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): StatusBody {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** "pods" or "deployments.apps", as the real server names a resource in messages. */
export function qualifiedResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

export const statusErrors = {
  badRequest: (message: string) => new StatusError(400, "BadRequest", message),
  unauthorized: () => new StatusError(401, "Unauthorized", "Unauthorized"),
  forbidden: (message: string, group: string, kind: string, name?: string) =>
    new StatusError(403, "Forbidden", message, { ...(name ? { name } : {}), group, kind }),
  notFound: (group: string, plural: string, name: string) =>
    new StatusError(404, "NotFound", `${qualifiedResource(group, plural)} "${name}" not found`, {
      name,
      group,
      kind: plural,
    }),
  pathNotFound: () => new StatusError(404, "NotFound", "the server could not find the requested resource"),
  alreadyExists: (group: string, plural: string, name: string) =>
    new StatusError(409, "AlreadyExists", `${qualifiedResource(group, plural)} "${name}" already exists`, {
      name,
      group,
      kind: plural,
    }),
  conflict: (group: string, plural: string, name: string) =>
    new StatusError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${qualifiedResource(group, plural)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group, kind: plural },
    ),
  invalid: (
    group: string,
    kindName: string,
    name: string,
    causes: { field: string; message: string; reason?: string }[],
  ) =>
    new StatusError(
      422,
      "Invalid",
      `${kindName}${group ? "." + group : ""} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(", ")}`,
      {
        name,
        group,
        kind: kindName,
        causes: causes.map((c) => ({
          reason: c.reason ?? "FieldValueInvalid",
          message: c.message,
          field: c.field,
        })),
      },
    ),
  expired: (message: string) => new StatusError(410, "Expired", message),
  gone: (message: string) => new StatusError(410, "Gone", message),
  methodNotAllowed: (message: string) => new StatusError(405, "MethodNotAllowed", message),
  unsupportedMediaType: (contentType: string) =>
    new StatusError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json, application/merge-patch+json, application/strategic-merge-patch+json, application/json-patch+json (got "${contentType}")`,
    ),
  tooManyRequests: (retryAfterSeconds = 1) =>
    new StatusError(429, "TooManyRequests", "Too many requests, please try again later.", {
      retryAfterSeconds,
    }),
  internal: (message: string) =>
    new StatusError(500, "InternalError", `Internal error occurred: ${message}`, {
      causes: [{ message }],
    }),
  serviceUnavailable: (message: string) => new StatusError(503, "ServiceUnavailable", message),
};
