/**
 * Liveness and readiness for load balancers and Kubernetes probes. /healthz says the process
 * serves HTTP; /readyz says the caches can answer: every cluster synced or given up on (down,
 * forbidden), since waiting longer for those would not make the answers better.
 */
import { Router, type Request, type Response } from "express";
import type { SyncReport } from "../cache/fleet-cache.js";

export interface Readiness {
  /** The fleet cache's sync state right now. */
  report(): Promise<SyncReport>;
  /** True once shutdown began: a load balancer should stop sending traffic. */
  stopping(): boolean;
}

export function healthRoutes(readiness: Readiness): Router {
  const router = Router();
  router.get("/healthz", (_req: Request, res: Response) => {
    res.type("text/plain").send("ok");
  });
  router.get("/readyz", async (_req: Request, res: Response) => {
    if (readiness.stopping()) {
      res.status(503).json({ ready: false, reason: "shutting down" });
      return;
    }
    const report = await readiness.report();
    if (report.complete) {
      res.type("text/plain").send("ok");
      return;
    }
    res.status(503).json({
      ready: false,
      reason: `waiting for ${report.pending.length} of ${report.clustersTotal} clusters to finish their initial sync`,
      pending: report.pending,
      synced: report.synced,
      gaveUp: report.gaveUp,
      objects: report.objects,
    });
  });
  return router;
}
