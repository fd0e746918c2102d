import { Writable } from 'node:stream';
import { pino } from 'pino';
import { uniqueName } from '@chat/testkit';
import { identityConfigFromEnv, type IdentityConfig } from '../src/config.js';
import { createIdentityService, type IdentityService } from '../src/service.js';

export const PAGE_ORIGIN = 'http://127.0.0.1:8080';

/** Every line the service logged, to assert that no secret ever reaches a log. */
export class CapturedLog {
  readonly lines: string[] = [];
  readonly logger = pino(
    { level: 'debug' },
    new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.lines.push(chunk.toString());
        done();
      },
    }),
  );
}

export interface RunningIdentity {
  service: IdentityService;
  config: IdentityConfig;
  url: string;
  log: CapturedLog;
  stop(): Promise<void>;
  /** Removes this run's collections from the shared database (call before `stop`). */
  drop(): Promise<void>;
}

/** An identity service on port 0 with its own collections and rate-limit keys. */
export async function startIdentity(
  env: Record<string, string> = {},
  log = new CapturedLog(),
): Promise<RunningIdentity> {
  const config = identityConfigFromEnv({
    MONGODB_URL: process.env.MONGODB_URL,
    REDIS_URL: process.env.REDIS_URL,
    IDENTITY_PAGE_ORIGINS: PAGE_ORIGIN,
    IDENTITY_COOKIE_SECURE: 'true',
    IDENTITY_TRUST_PROXY: 'true',
    IDENTITY_COLLECTION_PREFIX: uniqueName('identity').replace(/[^A-Za-z0-9_-]/g, '_'),
    IDENTITY_RATE_LIMIT_PREFIX: uniqueName('identity-rl').replace(/[^A-Za-z0-9:._-]/g, '_'),
    ...env,
  });
  const service = await createIdentityService({ config, logger: log.logger });
  service.start();
  await service.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = service.app.server.address() as { port: number };
  return {
    service,
    config,
    url: `http://127.0.0.1:${port}`,
    log,
    stop: () => service.stop(),
    drop: async () => {
      await Promise.all(
        Object.values(service.models).map((model) => model.collection.drop().catch(() => undefined)),
      );
    },
  };
}

export interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
  /** The refresh cookie's value, when the answer set one. */
  refreshToken: string | undefined;
  setCookie: string | undefined;
  headers: Headers;
}

/** Calls the API as the chat page does: its Origin, the CSRF header, the cookie when given. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: {
    body?: unknown;
    cookie?: string;
    token?: string;
    origin?: string;
    csrf?: boolean;
    address?: string;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { origin: options.origin ?? PAGE_ORIGIN };
  if (options.csrf !== false) headers['x-chat-csrf'] = '1';
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.cookie) headers.cookie = `chat_refresh=${options.cookie}`;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.address) headers['x-forwarded-for'] = options.address;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  const setCookie = response.headers.get('set-cookie') ?? undefined;
  const match = /chat_refresh=([^;]*)/.exec(setCookie ?? '');
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Answer['body']) : {},
    refreshToken: match?.[1] || undefined,
    setCookie,
    headers: response.headers,
  };
}

let counter = 0;
/** A handle no other test (or helper) uses. */
export function freshHandle(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`.slice(
    0,
    32,
  );
}

export const PASSWORD = 'correct horse battery staple';
