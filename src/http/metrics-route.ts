/**
 * GET /metrics: the gateway's own metrics in Prometheus' text format (docs/telemetry.md).
 * Unauthenticated like /healthz, so a Prometheus can scrape it without a token; it tells
 * cluster names and object counts, so keep the port off the open internet, or turn it off
 * (telemetry.metrics: false).
 */
import { Router, type Request, type Response } from "express";

export interface MetricsExposition {
  scrape(): Promise<{ contentType: string; text: string }>;
}

export function metricsRoute(metrics: MetricsExposition): Router {
  const router = Router();
  router.get("/metrics", (_req: Request, res: Response, next) => {
    metrics.scrape().then(({ contentType, text }) => {
      res.setHeader("content-type", contentType);
      res.setHeader("cache-control", "no-store");
      res.end(text);
    }, next);
  });
  return router;
}
