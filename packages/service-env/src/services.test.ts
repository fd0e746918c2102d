import { describe, expect, it } from 'vitest';
import { AUTH_ENV_NAMES } from '@chat/auth';
import { AUTH_ENV, SERVICE_ENV, envNames } from './index.js';

describe('the services’ environment tables', () => {
  it.each(Object.entries(SERVICE_ENV))(
    '%s: names are unique and one variable holds the HTTP port',
    (_, { env }) => {
      const names = envNames(env);
      expect(new Set(names).size).toBe(names.length);
      const ports = Object.values(env).filter((entry) => 'role' in entry && entry.role === 'port');
      expect(ports).toHaveLength(1);
      expect(Number.isInteger(ports[0]!.default)).toBe(true);
    },
  );

  it('a namespaced variable has a default to prefix, and links name services of the table', () => {
    for (const { env } of Object.values(SERVICE_ENV)) {
      for (const entry of Object.values(env)) {
        if ('namespaced' in entry) expect(entry.default, entry.name).toEqual(expect.any(String));
        for (const link of ['urlOf', 'originsOf'] as const) {
          if (link in entry)
            expect(Object.keys(SERVICE_ENV)).toContain((entry as Record<string, unknown>)[link]);
        }
      }
    }
  });

  it('the gateway reads the persistence worker’s offsets under the worker’s own group name', () => {
    expect(SERVICE_ENV.chat.env.persistenceGroup.default).toBe(SERVICE_ENV.persistence.env.groupId.default);
  });

  it('the gateway repairs the recent cache to the length its writer keeps, on the topic it delivers', () => {
    const { chat, persistence } = SERVICE_ENV;
    expect(chat.env.recentCacheLength.default).toBe(persistence.env.recentCacheLength.default);
    expect(chat.env.messagesTopic.default).toBe(persistence.env.recentCacheTopic.default);
  });
});

describe('the token variables a launcher sets', () => {
  it('are variables the auth parser reads', () => {
    expect(AUTH_ENV_NAMES).toEqual(expect.arrayContaining(envNames(AUTH_ENV)));
  });
});
