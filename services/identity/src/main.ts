import { ConfigError, collectProcessMetrics, createLogger, onShutdown } from '@chat/runtime';
import { startTelemetry } from '@chat/telemetry';
import { identityConfigFromEnv } from './config.js';
import { createIdentityService } from './service.js';

const logger = createLogger('identity');

try {
  const telemetry = startTelemetry({ serviceName: 'identity', logger });
  const config = identityConfigFromEnv();
  collectProcessMetrics();
  const service = await createIdentityService({ config, logger });
  service.start();
  await service.app.listen({ host: config.http.host, port: config.http.port });
  logger.info({ port: config.http.port, sso: Boolean(config.sso) }, 'identity service ready');
  onShutdown(
    logger,
    async () => {
      await service.stop();
      await telemetry.shutdown();
    },
    config.drainTimeoutMs,
  );
} catch (error) {
  if (error instanceof ConfigError) logger.fatal({ problems: error.problems }, 'invalid configuration');
  else logger.fatal({ err: error }, 'identity service failed to start');
  process.exit(1);
}
