import { IMAGE_SERVICES } from '@chat/infra/images';
import { waitFor } from '@chat/testkit';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatUser } from './chat-client.js';
import { ContainerPlatform } from './containers.js';

/** persistence's messages collection; a stored message's `_id` is its messageId. */
const MESSAGES_COLLECTION = 'messages';
const BUILD_TIMEOUT_MS = 20 * 60_000;

const platform = new ContainerPlatform();
const mongo = new MongoClient(platform.mongoUrl);
const users: ChatUser[] = [];
const acked: string[] = [];

async function storedOf(ids: string[]): Promise<Set<string>> {
  const found = await mongo
    .db()
    .collection<{ _id: string }>(MESSAGES_COLLECTION)
    .find({ _id: { $in: ids } }, { projection: { _id: 1 } })
    .toArray();
  return new Set(found.map((document) => document._id));
}

/** A messageId is UUIDv5(sender, room, clientMessageId) and the gateway's dedupe keys live in the shared Redis: ids unique per run. */
async function sendBatch(sender: ChatUser, roomId: string, label: string, count: number): Promise<string[]> {
  const ids = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      sender.send(roomId, `${platform.id}-${label}-${index}`, `${label} message ${index}`),
    ),
  );
  acked.push(...ids);
  return ids;
}

describe('container images on the local servers', () => {
  let roomId = '';
  let alice: ChatUser;
  let bob: ChatUser;

  beforeAll(async () => {
    // Podman needs root here: without it this fails with the reason, it never skips.
    const started = Date.now();
    await platform.build();
    console.log(
      `[containers] images built in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
        platform.built.map((image) => `${image.references[0]} ${image.seconds.toFixed(1)} s`).join(', '),
    );
    await platform.start();
    await mongo.connect();
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    for (const user of users) user.disconnect();
    await mongo.close();
    await platform.tearDown();
  }, 120_000);

  it('every container turns ready on /readyz', async () => {
    await Promise.all(IMAGE_SERVICES.map((service) => platform.waitUntilReady(service)));
  });

  it('a message sent through the chat container is delivered to another member and stored', async () => {
    alice = await ChatUser.signIn(platform.urls.chat, 'alice');
    bob = await ChatUser.signIn(platform.urls.chat, 'bob');
    users.push(alice, bob);
    roomId = await alice.createRoom(platform.urls.room, ['bob']);
    await waitFor('bob joins the room', async () => {
      await bob.resume(roomId).catch(() => undefined);
      return true;
    });
    const [messageId] = await sendBatch(alice, roomId, 'first', 1);
    await waitFor('bob receives the message', () =>
      bob.received.some((message) => message.messageId === messageId),
    );
    await waitFor('the message stored in MongoDB', async () =>
      (await storedOf([messageId!])).has(messageId!),
    );
  });

  it('an account signed up and signed in through the identity container is accepted by chat and room', async () => {
    const identity = platform.urls.identity;
    // The cookie endpoints' CSRF rule: the page's Origin and the header.
    const headers = { 'content-type': 'application/json', origin: platform.urls.chat, 'x-chat-csrf': '1' };
    const handle = `carol-${Date.now().toString(36)}`;
    const password = 'correct horse battery staple';
    const signUp = await fetch(`${identity}/v1/auth/signup`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ handle, displayName: 'Carol', password }),
    });
    expect(signUp.status, await signUp.clone().text()).toBe(201);
    const signIn = await fetch(`${identity}/v1/auth/signin`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ handle, password }),
    });
    expect(signIn.status).toBe(200);
    for (const attribute of [/HttpOnly/i, /Secure/i, /SameSite=Strict/i])
      expect(signIn.headers.get('set-cookie')).toMatch(attribute);
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    // The chat and room containers hold no key: they verify by the identity container's JWKS.
    const carol = await ChatUser.connect(platform.urls.chat, accessToken);
    users.push(carol);
    await expect(carol.createRoom(platform.urls.room, ['alice'])).resolves.toMatch(/.+/);
  });

  it('podman stop drains every container: exit code 0, and every acked message is stored', async () => {
    expect(roomId).not.toBe('');
    await sendBatch(alice, roomId, 'burst', 20);
    for (const service of ['chat', 'persistence', 'room', 'identity'] as const) {
      const { exitCode } = await platform.stop(service);
      expect(exitCode, `${service} exit code after SIGTERM\n${await platform.logs(service)}`).toBe(0);
      if (service === 'chat') {
        await waitFor(
          'every acked message stored',
          async () => (await storedOf(acked)).size === acked.length,
          {
            timeoutMs: 30_000,
          },
        );
      }
    }
    expect((await storedOf(acked)).size).toBe(acked.length);
  });
});
