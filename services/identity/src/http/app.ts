import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
} from 'fastify';
import type Joi from 'joi';
import { OPS_PATHS, opsRoutes, type HealthProbe, type Logger, type OpsState } from '@chat/runtime';
import type { SigningKeys } from '../keys/signing-keys.js';
import { CSRF_HEADER } from './cookies.js';
import { errorHandler } from './errors.js';

export interface HttpAppDeps {
  logger: Logger;
  keys: SigningKeys;
  probes: Record<string, HealthProbe>;
  opsState: OpsState;
  bodyLimitBytes: number;
  pageOrigins: readonly string[];
  trustProxy: boolean;
  /** The API's route plugins (auth, users, single sign-on). */
  routes: FastifyPluginAsync[];
}

/** The identity service's HTTP API, JWKS and ops endpoints; listening is up to the caller. */
export function createHttpApp(deps: HttpAppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // No request logging: bodies carry passwords, URLs of the SSO callback carry codes.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimitBytes,
    trustProxy: deps.trustProxy,
    genReqId: () => randomUUID(),
  });
  app.setValidatorCompiler(({ schema }) => (data) => {
    const { value, error } = (schema as Joi.Schema).validate(data, { abortEarly: false, convert: true });
    return error ? { error } : { value };
  });
  app.setErrorHandler(errorHandler(deps.logger));
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such endpoint', retryable: false } }),
  );
  app.decorateRequest('caller', null);
  app.register(cookie);
  app.register(cors, {
    origin: [...deps.pageOrigins],
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', CSRF_HEADER],
  });

  const ops = opsRoutes(deps.probes, deps.opsState);
  for (const path of Object.values(OPS_PATHS)) {
    app.get(path, async (request, reply) => {
      reply.hijack();
      await ops(request.raw, reply.raw);
    });
  }
  app.get('/.well-known/jwks.json', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(deps.keys.publicJwks),
  );
  for (const routes of deps.routes) app.register(routes);
  return app;
}
