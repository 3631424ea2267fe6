/**
 * The 403 Forbidden Status the real API server writes when authorisation denies a request
 * (responsewriters.Forbidden + apierrors.NewForbidden), so every denial — of a REST call or of
 * an impersonation — reads exactly like kube-apiserver's:
 *   pods is forbidden: User "u" cannot list resource "pods" in API group "" in the namespace "ns"
 *   users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope
 *   forbidden: User "u" cannot get path "/metrics"
 */
import { StatusError, type StatusDetails } from "../errors.js";
import type { RequestAttributes } from "./user.js";

/** The real server escapes these in the user-controlled part of the message. */
function sanitize(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** responsewriters.forbiddenMessage: who cannot do what, where. */
export function forbiddenMessage(attributes: RequestAttributes): string {
  const user = JSON.stringify(attributes.user.username);
  if (!attributes.resourceRequest) {
    return `User ${user} cannot ${attributes.verb} path ${JSON.stringify(attributes.path)}`;
  }
  const resource = attributes.subresource
    ? `${attributes.resource}/${attributes.subresource}`
    : attributes.resource;
  const what = `User ${user} cannot ${attributes.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attributes.group)}`;
  return attributes.namespace
    ? `${what} in the namespace ${JSON.stringify(attributes.namespace)}`
    : `${what} at the cluster scope`;
}

/** The Forbidden Status for a denied request; `reason` is the authoriser's (appended after ": " when set). */
export function forbiddenError(attributes: RequestAttributes, reason: string): StatusError {
  const detail = sanitize(forbiddenMessage(attributes)) + (reason ? `: ${reason}` : "");
  const group = attributes.resourceRequest ? attributes.group : "";
  const resource = attributes.resourceRequest ? attributes.resource : "";
  const qualified = group ? `${resource}.${group}` : resource;
  let message: string;
  if (!qualified) message = `forbidden: ${detail}`;
  else if (!attributes.name) message = `${qualified} is forbidden: ${detail}`;
  else message = `${qualified} ${JSON.stringify(attributes.name)} is forbidden: ${detail}`;
  // Go omits empty detail fields (omitempty); the details object itself is always present.
  const details: StatusDetails = {
    ...(attributes.name && resource ? { name: attributes.name } : {}),
    ...(group ? { group } : {}),
    ...(resource ? { kind: resource } : {}),
  };
  return new StatusError(403, "Forbidden", message, details);
}
