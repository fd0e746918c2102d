import { join } from 'node:path';
import { REPO_ROOT } from '../paths.js';

/** A service the start command runs as its own process, as in production. */
export interface ServiceSpec {
  name: string;
  dir: string;
  /** Where its /readyz answers once it is ready. */
  port: number;
  env: Record<string, string>;
  /** What to print for a person once it is ready. */
  banner?: (port: number) => string;
}

/** The platform's services, in start order; a folder that does not exist yet is skipped. */
export const PLATFORM_SERVICES: readonly ServiceSpec[] = [
  {
    name: 'identity',
    dir: join(REPO_ROOT, 'services', 'identity'),
    port: 3003,
    // Development keys are made at each start; the refresh cookie is set for the page at 127.0.0.1:8080.
    env: {
      PORT: '3003',
      HOST: '127.0.0.1',
      IDENTITY_PAGE_ORIGINS: 'http://127.0.0.1:8080',
    },
  },
  {
    name: 'chat',
    dir: join(REPO_ROOT, 'services', 'chat'),
    port: 8080,
    env: {
      PORT: '8080',
      HOST: '127.0.0.1',
      AUTH_DEV_SIGNIN: 'true',
      CHAT_INSTANCE_ID: 'local-1',
      CHAT_ROOM_API_URL: 'http://127.0.0.1:3002',
      CHAT_IDENTITY_API_URL: 'http://127.0.0.1:3003',
      AUTH_JWKS_URL: 'http://127.0.0.1:3003/.well-known/jwks.json',
    },
    banner: (port) => `open the chat page: http://127.0.0.1:${port}`,
  },
  {
    name: 'room',
    dir: join(REPO_ROOT, 'services', 'room'),
    port: 3002,
    // The chat page (served by the gateway) calls this API from the browser.
    env: {
      PORT: '3002',
      HOST: '127.0.0.1',
      AUTH_DEV_SIGNIN: 'true',
      AUTH_JWKS_URL: 'http://127.0.0.1:3003/.well-known/jwks.json',
      ROOM_CORS_ORIGINS: 'http://127.0.0.1:8080,http://localhost:8080',
    },
  },
  {
    name: 'persistence',
    dir: join(REPO_ROOT, 'services', 'persistence'),
    port: 8083,
    env: { PERSISTENCE_HTTP_PORT: '8083' },
  },
];
