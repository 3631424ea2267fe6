/**
 * Kubernetes name grammars for user input that ends up in a URL path. Checked before any URL is
 * built, so a bad name is a clear BAD_USER_INPUT rather than a 404 (or a path the server reads
 * differently); the path segments are still escaped when the URL is built.
 */
import { QueryInputError } from "../cache/query/index.js";
import { isDnsLabel, isDnsSubdomain } from "../kube/names.js";

export function checkNamespaceName(argument: string, namespace: string): string {
  if (!isDnsLabel(namespace)) {
    throw new QueryInputError(
      argument,
      `invalid namespace "${namespace}": must be a DNS-1123 label (at most 63 lower-case ` +
        `alphanumerics or '-', starting and ending with an alphanumeric)`,
    );
  }
  return namespace;
}

export function checkPodName(argument: string, pod: string): string {
  if (!isDnsSubdomain(pod)) {
    throw new QueryInputError(
      argument,
      `invalid pod name "${pod}": must be a DNS-1123 subdomain (at most 253 lower-case ` +
        `alphanumerics, '-' or '.', starting and ending with an alphanumeric)`,
    );
  }
  return pod;
}

/** Container names are DNS-1123 labels, as the API server validates them in a pod's spec. */
export function checkContainerName(argument: string, container: string): string {
  if (!isDnsLabel(container)) {
    throw new QueryInputError(
      argument,
      `invalid container name "${container}": must be a DNS-1123 label (at most 63 lower-case ` +
        `alphanumerics or '-', starting and ending with an alphanumeric)`,
    );
  }
  return container;
}
