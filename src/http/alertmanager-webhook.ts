/**
 * POST /alertmanager/webhook[/<cluster>]: Alertmanager's `webhook_config` pushes notifications
 * here (docs/notifications.md). Authenticated by the bearer secret Alertmanager sends from
 * `http_config.authorization` (compared in constant time, before the body is read): the shared
 * one, or a cluster's own, good only on that cluster's path, so one cluster's Alertmanager
 * cannot push alerts as another's; the body
 * bounded and checked as the documented version-4 payload; each alert's cluster named by the
 * path or by the configured label. Alertmanager never sends a 4xx again, so only a malformed
 * payload is one: an alert naming no cluster of the fleet is skipped (logged and counted), not
 * the whole group refused. Answered 200 only once every sink holds the alerts durably; a failed
 * sink, or a cluster whose Namespaces are still loading (routing would guess), is a 503, which
 * Alertmanager retries.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import express, { Router, type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import type { AlertmanagerWebhookSettings } from "../config/index.js";
import { parseAlertmanagerPayload, PayloadProblem, type AlertSink } from "../notifications/index.js";

export const ALERTMANAGER_WEBHOOK_PATH = "/alertmanager/webhook";

export interface AlertmanagerWebhookOptions {
  /** The settings in force (read per request: a reload may rotate the secret); undefined: off. */
  settings: () => (AlertmanagerWebhookSettings & { clusterLabel: string }) | undefined;
  /** The fleet's clusters now. */
  clusters: () => readonly string[];
  /**
   * Whether alerts of `cluster` can be routed now (its Namespaces, which name the workspaces,
   * are loaded); absent: always.
   */
  routable?: (cluster: string) => boolean;
  /** Told of each alert skipped because it names no cluster of the fleet. */
  skipped?: (reason: SkipReason) => void;
  sink: AlertSink;
  logger: Logger;
}

export type SkipReason = "no_cluster" | "unknown_cluster";

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Alertmanager's `authorization: {credentials: ...}` arrives as "Bearer <credentials>". */
const credentialsOf = (header: string | undefined) => /^Bearer +(.+?)\s*$/i.exec(header ?? "")?.[1];

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
function sameSecret(given: string | undefined, expected: string): boolean {
  return timingSafeEqual(digest(given ?? ""), digest(expected)) && given !== undefined;
}

export function alertmanagerWebhookRoutes(options: AlertmanagerWebhookOptions): Router {
  const router = Router();
  const refuse = (res: Response, status: number, message: string) =>
    res.status(status).json({ error: message });

  const authenticate = (req: Request, res: Response, next: NextFunction) => {
    const settings = options.settings();
    if (!settings) return refuse(res, 404, "the Alertmanager webhook is not configured");
    const given = credentialsOf(req.headers.authorization);
    const pathCluster = req.params.cluster as string | undefined;
    const clusterSecret = pathCluster !== undefined ? settings.clusterBearerTokens?.[pathCluster] : undefined;
    // Both compared whichever matches: the time taken says nothing of which secret it was.
    const fleetWide = settings.bearerToken !== undefined && sameSecret(given, settings.bearerToken);
    const ownCluster = clusterSecret !== undefined && sameSecret(given, clusterSecret);
    if (!fleetWide && !ownCluster) {
      // A misconfigured Alertmanager keeps sending: this line is how an operator finds it.
      options.logger.warn(
        { sourceIP: req.socket.remoteAddress, path: req.path },
        "Alertmanager webhook refused: missing or wrong bearer credentials",
      );
      res.setHeader("www-authenticate", 'Bearer realm="alertmanager-webhook"');
      return refuse(
        res,
        401,
        "missing or wrong bearer credentials (http_config.authorization in Alertmanager)",
      );
    }
    express.json({ limit: settings.maxBodyBytes, type: () => true })(req, res, next);
  };

  const receive = async (req: Request, res: Response) => {
    const settings = options.settings()!;
    const known = new Set(options.clusters());
    const pathCluster = req.params.cluster as string | undefined;
    if (pathCluster !== undefined && !known.has(pathCluster))
      return refuse(res, 400, `no cluster named "${pathCluster}" in the fleet (the URL's last segment)`);
    const skips: { index: number; reason: SkipReason; cluster?: string }[] = [];
    let push;
    try {
      push = parseAlertmanagerPayload(req.body, (alert, index) => {
        const cluster = pathCluster ?? alert.labels[settings.clusterLabel];
        if (cluster === undefined) skips.push({ index, reason: "no_cluster" });
        else if (!known.has(cluster)) skips.push({ index, reason: "unknown_cluster", cluster });
        else return cluster;
        return undefined;
      });
    } catch (error) {
      if (error instanceof PayloadProblem) return refuse(res, 400, error.message);
      throw error;
    }
    for (const skip of skips) options.skipped?.(skip.reason);
    if (skips.length > 0)
      // One line per push: an operator sees which alerts and why, and how to fix it.
      options.logger.warn(
        { receiver: push.receiver, skipped: skips.length, alerts: skips.slice(0, 10) },
        `alerts naming no cluster of the fleet skipped: add the "${settings.clusterLabel}" label ` +
          `(external_labels) or post to ${ALERTMANAGER_WEBHOOK_PATH}/<cluster>`,
      );
    const loading = [...new Set(push.alerts.map((a) => a.cluster))].filter(
      (cluster) => options.routable?.(cluster) === false,
    );
    if (loading.length > 0) {
      res.setHeader("retry-after", "10");
      return refuse(
        res,
        503,
        `the Namespaces of ${loading.join(", ")} are still loading; Alertmanager will send the alerts again`,
      );
    }
    try {
      await options.sink.accept(push);
    } catch (error) {
      options.logger.error({ err: error, receiver: push.receiver }, "alerts pushed by Alertmanager not kept");
      return refuse(res, 503, "the alerts could not be stored; Alertmanager will send them again");
    }
    res.status(200).json({ accepted: push.alerts.length, skipped: skips.length });
  };

  const handler = (req: Request, res: Response, next: NextFunction) => {
    receive(req, res).catch(next);
  };
  router.post(ALERTMANAGER_WEBHOOK_PATH, authenticate, handler);
  router.post(`${ALERTMANAGER_WEBHOOK_PATH}/:cluster`, authenticate, handler);
  // The body parser's refusals (too large, not JSON) as the same clear JSON answers.
  router.use(
    ALERTMANAGER_WEBHOOK_PATH,
    (error: unknown, _req: Request, res: Response, next: NextFunction) => {
      const e = error as { type?: string; status?: number; limit?: number };
      if (e.type === "entity.too.large")
        return refuse(
          res,
          413,
          `the payload is larger than notifications.webhook.maxBodyBytes (${e.limit} bytes)`,
        );
      if (e.type === "entity.parse.failed") return refuse(res, 400, "the payload is not JSON");
      if (typeof e.status === "number" && e.status >= 400 && e.status < 500)
        return refuse(res, e.status, "bad request");
      next(error);
    },
  );
  return router;
}
