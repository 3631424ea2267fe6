/**
 * Graceful shutdown on SIGTERM (Kubernetes, systemd, docker stop) and SIGINT (Ctrl-C): the first
 * signal stops the gateway cleanly (drain requests, close watches); a second one exits at once,
 * for when draining takes longer than the person waiting wants.
 */
import type { Logger } from "pino";

/** Resolves with the exit code once `stop` has finished after a signal. */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        logger.warn({ signal }, "second signal: exiting without finishing the shutdown");
        process.exit(130);
      }
      stopping = true;
      logger.info({ signal }, "shutting down");
      stop().then(
        () => {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
          resolve(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, "the gateway did not stop cleanly");
          resolve(1);
        },
      );
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
