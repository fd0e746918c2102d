import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionRevocations, createTokenService } from '@chat/auth';
import { PASSWORD, call, freshHandle, startIdentity, type RunningIdentity } from './support.js';

let identity: RunningIdentity;
let redis: Redis;
/** Every secret the tests handle, to look for in the stored documents and the log at the end. */
const secrets = new Set<string>([PASSWORD]);

function keep(...values: (string | undefined)[]): void {
  for (const value of values) if (value) secrets.add(value);
}

beforeAll(async () => {
  identity = await startIdentity({
    IDENTITY_SIGNIN_FAILURES_PER_HANDLE: '3',
    IDENTITY_SIGNIN_ATTEMPTS_PER_ADDRESS: '12',
    IDENTITY_SIGNIN_WINDOW_SECONDS: '60',
  });
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6380');
});

afterAll(async () => {
  await identity?.drop();
  await identity?.stop();
  redis?.disconnect();
});

async function signUp(
  handle = freshHandle(),
  address = `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
) {
  const answer = await call(identity.url, 'POST', '/v1/auth/signup', {
    body: { handle, displayName: `Person ${handle}`, password: PASSWORD },
    address,
  });
  expect(answer.status).toBe(201);
  keep(answer.body.accessToken as string, answer.refreshToken);
  return { handle, answer, address };
}

describe('sign-up and sign-in', () => {
  it('signs up with a handle, a display name and a password, and sets the refresh cookie as the ecosystem does', async () => {
    const { handle, answer } = await signUp();
    expect(answer.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 600,
      user: { handle, displayName: `Person ${handle}` },
    });
    expect(answer.setCookie).toMatch(/HttpOnly/i);
    expect(answer.setCookie).toMatch(/Secure/i);
    expect(answer.setCookie).toMatch(/SameSite=Strict/i);
    expect(answer.setCookie).toMatch(/Path=\/v1\/auth/);
    const [header] = (answer.body.accessToken as string).split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toMatchObject({
      alg: 'ES256',
      kid: expect.any(String),
    });
  });

  it('keeps handles unique after normalisation and explains the rule without echoing the input', async () => {
    const { handle } = await signUp();
    const taken = await call(identity.url, 'POST', '/v1/auth/signup', {
      body: { handle: handle.toUpperCase(), displayName: 'Other', password: PASSWORD },
      address: '10.2.0.1',
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error?.code).toBe('HANDLE_TAKEN');
    const bad = await call(identity.url, 'POST', '/v1/auth/signup', {
      body: { handle: 'no spaces allowed', displayName: 'X', password: 'short' },
      address: '10.2.0.2',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).not.toContain('no spaces allowed');
    expect(JSON.stringify(bad.body)).not.toContain('short');
  });

  it('signs in with the right password; a wrong password and an unknown handle get the same answer', async () => {
    const { handle } = await signUp();
    const right = await call(identity.url, 'POST', '/v1/auth/signin', {
      body: { handle: handle.toUpperCase(), password: PASSWORD },
      address: '10.3.0.1',
    });
    expect(right.status).toBe(200);
    keep(right.body.accessToken as string, right.refreshToken);
    const wrong = await call(identity.url, 'POST', '/v1/auth/signin', {
      body: { handle, password: 'not the password at all' },
      address: '10.3.0.2',
    });
    const unknown = await call(identity.url, 'POST', '/v1/auth/signin', {
      body: { handle: freshHandle('nobody'), password: 'not the password at all' },
      address: '10.3.0.3',
    });
    secrets.add('not the password at all');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error?.code).toBe('SIGN_IN_FAILED');
  });

  it('throttles failures per handle, existing or not, with one clear answer', async () => {
    const { handle } = await signUp();
    for (const target of [handle, freshHandle('ghost')]) {
      const answers = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        answers.push(
          await call(identity.url, 'POST', '/v1/auth/signin', {
            body: { handle: target, password: 'guess-guess-guess' },
            address: `10.4.${attempt}.${target.length}`,
          }),
        );
      }
      expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 429, 429]);
      expect(answers[3]!.body.error?.code).toBe('RATE_LIMITED');
      expect(answers[3]!.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    // Locked even with the right password until the window ends.
    const locked = await call(identity.url, 'POST', '/v1/auth/signin', {
      body: { handle, password: PASSWORD },
      address: '10.4.9.9',
    });
    expect(locked.status).toBe(429);
  });

  it('throttles attempts per address', async () => {
    const statuses = [];
    for (let attempt = 0; attempt < 14; attempt += 1) {
      const answer = await call(identity.url, 'POST', '/v1/auth/signin', {
        body: { handle: freshHandle('spray'), password: 'guess-guess-guess' },
        address: '10.5.0.1',
      });
      statuses.push(answer.status);
    }
    expect(statuses.slice(0, 12).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(12)).toEqual([429, 429]);
  });
});

describe('refresh tokens', () => {
  it('rotates on every exchange, and a reused token revokes the whole session', async () => {
    const { answer } = await signUp();
    const first = answer.refreshToken!;
    const second = await call(identity.url, 'POST', '/v1/auth/refresh', { cookie: first });
    expect(second.status).toBe(200);
    keep(second.body.accessToken as string, second.refreshToken);
    expect(second.refreshToken).toBeDefined();
    expect(second.refreshToken).not.toBe(first);
    const third = await call(identity.url, 'POST', '/v1/auth/refresh', { cookie: second.refreshToken });
    expect(third.status).toBe(200);
    keep(third.body.accessToken as string, third.refreshToken);

    const replay = await call(identity.url, 'POST', '/v1/auth/refresh', { cookie: first });
    expect(replay.status).toBe(401);
    expect(replay.body.error?.code).toBe('SESSION_INVALID');
    // The thief's replay ended the session: the legitimate latest token is dead too.
    const latest = await call(identity.url, 'POST', '/v1/auth/refresh', { cookie: third.refreshToken });
    expect(latest.status).toBe(401);
    const sessionId = JSON.parse(
      Buffer.from((third.body.accessToken as string).split('.')[1]!, 'base64url').toString(),
    ).sid;
    const revocations = new SessionRevocations(redis, 60);
    expect(await revocations.revoked([sessionId])).toEqual(new Set([sessionId]));
  });

  it('lets one of two concurrent exchanges of a token win and treats the other as reuse', async () => {
    const { answer } = await signUp();
    const results = await Promise.all(
      [0, 1].map(() => call(identity.url, 'POST', '/v1/auth/refresh', { cookie: answer.refreshToken })),
    );
    for (const result of results) keep(result.body.accessToken as string, result.refreshToken);
    expect(results.map((result) => result.status).sort()).toEqual([200, 401]);
  });

  it('refuses the cookie endpoints without the CSRF header or from a foreign origin', async () => {
    const { answer } = await signUp();
    const noHeader = await call(identity.url, 'POST', '/v1/auth/refresh', {
      cookie: answer.refreshToken,
      csrf: false,
    });
    const foreign = await call(identity.url, 'POST', '/v1/auth/refresh', {
      cookie: answer.refreshToken,
      origin: 'https://evil.example',
    });
    expect([noHeader.status, foreign.status]).toEqual([403, 403]);
    expect(noHeader.body.error?.code).toBe('CSRF_REFUSED');
    const stillFine = await call(identity.url, 'POST', '/v1/auth/refresh', { cookie: answer.refreshToken });
    expect(stillFine.status).toBe(200);
    keep(stillFine.body.accessToken as string, stillFine.refreshToken);
  });

  it('signs out one session, or every session of the person', async () => {
    const { handle, answer } = await signUp();
    const other = await call(identity.url, 'POST', '/v1/auth/signin', {
      body: { handle, password: PASSWORD },
      address: '10.6.0.1',
    });
    keep(other.body.accessToken as string, other.refreshToken);
    const out = await call(identity.url, 'POST', '/v1/auth/signout', { cookie: answer.refreshToken });
    expect(out.status).toBe(204);
    expect(out.setCookie).toMatch(/chat_refresh=;/);
    expect(
      (await call(identity.url, 'POST', '/v1/auth/refresh', { cookie: answer.refreshToken })).status,
    ).toBe(401);
    // The signed-out session's access token no longer works here either.
    expect(
      (await call(identity.url, 'GET', '/v1/users/me', { token: answer.body.accessToken as string })).status,
    ).toBe(401);

    const everywhere = await call(identity.url, 'POST', '/v1/auth/signout-everywhere', {
      token: other.body.accessToken as string,
    });
    expect(everywhere.status).toBe(204);
    expect(
      (await call(identity.url, 'POST', '/v1/auth/refresh', { cookie: other.refreshToken })).status,
    ).toBe(401);
  });

  it('ends the sessions of a removed account', async () => {
    const { handle, answer } = await signUp();
    const removed = await call(identity.url, 'DELETE', '/v1/users/me', {
      token: answer.body.accessToken as string,
    });
    expect(removed.status).toBe(204);
    expect(
      (await call(identity.url, 'POST', '/v1/auth/refresh', { cookie: answer.refreshToken })).status,
    ).toBe(401);
    const again = await call(identity.url, 'POST', '/v1/auth/signin', {
      body: { handle, password: PASSWORD },
      address: '10.7.0.1',
    });
    expect(again.status).toBe(401);
  });
});

describe('profiles and names', () => {
  it('renames, changes the password, and resolves ids and handle prefixes to names', async () => {
    const prefix = `nm${Date.now().toString(36)}`;
    const ada = await signUp(`${prefix}-ada`);
    const bob = await signUp(`${prefix}-bob`);
    const token = ada.answer.body.accessToken as string;
    const renamed = await call(identity.url, 'PATCH', '/v1/users/me', {
      token,
      body: { displayName: 'Ada Lovelace' },
    });
    expect(renamed.body.user).toMatchObject({ handle: `${prefix}-ada`, displayName: 'Ada Lovelace' });

    const bobId = (bob.answer.body.user as { userId: string }).userId;
    const adaId = (ada.answer.body.user as { userId: string }).userId;
    const byIds = await call(identity.url, 'GET', `/v1/users?ids=${adaId},${bobId},u-unknown`, { token });
    expect((byIds.body.users as { displayName: string }[]).map((user) => user.displayName).sort()).toEqual([
      'Ada Lovelace',
      `Person ${prefix}-bob`,
    ]);
    const search = await call(identity.url, 'GET', `/v1/users/search?q=${prefix.toUpperCase()}-b`, { token });
    expect(search.body.users).toEqual([
      { userId: bobId, handle: `${prefix}-bob`, displayName: `Person ${prefix}-bob` },
    ]);
    const injection = await call(identity.url, 'GET', `/v1/users/search?q=${encodeURIComponent('.*')}`, {
      token,
    });
    expect(injection.body.users).toEqual([]);

    const changed = await call(identity.url, 'PUT', '/v1/auth/password', {
      token,
      body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
    });
    secrets.add('a brand new passphrase');
    expect(changed.status).toBe(200);
    keep(changed.body.accessToken as string, changed.refreshToken);
    // The old session ended with the change.
    expect(
      (await call(identity.url, 'POST', '/v1/auth/refresh', { cookie: ada.answer.refreshToken })).status,
    ).toBe(401);
    const withNew = await call(identity.url, 'POST', '/v1/auth/signin', {
      body: { handle: `${prefix}-ada`, password: 'a brand new passphrase' },
      address: '10.8.0.1',
    });
    expect(withNew.status).toBe(200);
    keep(withNew.body.accessToken as string, withNew.refreshToken);
  });
});

describe('verifiers', () => {
  it('accept its tokens by the published JWKS', async () => {
    const { answer } = await signUp();
    const verifier = createTokenService({
      secret: 'x'.repeat(32),
      issuer: 'chat-platform',
      audience: 'chat-platform',
      accessTokenTtlSeconds: 600,
      clockToleranceSeconds: 5,
      devSignIn: false,
      jwksUrl: `${identity.url}/.well-known/jwks.json`,
    });
    const user = answer.body.user as { userId: string; displayName: string };
    await expect(verifier.verifyAccessToken(answer.body.accessToken as string)).resolves.toMatchObject({
      userId: user.userId,
      name: user.displayName,
      sessionId: expect.any(String),
    });
  });
});

describe('secrets', () => {
  it('are never stored or logged: no password, refresh token or access token', async () => {
    const stored: string[] = [];
    for (const model of Object.values(identity.service.models)) {
      const docs = await (model as { collection: { find(): { toArray(): Promise<unknown[]> } } }).collection
        .find()
        .toArray();
      stored.push(JSON.stringify(docs));
    }
    const haystacks = { stored: stored.join('\n'), log: identity.log.lines.join('') };
    expect(haystacks.stored).toContain('$argon2id$');
    expect(secrets.size).toBeGreaterThan(10);
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of secrets) expect(text.includes(secret), `${where} holds a secret`).toBe(false);
    }
  });
});
