import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import mongoose, { type Connection } from 'mongoose';
import { SessionRevocations } from '@chat/auth';
import { USER_NOTICES_CHANNEL } from '@chat/contracts';
import type { HealthProbe, Logger, OpsState } from '@chat/runtime';
import { Accounts } from './accounts/accounts.js';
import { ensureIndexes, identityModels, sweepExpired, type IdentityModels } from './accounts/models.js';
import { SignInThrottle } from './accounts/sign-in-throttle.js';
import type { IdentityConfig } from './config.js';
import { bearerAuthenticator } from './http/bearer.js';
import { createHttpApp } from './http/app.js';
import { authRoutes } from './http/routes/auth.js';
import { userRoutes } from './http/routes/users.js';
import { accessTokenMinter } from './keys/access-tokens.js';
import { loadSigningKeys } from './keys/signing-keys.js';
import { Sessions } from './sessions/sessions.js';
import { ssoRoutes } from './sso/sso-routes.js';

export interface IdentityService {
  app: FastifyInstance;
  connection: Connection;
  models: IdentityModels;
  /** Starts the sweep of expired sessions; the caller then listens with `app.listen`. */
  start(): void;
  stop(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 10 * 60_000;

/** Wires the identity service from its configuration; nothing listens until the caller does. */
export async function createIdentityService(options: {
  config: IdentityConfig;
  logger: Logger;
}): Promise<IdentityService> {
  const { config, logger } = options;
  const keys = await loadSigningKeys(config.keys);
  const connection = await mongoose
    .createConnection(config.endpoints.mongoUrl, { serverSelectionTimeoutMS: 5_000 })
    .asPromise();
  const models = identityModels(connection, config.collectionPrefix);
  await ensureIndexes(models);
  const redis = new Redis(config.endpoints.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 2_000 });
  redis.on('error', () => undefined);

  // A revocation lives as long as the longest access token it must refuse.
  const revocations = new SessionRevocations(redis, config.accessTokenTtlSeconds + 60);
  const accounts = new Accounts(models);
  const sessions = new Sessions(models, revocations, config.sessionTtlSeconds, logger);
  const authenticate = bearerAuthenticator(keys, config, revocations);
  const cookies = {
    secure: config.cookieSecure,
    lifetimeSeconds: config.sessionTtlSeconds,
    pageOrigins: config.http.pageOrigins,
  };
  const mintAccessToken = accessTokenMinter(keys, {
    issuer: config.issuer,
    audience: config.audience,
    ttlSeconds: config.accessTokenTtlSeconds,
  });

  const probes: Record<string, HealthProbe> = {
    mongo: async () => {
      await connection.db!.admin().ping();
      return { mongo: { ok: true } };
    },
    redis: () => ({ redis: { ok: redis.status === 'ready' } }),
  };
  const opsState: OpsState = { draining: false };
  const app = createHttpApp({
    logger,
    keys,
    probes,
    opsState,
    bodyLimitBytes: config.http.bodyLimitBytes,
    pageOrigins: config.http.pageOrigins,
    trustProxy: config.http.trustProxy,
    routes: [
      authRoutes({
        accounts,
        sessions,
        throttle: new SignInThrottle(redis, config.throttle),
        mintAccessToken,
        accessTokenTtlSeconds: config.accessTokenTtlSeconds,
        cookies,
        authenticate,
      }),
      userRoutes({
        accounts,
        sessions,
        authenticate,
        announce: (notice) => {
          redis
            .publish(USER_NOTICES_CHANNEL, JSON.stringify(notice))
            .catch((error: unknown) =>
              logger.warn({ err: (error as Error).message }, 'rename notice not published'),
            );
        },
      }),
      ...(config.sso
        ? [
            ssoRoutes({
              sso: config.sso,
              accounts,
              sessions,
              redis,
              cookies,
              returnUrl: config.ssoReturnUrl,
              allowInsecureIssuer: config.allowInsecureIssuer,
              keyPrefix: config.throttle.keyPrefix,
              logger,
            }),
          ]
        : []),
    ],
  });

  let sweep: NodeJS.Timeout | undefined;
  return {
    app,
    connection,
    models,
    start() {
      sweep = setInterval(() => {
        sweepExpired(models).catch((error: unknown) =>
          logger.warn({ err: (error as Error).message }, 'sweep of expired sessions failed'),
        );
      }, SWEEP_INTERVAL_MS).unref();
    },
    async stop() {
      opsState.draining = true;
      clearInterval(sweep);
      await app.close();
      redis.disconnect();
      await connection.close();
    },
  };
}
