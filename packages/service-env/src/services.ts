import { CHAT_ENV } from './chat.js';
import { IDENTITY_ENV } from './identity.js';
import { PERSISTENCE_ENV } from './persistence.js';
import { ROOM_ENV } from './room.js';
import type { ServiceEnv } from './table.js';

/**
 * The platform's services (each runs `services/<name>/src/main.ts`), with
 * what each reads. Adding a service is one entry here and its table beside
 * the others; the launcher, `bin/start` and the manifest check follow.
 */
export const SERVICE_ENV = {
  // First: the others verify tokens by its key set.
  identity: { env: IDENTITY_ENV, shared: ['endpoints', 'tracing'] },
  chat: { env: CHAT_ENV, shared: ['endpoints', 'auth', 'tracing'] },
  room: { env: ROOM_ENV, shared: ['endpoints', 'auth', 'tracing'] },
  persistence: { env: PERSISTENCE_ENV, shared: ['endpoints', 'tracing'] },
} as const satisfies Record<string, ServiceEnv>;

export type ServiceName = keyof typeof SERVICE_ENV;
