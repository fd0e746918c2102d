import type { EnvTable } from './table.js';

/**
 * The token verification variables (packages/auth/src/config.ts) that a
 * launcher sets: development sign-in, and the identity service's key set when
 * it runs that service too.
 */
export const AUTH_ENV = {
  devSignIn: { name: 'AUTH_DEV_SIGNIN', default: false },
  jwksUrl: { name: 'AUTH_JWKS_URL', urlOf: 'identity', path: '/.well-known/jwks.json' },
} as const satisfies EnvTable;
