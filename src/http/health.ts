/**
 * Liveness and readiness for load balancers and Kubernetes probes. /healthz and /livez say the
 * process serves HTTP, whatever the clusters do: restarting the gateway never brings a cluster
 * back. /readyz says the caches have something worth serving, by the config's readiness policy
 * (readiness.ts), and always answers JSON listing the clusters synced, given up (with why) and
 * pending (with how far their lists got), the policy it applied, and the clusters that trust the
 * gateway's grants alone.
 */
import { Router, type Request, type Response } from "express";
import type { SyncReport } from "../cache/fleet-cache.js";
import { judgeReadiness, type ReadinessPolicy } from "./readiness.js";

export interface Readiness {
  /** The fleet cache's sync state right now. */
  report(): Promise<SyncReport>;
  /** The policy in force (read per request: a config reload may change it). */
  policy(): ReadinessPolicy;
  /** True once shutdown began: a load balancer should stop sending traffic. */
  stopping(): boolean;
  /**
   * Clusters that trust the gateway's grants alone (no RBAC of their own applied, no
   * impersonation): stated so an operator sees them (docs/security.md).
   */
  trustingClusters(): string[];
  /**
   * Production mode: /readyz is unauthenticated, so a failure says its cluster and reason only;
   * its message (addresses, paths) is in the logs.
   */
  hideFailureMessages?: boolean;
}

export function healthRoutes(readiness: Readiness): Router {
  const router = Router();
  const alive = (_req: Request, res: Response): void => {
    res.type("text/plain").send("ok");
  };
  router.get("/healthz", alive);
  router.get("/livez", alive);
  router.get("/readyz", async (_req: Request, res: Response) => {
    const policy = readiness.policy();
    if (readiness.stopping()) {
      res.status(503).json({ ready: false, reason: "shutting down", policy });
      return;
    }
    const report = await readiness.report();
    const verdict = judgeReadiness(report, policy);
    res.status(verdict.ready ? 200 : 503).json({
      ready: verdict.ready,
      ...(verdict.reason !== undefined ? { reason: verdict.reason } : {}),
      clustersTotal: report.clustersTotal,
      synced: report.synced,
      gaveUp: report.gaveUp,
      pending: report.pending,
      failures: readiness.hideFailureMessages
        ? report.failures.map(({ cluster, reason }) => ({ cluster, reason }))
        : report.failures,
      syncing: report.syncing,
      objects: report.objects,
      policy: { ...policy, requiredSynced: verdict.requiredSynced },
      trustGatewayGrants: readiness.trustingClusters(),
    });
  });
  return router;
}
