/**
 * Whether a browser page at `origin` may open a socket here. Browsers send Origin on every
 * WebSocket upgrade and do not apply CORS to it, so without this check any page a user visits
 * could subscribe with the user's cookies or a token it obtained. Clients that are not browsers
 * send no Origin and are let through (they authenticate like everyone).
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined || origin === "") return true;
  if (allowed.includes("*")) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  // The gateway's own pages (the explorer): same host and port as the request.
  if (host !== undefined && parsed.host === host.toLowerCase()) return true;
  return allowed.some((a) => sameOrigin(a, parsed));
}

function sameOrigin(allowed: string, origin: URL): boolean {
  try {
    return new URL(allowed).origin === origin.origin;
  } catch {
    return false;
  }
}
