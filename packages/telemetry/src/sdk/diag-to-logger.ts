import type { Logger } from '@chat/runtime';
import type { DiagLogger } from '@opentelemetry/api';

/** The SDK's own complaints (an exporter that cannot reach its collector) as structured log lines. */
export function diagToLogger(logger: Logger): DiagLogger {
  const log = logger.child({ component: 'opentelemetry' });
  return {
    error: (message, ...args) => log.error({ args }, message),
    warn: (message, ...args) => log.warn({ args }, message),
    info: (message, ...args) => log.info({ args }, message),
    debug: (message, ...args) => log.debug({ args }, message),
    verbose: (message, ...args) => log.trace({ args }, message),
  };
}
