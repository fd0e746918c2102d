import type { Logger } from 'pino';

export interface Lifecycle {
  /** Resolves when SIGTERM/SIGINT arrived and `stop` finished (or timed out). */
  stopped: Promise<void>;
}

/**
 * Calls `stop` once on SIGTERM or SIGINT, bounded by `drainTimeoutMs`
 * (Kubernetes' terminationGracePeriodSeconds must exceed it), then exits.
 * A second signal exits at once.
 */
export function onShutdown(
  logger: Logger,
  stop: (signal: string) => Promise<void>,
  drainTimeoutMs: number,
): Lifecycle {
  let resolveStopped: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without draining');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, drainTimeoutMs }, 'shutting down: draining');
    const timeout = setTimeout(() => {
      logger.error({ drainTimeoutMs }, 'drain timed out: exiting');
      process.exit(1);
    }, drainTimeoutMs);
    timeout.unref();
    stop(signal)
      .then(() => logger.info('stopped cleanly'))
      .catch((error: unknown) => logger.error({ err: error }, 'error while stopping'))
      .finally(() => {
        clearTimeout(timeout);
        resolveStopped();
        process.exit(0);
      });
  };
  process.once('SIGTERM', handle);
  process.once('SIGINT', handle);
  return { stopped };
}
