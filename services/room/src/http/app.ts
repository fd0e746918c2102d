import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
} from 'fastify';
import type Joi from 'joi';
import type { SessionRevocations, TokenService } from '@chat/auth';
import { OPS_PATHS, opsRoutes, type HealthProbe, type Logger, type OpsState } from '@chat/runtime';
import { httpRequests } from '../metrics.js';
import type { RoomCommands } from '../rooms/commands.js';
import type { RoomQueries } from '../rooms/queries.js';
import type { RoomCreationSaga } from '../saga/room-creation-saga.js';
import { authenticate } from './auth.js';
import { BAD_URL, errorHandler } from './errors.js';
import { IDEMPOTENCY_KEY_HEADER } from './schemas.js';
import { memberRoutes } from './routes/members.js';
import { roomRoutes } from './routes/rooms.js';

export interface HttpDeps {
  logger: Logger;
  tokens: TokenService;
  /** Signed-out sessions, whose still-valid tokens are refused. */
  revocations: SessionRevocations;
  saga: RoomCreationSaga;
  commands: RoomCommands;
  queries: RoomQueries;
  probes: Record<string, HealthProbe>;
  opsState: OpsState;
  bodyLimitBytes: number;
  /** Browser origins allowed to call the API (the chat page's); empty: no CORS headers at all. @defaultValue none */
  corsOrigins?: string[];
}

export const CORRELATION_HEADER = 'x-correlation-id';
const CORRELATION_ID = /^[\x21-\x7e]{1,128}$/;

/** The room service's HTTP API and ops endpoints; listening is up to the caller (port 0 in tests). */
export function createHttpApp(deps: HttpDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Requests are timed, counted and logged (at debug) by the onResponse hook instead of Fastify's two info lines.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimitBytes,
    // The same documented error body for what fails before routing as for everything else.
    frameworkErrors: (_error, _request, reply) => void (reply as FastifyReply).status(400).send(BAD_URL),
    // The caller's correlation id when it sent a sane one, so one user action can be followed across services.
    genReqId: (request) => {
      const header = request.headers[CORRELATION_HEADER];
      return typeof header === 'string' && CORRELATION_ID.test(header) ? header : randomUUID();
    },
  });

  app.setValidatorCompiler(({ schema }) => (data) => {
    const { value, error } = (schema as Joi.Schema).validate(data, { abortEarly: false, convert: true });
    return error ? { error } : { value };
  });
  app.setErrorHandler(errorHandler(deps.logger));
  // The API speaks JSON only: anything else is 415, not a string for the schema to refuse.
  app.removeContentTypeParser('text/plain');
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such endpoint', retryable: false } }),
  );

  if (deps.corsOrigins?.length) {
    app.register(cors, {
      origin: deps.corsOrigins,
      // The page renames (PATCH), blocks (PUT) and removes (DELETE) too; the plugin allows GET, HEAD and POST only by default.
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', IDEMPOTENCY_KEY_HEADER, CORRELATION_HEADER],
      exposedHeaders: [CORRELATION_HEADER],
    });
  }
  app.addHook('onRequest', async (request, reply) => {
    reply.header(CORRELATION_HEADER, request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = String(reply.statusCode);
    httpRequests.observe({ method: request.method, route, status }, reply.elapsedTime / 1000);
    request.log.debug(
      { method: request.method, route, status, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  const ops = opsRoutes(deps.probes, deps.opsState);
  for (const path of Object.values(OPS_PATHS)) {
    app.get(path, async (request, reply) => {
      reply.hijack();
      await ops(request.raw, reply.raw);
    });
  }

  app.register(
    async (v1) => {
      v1.decorateRequest('principal', null);
      v1.addHook('onRequest', authenticate(deps.tokens, deps.revocations));
      await v1.register(roomRoutes(deps));
      await v1.register(memberRoutes(deps.commands));
    },
    { prefix: '/v1' },
  );

  return app;
}
