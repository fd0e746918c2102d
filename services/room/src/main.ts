import { ConfigError, collectProcessMetrics, createLogger, onShutdown } from '@chat/runtime';
import { startTelemetry } from '@chat/telemetry';
import { roomConfigFromEnv } from './config.js';
import { createRoomService } from './service.js';

const logger = createLogger('room');

try {
  const telemetry = startTelemetry({ serviceName: 'room', logger });
  const config = roomConfigFromEnv();
  collectProcessMetrics();
  const service = await createRoomService({ config, logger });
  await service.start();
  await service.app.listen({ host: config.http.host, port: config.http.port });
  logger.info(
    { port: config.http.port, dispatcher: config.dispatcher.enabled, owner: config.dispatcher.owner },
    'room service ready',
  );
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
  else logger.fatal({ err: error }, 'room service failed to start');
  process.exit(1);
}
