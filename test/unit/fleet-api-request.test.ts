import { describe, expect, it } from "vitest";
import { apiRequestTarget, describeApiRequest } from "../../src/fleet/api-request.js";

describe("apiRequestTarget", () => {
  it.each([
    ["/api/v1/namespaces/search/pods?limit=5&continue=x", 'list pods in namespace "search"'],
    ["/api/v1/pods", "list pods"],
    ["/api/v1/nodes/node-1", 'get nodes "node-1"'],
    ["/api/v1/namespaces", "list namespaces"],
    ["/api/v1/namespaces/shop", 'get namespaces "shop"'],
    ["/api/v1/namespaces/shop/secrets/db%2Dcreds", 'get secrets "db-creds" in namespace "shop"'],
    ["/api/v1/namespaces/shop/pods/web-1/log", 'get pods/log "web-1" in namespace "shop"'],
    ["/apis/apps/v1/namespaces/shop/deployments?watch=true", 'watch deployments.apps in namespace "shop"'],
    ["/apis/example.com/v1alpha1/widgets", "list widgets.example.com"],
  ])("%s is %s", (path, words) => {
    const target = apiRequestTarget(path);
    expect(target).toBeDefined();
    expect(describeApiRequest(target!)).toBe(words);
  });

  it.each(["/readyz", "/api", "/api/v1", "/apis/apps", "/apis/apps/v1", "/openapi/v3"])(
    "%s is not a resource request",
    (path) => expect(apiRequestTarget(path)).toBeUndefined(),
  );
});
