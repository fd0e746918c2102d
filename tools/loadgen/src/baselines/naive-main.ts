import Joi from 'joi';
import mongoose from 'mongoose';
import { ConfigError, createLogger, endpointsFromEnv, parseConfig } from '@chat/runtime';
import { createNaiveServer } from './naive-server.js';

const logger = createLogger('naive-baseline');

try {
  const { PORT } = parseConfig<{ PORT: number }>(Joi.object({ PORT: Joi.number().port().required() }), {
    ...process.env,
  });
  const connection = await mongoose.createConnection(endpointsFromEnv().mongoUrl).asPromise();
  const server = createNaiveServer(connection);
  server.listen(PORT, '127.0.0.1', () => logger.info({ port: PORT }, 'naive baseline listening'));
  process.once('SIGTERM', () => {
    server.close();
    void connection.close().then(() => process.exit(0));
  });
} catch (error) {
  if (error instanceof ConfigError) logger.fatal({ problems: error.problems }, 'invalid configuration');
  else logger.fatal({ err: error }, 'naive baseline failed to start');
  process.exit(1);
}
