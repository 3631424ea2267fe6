/**
 * Cross-site request forgery prevention, by Apollo's rule: a browser sends a cross-origin request
 * without a CORS preflight only with no Content-Type or one of three "simple" types, and without
 * custom headers. Such a request is refused unless it names a non-empty preflight header. Applied
 * by the gateway's HTTP handler with the media type it already parsed, instead of by Apollo, which
 * parses the header a second time with a full MIME parser on every request.
 */
export const CSRF_PREFLIGHT_HEADERS = ["x-apollo-operation-name", "apollo-require-preflight"] as const;

const SIMPLE_CONTENT_TYPES: ReadonlySet<string> = new Set([
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "text/plain",
]);

/**
 * The refusal's message when the request could have been sent by another site's page without a
 * preflight, else undefined. `contentType` is the header's essence (lower-case type/subtype).
 */
export function csrfRefusal(
  contentType: string | undefined,
  header: (name: string) => string | string[] | undefined,
): string | undefined {
  if (contentType !== undefined && !SIMPLE_CONTENT_TYPES.has(contentType)) return undefined;
  for (const name of CSRF_PREFLIGHT_HEADERS) {
    const value = header(name);
    if (value !== undefined && value.length > 0) return undefined;
  }
  return (
    "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Please either " +
    `specify a 'content-type' header (with a type that is not one of ${[...SIMPLE_CONTENT_TYPES].join(", ")}) ` +
    `or provide a non-empty value for one of the following headers: ${CSRF_PREFLIGHT_HEADERS.join(", ")}`
  );
}
