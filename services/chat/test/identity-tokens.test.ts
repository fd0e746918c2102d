import { createServer, type Server } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET, SessionRevocations } from '@chat/auth';
import { USER_NOTICES_CHANNEL, type UserRenamedNotice } from '@chat/contracts';
import { uniqueName } from '@chat/testkit';
import { Harness, emitAck, endpoints, waitFor, type Client } from './support.js';

/**
 * The gateway as deployed: dev sign-in off, tokens verified by the identity
 * service's JWKS (served here from a key made for the test), sign-out
 * enforced through the session revocations in Redis.
 */
describe('the gateway with identity-service tokens', () => {
  const h = new Harness();
  const redis = new Redis(endpoints.redisUrl);
  let jwksServer: Server;
  let privateKey: CryptoKey;
  let publicJwk: JWK;
  let port: number;

  async function identityToken(userId: string, sessionId: string, name = 'Ada'): Promise<string> {
    return new SignJWT({ name, sid: sessionId })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
      .setSubject(userId)
      .setIssuer('chat-platform')
      .setAudience('chat-platform')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  }

  function connectError(client: Client): Promise<{ data?: { error?: { code: string } } }> {
    return new Promise((resolve) => client.once('connect_error', (error) => resolve(error as never)));
  }

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
    jwksServer = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as { port: number }).port}/jwks`;
    await h.setUp();
    ({ port } = await h.gateway({ AUTH_DEV_SIGNIN: 'false', AUTH_JWKS_URL: jwksUrl }));
  });

  afterAll(async () => {
    await h.tearDown();
    jwksServer.close();
    redis.disconnect();
  });

  it('accepts a token verified by the JWKS; the sender is its subject', async () => {
    const userId = uniqueName('ada');
    const roomId = h.room([userId]);
    const client = await h.client(
      port,
      userId,
      await identityToken(userId, uniqueName('sid').replace(/[^A-Za-z0-9_-]/g, '')),
    );
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('connect_error', reject);
    });
    await emitAck(client, 'resume', { rooms: [{ roomId }] });
    const received = new Promise((resolve) => client.once('message', resolve));
    expect(
      await emitAck(client, 'send', { roomId, clientMessageId: 'jwks-1', text: 'hello' }),
    ).toHaveProperty('messageId');
    expect(await received).toMatchObject({ senderId: userId, text: 'hello' });
  });

  it('refuses HS256 dev tokens and foreign keys while dev sign-in is off', async () => {
    const userId = uniqueName('mallory');
    const devToken = await new SignJWT({ name: 'M' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer('chat-platform')
      .setAudience('chat-platform')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(DEV_JWT_SECRET));
    const dev = await h.client(port, userId, devToken);
    expect((await connectError(dev)).data?.error?.code).toBe('AUTH_INVALID');
    const { privateKey: stranger } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ name: 'M', sid: 'x' })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
      .setSubject(userId)
      .setIssuer('chat-platform')
      .setAudience('chat-platform')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(stranger);
    const forgedClient = await h.client(port, userId, forged);
    expect((await connectError(forgedClient)).data?.error?.code).toBe('AUTH_INVALID');
  });

  it('closes the live sockets of a signed-out session within seconds and refuses its token at connect', async () => {
    const userId = uniqueName('bob');
    const sessionId = `s${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const otherSession = `${sessionId}o`;
    const token = await identityToken(userId, sessionId);
    const live = await h.client(port, userId, token);
    const other = await h.client(port, userId, await identityToken(userId, otherSession));
    await waitFor('both connected', () => live.connected && other.connected, { timeoutMs: 5_000 });
    const closed = new Promise<string>((resolve) => live.once('disconnect', resolve));

    await new SessionRevocations(redis, 60).revoke([sessionId]);
    const started = Date.now();
    const within = new Promise<string>((resolve) => setTimeout(() => resolve('still open after 5 s'), 5_000));
    expect(await Promise.race([closed, within])).toBe('io server disconnect');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(other.connected).toBe(true);

    const again = await h.client(port, userId, token);
    expect((await connectError(again)).data?.error?.code).toBe('AUTH_INVALID');
  });

  it('relays renames to every socket', async () => {
    const userId = uniqueName('carol');
    const client = await h.client(port, userId, await identityToken(userId, `c${Date.now().toString(36)}`));
    await waitFor('connected', () => client.connected, { timeoutMs: 5_000 });
    const heard = new Promise<UserRenamedNotice>((resolve) => client.once('user-renamed', resolve));
    const notice: UserRenamedNotice = {
      type: 'user.renamed',
      userId: 'u-someone',
      handle: 'someone',
      displayName: 'Some One',
    };
    await waitFor(
      'a subscriber',
      async () => (await redis.publish(USER_NOTICES_CHANNEL, JSON.stringify(notice))) > 0,
      {
        timeoutMs: 5_000,
      },
    );
    expect(await heard).toEqual(notice);
  });
});
