import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import { auditSettingsOf, defaultSpoolDir } from "../../../src/server/audit.js";

const FILE = "/etc/fleetgraph/fleetgraph.yaml";

describe("the audit section", () => {
  it("takes its defaults, paths relative to the file, and the shared log store", () => {
    const config = parseConfig(
      `logs:\n  elasticsearch: { url: "http://es:9200/" }\naudit:\n  spoolDir: spool\n  file: ../log/audit.jsonl\n`,
      FILE,
    );
    expect(config.audit).toMatchObject({
      enabled: true,
      spoolDir: "/etc/fleetgraph/spool",
      file: "/etc/log/audit.jsonl",
      index: "fleetgraph-auditing",
      batchSize: 500,
      flushIntervalMs: 1000,
      maxSpoolBytes: 1024 * 1024 * 1024,
      logStore: { url: "http://es:9200", flavor: "elasticsearch" },
    });
  });

  it("prefers its own store and index prefix", () => {
    const config = parseConfig(
      `logs:\n  elasticsearch: { url: "http://es:9200" }\naudit:\n  index: audit-gw\n  logStore: { url: "https://audit-es:9200", flavor: opensearch }\n`,
      FILE,
    );
    expect(config.audit?.index).toBe("audit-gw");
    expect(config.audit?.logStore).toMatchObject({ url: "https://audit-es:9200", flavor: "opensearch" });
  });

  it("is refused with a typo, a bad index prefix or a tiny cap", () => {
    expect(() => parseConfig(`audit: { spooldir: x }\n`, FILE)).toThrow(/audit.spooldir: unknown field/);
    expect(() => parseConfig(`audit: { index: "Audit*" }\n`, FILE)).toThrow(/audit.index/);
    expect(() => parseConfig(`audit: { maxSpoolBytes: 10 }\n`, FILE)).toThrow(/audit.maxSpoolBytes/);
  });

  it("without a section: on, spooled per port in the temporary directory, shipped to logs.elasticsearch", () => {
    const config = parseConfig(`logs:\n  elasticsearch: { url: "http://es:9200" }\n`, FILE);
    expect(config.audit).toBeUndefined();
    const settings = auditSettingsOf(config);
    expect(settings).toMatchObject({
      enabled: true,
      index: "fleetgraph-auditing",
      logStore: { url: "http://es:9200" },
    });
    expect(settings.spoolDir).toBeUndefined();
    expect(defaultSpoolDir(4000)).toMatch(/fleetgraph-audit-4000$/);
  });
});
