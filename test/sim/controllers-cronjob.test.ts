import { afterEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/object.js";
import { startControllers, type Controllers } from "../../sim/controllers/index.js";
import { parseCronSchedule } from "../../sim/controllers/cron-schedule.js";
import { ClusterStore } from "../../sim/store/cluster-store.js";
import { K, kind, newCluster, status } from "./controllers-fixtures.js";

const CRONJOB = kind("batch", "cronjobs");

let controllers: Controllers | undefined;
afterEach(() => controllers?.stop());

describe("cron schedules", () => {
  const next = (schedule: string, after: string): string | undefined =>
    parseCronSchedule(schedule).next(new Date(after))?.toISOString();

  it("finds the next time for steps, ranges, lists, names and macros (UTC)", () => {
    expect(next("* * * * *", "2025-03-01T10:00:30Z")).toBe("2025-03-01T10:01:00.000Z");
    expect(next("*/30 * * * *", "2025-03-01T10:00:00Z")).toBe("2025-03-01T10:30:00.000Z");
    expect(next("15 2 * * *", "2025-03-01T10:00:00Z")).toBe("2025-03-02T02:15:00.000Z");
    expect(next("0 9-17/4 * * mon-fri", "2025-03-01T10:00:00Z")).toBe("2025-03-03T09:00:00.000Z");
    expect(next("0 0 1,15 feb *", "2025-03-01T00:00:00Z")).toBe("2026-02-01T00:00:00.000Z");
    expect(next("@weekly", "2025-03-01T10:00:00Z")).toBe("2025-03-02T00:00:00.000Z");
    // Both day fields restricted: either matches (the 13th, or a Friday).
    expect(next("0 0 13 * 5", "2025-03-01T00:00:00Z")).toBe("2025-03-07T00:00:00.000Z");
    expect(next("0 0 * * 7", "2025-03-01T00:00:00Z")).toBe("2025-03-02T00:00:00.000Z");
  });

  it("rejects what the real parser rejects", () => {
    for (const bad of ["* * * *", "61 * * * *", "*/0 * * * *", "5-1 * * * *", "TZ=UTC * * * * *"])
      expect(() => parseCronSchedule(bad), bad).toThrow();
  });

  it("refuses what cron-parser would take but Kubernetes does not: seconds, L, W, #, H, unknown names", () => {
    for (const bad of [
      "0 * * * * *",
      "0 0 L * *",
      "0 0 1W * *",
      "0 0 * * 5#2",
      "H * * * *",
      "0 0 * jan mon-fry",
    ])
      expect(() => parseCronSchedule(bad), bad).toThrow(/./);
    expect(() => parseCronSchedule("CRON_TZ=Europe/Paris 0 * * * *")).toThrow(/spec.timeZone/);
    expect(next("@midnight", "2025-03-01T10:00:00Z")).toBe("2025-03-02T00:00:00.000Z");
    expect(next("@hourly", "2025-03-01T10:00:00Z")).toBe("2025-03-01T11:00:00.000Z");
    // Strictly after: a time on the schedule itself moves on to the following one.
    expect(next("*/5 * * * *", "2025-03-01T10:05:00Z")).toBe("2025-03-01T10:10:00.000Z");
    expect(next("0 0 29 2 *", "2025-03-01T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z");
  });
});

describe("CronJob controller", () => {
  let clock = Date.parse("2025-03-01T10:00:10Z");
  const now = (): Date => new Date(clock);

  function start(): ClusterStore {
    clock = Date.parse("2025-03-01T10:00:10Z");
    const store = new ClusterStore({ clusterName: "test", now });
    const seeded = newCluster();
    for (const k of [K.ns, K.node]) for (const o of seeded.all(k)) store.create(k, o);
    controllers = startControllers(store, { podStartDelayMs: 10, cronJobs: true, now });
    return store;
  }

  function cronJob(suspend: boolean, extra: Record<string, unknown> = {}): KubeObject {
    return {
      metadata: { name: "report", namespace: "shop" },
      spec: {
        schedule: "* * * * *",
        suspend,
        jobTemplate: {
          spec: {
            template: {
              metadata: { labels: { app: "report" } },
              spec: { restartPolicy: "OnFailure", containers: [{ name: "report", image: "busybox" }] },
            },
          },
        },
        ...extra,
      },
    };
  }

  const jobs = (store: ClusterStore) => store.all(K.job, "shop");

  it("creates a Job owned by the CronJob when a run is due, none before", () => {
    const store = start();
    store.create(CRONJOB, cronJob(false));
    controllers!.runUntilIdle();
    expect(jobs(store)).toEqual([]);

    clock += 60_000; // 10:01:10, the 10:01 run is due
    store.mutate(CRONJOB, "shop", "report", (d) => void (d.metadata.labels = { touched: "1" }));
    controllers!.runUntilIdle();
    const [job] = jobs(store);
    const minutes = Date.parse("2025-03-01T10:01:00Z") / 60_000;
    expect(job?.metadata.name).toBe(`report-${minutes}`);
    expect(job?.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: "CronJob", name: "report", controller: true }),
    ]);
    expect(job?.metadata.annotations?.["batch.kubernetes.io/cronjob-scheduled-timestamp"]).toBe(
      "2025-03-01T10:01:00Z",
    );
    const cj = store.get(CRONJOB, "shop", "report");
    expect(status(cj).lastScheduleTime).toBe("2025-03-01T10:01:00Z");
    // The Job ran to completion within runUntilIdle (the kubelet completes job pods), so none is active.
    expect(status(cj).active).toBeUndefined();
  });

  it("creates no Job while suspended, and starts the missed run when resumed", () => {
    const store = start();
    store.create(CRONJOB, cronJob(true));
    clock += 5 * 60_000;
    store.mutate(CRONJOB, "shop", "report", (d) => void (d.metadata.labels = { touched: "1" }));
    controllers!.runUntilIdle();
    expect(jobs(store)).toEqual([]);

    store.mutate(CRONJOB, "shop", "report", (d) => void ((d.spec as { suspend: boolean }).suspend = false));
    controllers!.runUntilIdle();
    // One Job, for the most recent missed time (10:05), not one per missed minute.
    expect(jobs(store).map((j) => j.metadata.name)).toEqual([
      `report-${Date.parse("2025-03-01T10:05:00Z") / 60_000}`,
    ]);
  });

  it("skips a run missed by more than startingDeadlineSeconds", () => {
    const store = start();
    store.create(CRONJOB, cronJob(true, { startingDeadlineSeconds: 5 }));
    clock += 60_000 + 30_000; // 10:01 missed by 40 s
    store.mutate(CRONJOB, "shop", "report", (d) => void ((d.spec as { suspend: boolean }).suspend = false));
    controllers!.runUntilIdle();
    expect(jobs(store)).toEqual([]);
  });
});
