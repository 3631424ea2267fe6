/**
 * The API server's name rules (apimachinery's validation): DNS-1123 labels (namespaces), and the
 * path-segment rule every object name must also pass, because a name becomes a URL segment.
 */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label: at most 63 lower-case letters, digits and "-", alphanumeric at both ends. */
export function isDnsLabel(text: string): boolean {
  return text.length <= 63 && DNS_LABEL.test(text);
}

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters (pod names, API groups). */
export function isDnsSubdomain(text: string): boolean {
  return text.length <= 253 && DNS_SUBDOMAIN.test(text);
}

/**
 * Why `name` cannot name an object (ValidatePathSegmentName), or undefined: "." and ".." would be
 * collapsed by URL normalisation into another path; "/" and "%" would split or escape it. Each
 * kind's own rules (DNS subdomains and such) are the API server's to answer.
 */
export function pathSegmentNameProblem(name: string): string | undefined {
  if (name.length === 0) return "is required";
  if (name === "." || name === "..") return `may not be '${name}'`;
  for (const c of ["/", "%"]) if (name.includes(c)) return `may not contain '${c}'`;
  return undefined;
}
