import { describe, expect, it } from 'vitest';
import { TOPICS } from '@chat/contracts';
import { AUTH_ENV, CHAT_ENV, IDENTITY_ENV, PERSISTENCE_ENV, ROOM_ENV } from '@chat/service-env';
import { environmentOf } from '../src/platform/environment.js';

const endpoints = {
  kafkaBrokers: ['127.0.0.1:9092'],
  mongoUrl: 'mongodb://127.0.0.1:27017/ns_1',
  redisUrl: 'redis://127.0.0.1:6379',
};

describe('each instance’s environment, from the services’ tables', () => {
  const [identity, chat, room, persistence] = environmentOf({
    namespace: 'ns-1',
    endpoints,
    devSignIn: false,
    instances: [
      { service: 'identity', index: 1, port: 4003 },
      { service: 'chat', index: 1, port: 4080 },
      { service: 'room', index: 1, port: 4002 },
      { service: 'persistence', index: 1, port: 4083 },
    ],
  });

  it('links the services to each other: the identity API and key set, the room API, the page origins', () => {
    expect(chat![CHAT_ENV.identityApiUrl.name]).toBe('http://127.0.0.1:4003');
    expect(chat![AUTH_ENV.jwksUrl.name]).toBe('http://127.0.0.1:4003/.well-known/jwks.json');
    expect(room![AUTH_ENV.jwksUrl.name]).toBe('http://127.0.0.1:4003/.well-known/jwks.json');
    expect(chat![CHAT_ENV.roomApiUrl.name]).toBe('http://127.0.0.1:4002');
    expect(identity![IDENTITY_ENV.pageOrigins.name]).toBe('http://127.0.0.1:4080,http://localhost:4080');
    expect(room![ROOM_ENV.corsOrigins.name]).toBe('http://127.0.0.1:4080,http://localhost:4080');
    expect(chat![AUTH_ENV.devSignIn.name]).toBe('false');
    expect(persistence).not.toHaveProperty(AUTH_ENV.devSignIn.name);
  });

  it('namespaces topics, groups and keys, and gives each instance its port and name', () => {
    expect(chat![CHAT_ENV.messagesTopic.name]).toBe(`ns-1.${TOPICS.messages}`);
    expect(persistence![PERSISTENCE_ENV.topics.name]).toBe(`ns-1.${TOPICS.messages},ns-1.${TOPICS.receipts}`);
    expect(chat![CHAT_ENV.persistenceGroup.name]).toBe(persistence![PERSISTENCE_ENV.groupId.name]);
    expect(chat![CHAT_ENV.backupKey.name]).toBe(`ns-1:${CHAT_ENV.backupKey.default}`);
    expect(identity![IDENTITY_ENV.rateLimitPrefix.name]).toBe(`ns-1:${IDENTITY_ENV.rateLimitPrefix.default}`);
    expect(persistence![PERSISTENCE_ENV.port.name]).toBe('4083');
    expect(chat![CHAT_ENV.instanceId.name]).toBe('ns-1-1');
    expect(chat!.MONGODB_URL).toBe(endpoints.mongoUrl);
  });

  it('leaves out what links to a service that is not planned', () => {
    const [alone] = environmentOf({
      endpoints,
      devSignIn: true,
      instances: [{ service: 'chat', index: 1, port: 8080 }],
    });
    expect(alone).not.toHaveProperty(CHAT_ENV.identityApiUrl.name);
    expect(alone).not.toHaveProperty(AUTH_ENV.jwksUrl.name);
    expect(alone).not.toHaveProperty(CHAT_ENV.messagesTopic.name);
    expect(alone![CHAT_ENV.instanceId.name]).toBe('local-1');
  });
});
