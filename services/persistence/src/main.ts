import { createServer } from 'node:http';
import { ConfigError, createLogger, onShutdown } from '@chat/runtime';
import { startTelemetry } from '@chat/telemetry';
import { startPersistence } from './app.js';
import { loadConfig } from './config.js';

const logger = createLogger('persistence');
try {
  const telemetry = startTelemetry({ serviceName: 'persistence', logger });
  const config = loadConfig();
  const app = await startPersistence(config, logger);
  const server = createServer((request, response) => {
    void app.handleHttp(request, response).then((handled) => {
      if (!handled) response.writeHead(404).end();
    });
  });
  server.listen(config.httpPort, () => logger.info({ port: config.httpPort }, 'ops endpoints listening'));
  onShutdown(
    logger,
    async () => {
      await app.stop();
      server.close();
      await telemetry.shutdown();
    },
    config.drainTimeoutMs,
  );
} catch (error) {
  if (error instanceof ConfigError) logger.fatal({ problems: error.problems }, error.message);
  else logger.fatal({ err: error }, 'persistence failed to start');
  process.exit(1);
}
