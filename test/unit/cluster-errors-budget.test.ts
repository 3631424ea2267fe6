import { describe, expect, it } from "vitest";
import { ClusterUnavailableError, errorFromResponse } from "../../src/fleet/errors.js";

describe("a 429 from the eviction subresource", () => {
  it("is the API server's answer naming its budget, not an overloaded cluster", () => {
    const error = errorFromResponse("c1", 429, {
      kind: "Status",
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: "TooManyRequests",
      details: {
        causes: [
          {
            reason: "DisruptionBudget",
            message: "The disruption budget web needs 2 healthy pods and has 2 currently",
          },
        ],
      },
    });
    expect(error).not.toBeInstanceOf(ClusterUnavailableError);
    expect([error.code, error.retryable, error.httpStatus]).toEqual(["CLUSTER_ERROR", false, 429]);
    expect(error.causes[0]?.message).toMatch(/budget web/);
  });

  it("while any other 429 (API priority and fairness) still means: try again later", () => {
    const error = errorFromResponse("c1", 429, {
      kind: "Status",
      message: "Too many requests",
      reason: "TooManyRequests",
    });
    expect(error).toBeInstanceOf(ClusterUnavailableError);
    expect(error.causes).toEqual([]);
  });
});
