/**
 * Kubernetes name grammars for user input that ends up in a URL path. Checked before any URL is
 * built, so a bad name is a clear BAD_USER_INPUT rather than a 404 (or a path the server reads
 * differently); the path segments are still escaped when the URL is built.
 */
import { QueryInputError } from "../cache/query/index.js";

/** RFC 1123 label: namespaces. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function checkNamespaceName(argument: string, namespace: string): string {
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) {
    throw new QueryInputError(
      argument,
      `invalid namespace "${namespace}": must be a DNS-1123 label (at most 63 lower-case ` +
        `alphanumerics or '-', starting and ending with an alphanumeric)`,
    );
  }
  return namespace;
}
