import type { ClientToServerEvents, HistoryAck, SendAck, ServerToClientEvents } from '@chat/contracts';
import { io, type Socket } from 'socket.io-client';
import { InfraError } from '../errors.js';

/** Demo people; with development sign-in a user id is the normalised name (docs/web-client.md). */
export const DEMO_USERS = [
  { userId: 'alice', name: 'Alice' },
  { userId: 'bob', name: 'Bob' },
  { userId: 'carol', name: 'Carol' },
] as const;
export const DEMO_ROOM_NAME = 'Demo room';
/** Replays of the create request return the same room rather than a second one. */
const DEMO_ROOM_IDEMPOTENCY_KEY = 'seed-demo-room';

type DemoUser = (typeof DEMO_USERS)[number]['userId'];
const DEMO_HISTORY: readonly [DemoUser, string][] = [
  ['alice', 'Welcome to the demo room! Every message here went through Kafka.'],
  ['bob', 'Hi Alice 👋'],
  ['carol', 'Hello both. Is the release still on for Friday?'],
  ['alice', 'Yes, as long as the load test passes on Thursday.'],
  ['bob', 'I will run it tomorrow morning and post the numbers here.'],
  ['carol', 'Great. Who is writing the release notes?'],
  ['alice', 'I can, once the last two fixes are merged.'],
  ['bob', 'One of them is mine; the review should be done by tonight.'],
  ['carol', 'Thanks! Ping me if you need a second reviewer.'],
  ['alice', 'Try it: open this page in a second browser window and sign in as Bob.'],
  ['bob', 'Then pull the network cable for a minute: everything you missed comes back in order.'],
  ['carol', 'And the ticks turn green once the other person has read your message.'],
];
const seedMessageId = (index: number) => `seed-demo-${index + 1}`;

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface SeedTarget {
  /** The chat gateway (dev sign-in, history, sockets). */
  chatUrl: string;
  roomApiUrl: string;
}

async function json<T>(url: string, init: RequestInit, what: string): Promise<T> {
  const response = await fetch(url, init);
  const body = (await response.json().catch(() => ({}))) as T & { error?: { code: string; message: string } };
  if (!response.ok) {
    throw new InfraError(
      'START_FAILED',
      `seed: ${what} failed (HTTP ${response.status} ${body.error?.code ?? ''} ${body.error?.message ?? ''})`,
    );
  }
  return body;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

function connect(chatUrl: string, token: string): Promise<Client> {
  const client: Client = io(chatUrl, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('connect_error', (error) =>
      reject(new InfraError('START_FAILED', `seed: socket refused: ${error.message}`)),
    );
  });
}

/**
 * Demo users, a demo room and its history, through the real APIs: dev
 * tokens from the gateway, the room from the room service, messages as
 * socket sends. Idempotent: the room is found by name (or created with a
 * fixed idempotency key), and a message whose clientMessageId is already in
 * the room's history is not sent again.
 */
export async function seedDemo(target: SeedTarget): Promise<{ roomId: string; sent: number }> {
  const tokens = new Map<DemoUser, string>();
  for (const user of DEMO_USERS) {
    const { token } = await json<{ token: string }>(
      `${target.chatUrl}/v1/dev/token`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) },
      'dev sign-in',
    );
    tokens.set(user.userId, token);
  }
  const owner = tokens.get('alice')!;
  const { rooms } = await json<{ rooms: { roomId: string; name: string }[] }>(
    `${target.roomApiUrl}/v1/rooms?limit=200`,
    { headers: bearer(owner) },
    'listing rooms',
  );
  const roomId =
    rooms.find((room) => room.name === DEMO_ROOM_NAME)?.roomId ??
    (
      await json<{ room: { roomId: string } }>(
        `${target.roomApiUrl}/v1/rooms`,
        {
          method: 'POST',
          headers: { ...bearer(owner), 'idempotency-key': DEMO_ROOM_IDEMPOTENCY_KEY },
          body: JSON.stringify({ kind: 'group', name: DEMO_ROOM_NAME, memberIds: ['bob', 'carol'] }),
        },
        'creating the demo room',
      )
    ).room.roomId;

  const history = await json<Exclude<HistoryAck, { error: unknown }>>(
    `${target.chatUrl}/v1/rooms/${roomId}/messages?limit=100`,
    { headers: bearer(owner) },
    'reading the demo history',
  );
  const present = new Set(history.messages.map((message) => message.clientMessageId));
  const sockets = new Map<DemoUser, Client>();
  let sent = 0;
  try {
    for (const [index, [userId, text]] of DEMO_HISTORY.entries()) {
      const clientMessageId = seedMessageId(index);
      if (present.has(clientMessageId)) continue;
      if (!sockets.has(userId)) sockets.set(userId, await connect(target.chatUrl, tokens.get(userId)!));
      const reply: SendAck = await sockets
        .get(userId)!
        .timeout(15_000)
        .emitWithAck('send', { roomId, clientMessageId, text });
      if ('error' in reply)
        throw new InfraError(
          'START_FAILED',
          `seed: send refused: ${reply.error.code} ${reply.error.message}`,
        );
      sent += 1;
    }
  } finally {
    for (const socket of sockets.values()) socket.disconnect();
  }
  return { roomId, sent };
}
