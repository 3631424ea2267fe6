/** QoS classes follow ComputePodQOS, comparing quantities rather than their text. */
import { describe, expect, it } from "vitest";
import { qosClass } from "../../sim/qos-class.js";

const container = (requests?: Record<string, string>, limits?: Record<string, string>) => ({
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
});

describe("qosClass", () => {
  it("is BestEffort without any cpu or memory request or limit", () => {
    expect(qosClass([container()])).toBe("BestEffort");
    expect(qosClass([container({ "ephemeral-storage": "1Gi" })])).toBe("BestEffort");
    expect(qosClass([container({ cpu: "0" })])).toBe("BestEffort");
  });

  it("is Guaranteed when every container's limits equal its requests, however they are written", () => {
    expect(qosClass([container({ cpu: "1", memory: "1Gi" }, { cpu: "1000m", memory: "1024Mi" })])).toBe(
      "Guaranteed",
    );
    // Requests left out are defaulted from the limits.
    expect(qosClass([container(undefined, { cpu: "500m", memory: "256Mi" })])).toBe("Guaranteed");
  });

  it("is Burstable when something is requested but not everything is limited to it", () => {
    expect(qosClass([container({ cpu: "100m", memory: "128Mi" }, { cpu: "200m", memory: "256Mi" })])).toBe(
      "Burstable",
    );
    expect(qosClass([container({ cpu: "100m" }, { cpu: "100m" })])).toBe("Burstable");
    expect(
      qosClass([
        container({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" }),
        container({ cpu: "100m", memory: "64Mi" }),
      ]),
    ).toBe("Burstable");
  });
});
