import { createServer } from 'node:http';
import { ConfigError, createLogger, onShutdown } from '@chat/runtime';
import { startTelemetry } from '@chat/telemetry';
import { startPersistence } from './app.js';
import { loadConfig } from './config.js';

const logger = createLogger('persistence');
try {
  const telemetry = startTelemetry({ serviceName: 'persistence', logger });
  const config = loadConfig();
  const starting = startPersistence(config, logger);
  const server = createServer((request, response) => {
    void starting
      .then((app) => app.handleHttp(request, response))
      .then((handled) => {
        if (!handled) response.writeHead(404).end();
      });
  });
  // Installed before start-up ends: a SIGTERM while the groups are still joining waits for them, then drains.
  onShutdown(
    logger,
    async () => {
      await (await starting).stop();
      server.close();
      await telemetry.shutdown();
    },
    config.drainTimeoutMs,
  );
  await starting;
  server.listen(config.httpPort, () => logger.info({ port: config.httpPort }, 'ops endpoints listening'));
} catch (error) {
  if (error instanceof ConfigError) logger.fatal({ problems: error.problems }, error.message);
  else logger.fatal({ err: error }, 'persistence failed to start');
  process.exit(1);
}
