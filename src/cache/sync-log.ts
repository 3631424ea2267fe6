/**
 * The log lines of the watch caches' state changes, one per transition and never per event:
 *   - a synced kind's watch going down (warn) and coming back (info, with how long it was down).
 *     Down means its resume failed too: a watch that ends with an error (a dropped connection, a
 *     proxy's idle reset) and resumes at the first attempt lost nothing and is logged at debug;
 *     a watch the server ends cleanly is resumed at once and not logged at all;
 *   - every relist (info): a relist storm shows as one line per relist, each with its cause and
 *     the resourceVersions it went from and to;
 *   - a watch lagging (warn: nothing, not even a bookmark, for the lag threshold) and catching up;
 *   - a cluster giving up its initial sync (warn, with each failing kind's error) and syncing
 *     after all (info).
 * Fed from the reflectors' transition hook and the fleet cache's progress checks, it keeps only
 * what it needs to tell a transition from a repeat (a retry that fails again logs nothing).
 */
import type { Logger } from "pino";
import type { ClusterError } from "../fleet/errors.js";
import type { ClusterHealth } from "../fleet/health.js";
import type { Reflector } from "./reflector.js";
import type { WatchCache } from "./watch-cache.js";

interface KindMemory {
  /** Relists already logged. */
  relists: number;
  /** The error that ended the watch, while it has not resumed; expired (410) ones excepted. */
  downError: ClusterError | undefined;
  downSince: Date | undefined;
  /** The outage has been logged (a resume failed). */
  reported: boolean;
  /** The 410 that will make the next relist, and the resourceVersion it refused. */
  relistCause: string | undefined;
  expiredVersion: string | undefined;
  lagging: boolean;
}

export class SyncLog {
  private readonly kinds = new WeakMap<Reflector, KindMemory>();
  /** Clusters that gave up their initial sync, until they sync. */
  private readonly gaveUp = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** After a reflector's transition. */
  reflector(reflector: Reflector): void {
    const status = reflector.status();
    let memory = this.kinds.get(reflector);
    if (!memory) {
      memory = {
        relists: status.relists,
        downError: undefined,
        downSince: undefined,
        reported: false,
        relistCause: undefined,
        expiredVersion: undefined,
        lagging: false,
      };
      this.kinds.set(reflector, memory);
    }
    // Before the initial list a kind has no watch to lose: the cluster's give-up line speaks.
    if (!status.synced) return;
    const { cluster, kind } = reflector;
    const error = status.lastError;
    if (!status.connected && error?.expired && memory.relistCause === undefined) {
      memory.relistCause = error.summary;
      memory.expiredVersion = status.resourceVersion;
    } else if (!status.connected && error) this.down(reflector, memory, error, status.staleSince);
    if (status.relists > memory.relists) {
      const cause = memory.relistCause ?? "resourceVersion expired";
      const from = memory.expiredVersion ?? "";
      memory.relists = status.relists;
      memory.relistCause = undefined;
      memory.expiredVersion = undefined;
      this.logger.info(
        {
          cluster,
          kind,
          cause,
          expiredVersion: from,
          resourceVersion: status.resourceVersion,
          relists: status.relists,
          relistsByCause: status.relistsByCause,
          objects: status.objects,
        },
        `cluster ${cluster}: ${kind} relisted at resourceVersion ${status.resourceVersion} (${cause}; watch was at ${from})`,
      );
    }
    if (status.lagging !== memory.lagging) {
      memory.lagging = status.lagging;
      const fields = { cluster, kind, resourceVersion: status.resourceVersion, watchLags: status.watchLags };
      if (status.lagging)
        this.logger.warn(
          fields,
          `cluster ${cluster}: ${kind} watch lagging: no event or bookmark since resourceVersion ${status.resourceVersion}`,
        );
      else this.logger.info(fields, `cluster ${cluster}: ${kind} watch caught up`);
    }
    if (status.connected && memory.downError !== undefined) {
      const downForMs = Date.now() - (memory.downSince?.getTime() ?? Date.now());
      const fields = { cluster, kind, downForMs, error: memory.downError.summary };
      if (memory.reported)
        this.logger.info(fields, `cluster ${cluster}: ${kind} watch reconnected after ${downForMs} ms`);
      else this.logger.debug(fields, `cluster ${cluster}: ${kind} watch interrupted and resumed`);
      memory.downError = undefined;
      memory.downSince = undefined;
      memory.reported = false;
    }
  }

  /** The watch is down with `error`: the first error is kept, the next one (a failed resume) logged. */
  private down(reflector: Reflector, memory: KindMemory, error: ClusterError, staleSince: Date | null): void {
    if (memory.downError === undefined) {
      memory.downError = error;
      memory.downSince = staleSince ?? new Date();
      return;
    }
    // Each attempt fails with an error of its own; the same one is the same failure notified twice.
    if (memory.reported || error === memory.downError) return;
    memory.reported = true;
    const { cluster, kind } = reflector;
    const cause = memory.downError.summary;
    const retry = error.summary === cause ? "" : `; resuming failed: ${error.summary}`;
    this.logger.warn(
      { cluster, kind, error: cause, resumeError: error.summary, code: error.code },
      `cluster ${cluster}: ${kind} watch disconnected: ${cause}${retry}`,
    );
  }

  /** When the fleet's progress may have changed: logs a cluster giving up, or syncing after that. */
  cluster(cache: WatchCache, gaveUp: boolean, health: ClusterHealth | undefined): void {
    const name = cache.cluster;
    if (this.gaveUp.has(name)) {
      if (!cache.synced) return;
      this.gaveUp.delete(name);
      this.logger.info({ cluster: name }, `cluster ${name}: initial sync complete after giving up`);
      return;
    }
    if (!gaveUp) return;
    this.gaveUp.add(name);
    const failing: Record<string, string> = {};
    const pending: string[] = [];
    for (const [kind, status] of Object.entries(cache.status().kinds)) {
      if (status.synced) continue;
      if (status.syncFailure) failing[kind] = `${status.syncFailure.reason}: ${status.syncFailure.message}`;
      else if (status.lastError) failing[kind] = status.lastError.summary;
      else pending.push(kind);
    }
    const cause =
      Object.values(failing)[0] ??
      (health?.lastError
        ? `health ${health.status}: ${health.lastError.summary}`
        : `health ${health?.status}`);
    this.logger.warn(
      { cluster: name, cause, failing, pending, health: health?.status },
      `cluster ${name}: gave up its initial sync (${cause}); retrying in the background`,
    );
  }

  /** A cluster left the fleet. */
  forget(cluster: string): void {
    this.gaveUp.delete(cluster);
  }
}
