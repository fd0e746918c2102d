import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionRevocations } from '@chat/auth';
import { createLogger } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import { startJwksIssuer, type JwksIssuer } from '@chat/testkit/jwks';
import { createRoomService, type RoomService } from '../src/service.js';
import { client, type ErrorReply } from './support/http.js';
import {
  createTopic,
  deleteTopic,
  dropDatabase,
  endpoints,
  testConfig,
  testMongoUrl,
} from './support/infra.js';

/**
 * The room service as deployed (dev sign-in off, tokens verified by the identity service's JWKS)
 * refuses the still-valid token of a signed-out session, as the gateway does: the identity
 * service's revocation key in the real Redis is what decides.
 */
describe('signed-out sessions at the room API', () => {
  const mongoUrl = testMongoUrl();
  const redis = new Redis(endpoints.redisUrl);
  const revocations = new SessionRevocations(redis, 60);
  let issuer: JwksIssuer;
  let topic: string;
  let service: RoomService;
  const sessionId = () => uniqueName('sid').replace(/[^A-Za-z0-9_-]/g, '');

  beforeAll(async () => {
    issuer = await startJwksIssuer();
    topic = await createTopic();
    const config = testConfig(mongoUrl, topic, { AUTH_DEV_SIGNIN: 'false', AUTH_JWKS_URL: issuer.url });
    service = await createRoomService({ config, logger: createLogger('room-test', 'error') });
    await service.start();
  });

  afterAll(async () => {
    await service?.stop();
    await dropDatabase(mongoUrl);
    await deleteTopic(topic);
    await issuer?.close();
    redis.disconnect();
  });

  it('serves a session that is live, and refuses the same token once the session is revoked', async () => {
    const userId = uniqueName('ada');
    const sid = sessionId();
    const api = client(service.app, await issuer.sign({ sub: userId, name: 'Ada', sid }));
    expect((await api('GET', '/v1/rooms')).status).toBe(200);

    await revocations.revoke([sid]);
    const refused = await api<ErrorReply>('GET', '/v1/rooms');
    expect(refused.status).toBe(401);
    expect(refused.body.error).toEqual({
      code: 'AUTH_INVALID',
      message: 'the session has been signed out',
      retryable: false,
    });
    const creation = await api<ErrorReply>('POST', '/v1/rooms', { name: 'After sign-out', memberIds: [] });
    expect(creation.status).toBe(401);
  });

  it('leaves other sessions of the same person alone', async () => {
    const userId = uniqueName('bea');
    const [signedOut, other] = [sessionId(), sessionId()];
    await revocations.revoke([signedOut]);
    const api = client(service.app, await issuer.sign({ sub: userId, name: 'Bea', sid: other }));
    expect((await api('GET', '/v1/rooms')).status).toBe(200);
  });
});
