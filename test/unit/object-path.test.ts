/** Object paths: names are escaped, and dot segments (which URL normalisation would collapse) refused. */
import { describe, expect, it } from "vitest";
import { DotSegmentError, objectPath } from "../../src/fleet/resources.js";

const CONFIG_MAPS = { prefix: "/api/v1", plural: "configmaps", namespaced: true };

describe("objectPath", () => {
  it("escapes names and namespaces", () => {
    expect(objectPath(CONFIG_MAPS, "team-a", "a b")).toBe("/api/v1/namespaces/team-a/configmaps/a%20b");
    expect(new URL(`https://x${objectPath(CONFIG_MAPS, "team-a", "web")}`).pathname).toBe(
      "/api/v1/namespaces/team-a/configmaps/web",
    );
  });

  it("refuses . and .. as a name or a namespace", () => {
    for (const [namespace, name] of [
      ["team-a", ".."],
      ["team-a", "."],
      ["..", "web"],
    ] as const) {
      expect(() => objectPath(CONFIG_MAPS, namespace, name)).toThrow(DotSegmentError);
    }
  });
});
