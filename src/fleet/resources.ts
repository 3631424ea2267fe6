/**
 * Where a kind lives in the Kubernetes REST API. The caller says which resource (the cached kinds
 * carry their path in their descriptor); the generic resources path uses discovery instead.
 */
export interface ResourcePath {
  /** "/api/v1" or "/apis/<group>/<version>". */
  prefix: string;
  plural: string;
  namespaced: boolean;
}

/** The collection path of a resource: across all namespaces unless one is given. */
export function collectionPath(resource: ResourcePath, namespace?: string): string {
  if (namespace !== undefined && resource.namespaced) {
    return `${resource.prefix}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`;
  }
  return `${resource.prefix}/${resource.plural}`;
}

/**
 * One object's path. "." and ".." are refused: percent-encoding leaves them as they are, and URL
 * normalisation would then turn `configmaps/..` into the namespace itself — a request for one
 * object reaching another (the API server refuses such names for the same reason).
 */
export function objectPath(resource: ResourcePath, namespace: string, name: string): string {
  for (const segment of [namespace, name]) {
    if (segment === "." || segment === "..") throw new DotSegmentError(segment);
  }
  return `${collectionPath(resource, namespace || undefined)}/${encodeURIComponent(name)}`;
}

/** A name that would be a URL dot segment: never a Kubernetes object's name. */
export class DotSegmentError extends Error {
  constructor(readonly segment: string) {
    super(`"${segment}" cannot name an object: it is a path segment of its own`);
    this.name = "DotSegmentError";
  }
}

/** Appends query parameters, skipping undefined and empty values. */
export function withQuery(
  path: string,
  query: Record<string, string | number | boolean | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
