import { LoadError } from './errors.js';

/** How many setup requests run at once: enough to be quick, few enough not to be a load test of their own. */
const SETUP_CONCURRENCY = 8;

/** Each setup request may take this long; the shared servers can be slow, and a retry is safe (see below). */
const REQUEST_TIMEOUT_MS = 60_000;
const ATTEMPTS = 3;

/**
 * POST with retries on timeouts, network errors and 5xx. Safe to repeat:
 * dev tokens are stateless and room creation carries an idempotency key.
 */
async function postJson<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  let failure = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    }).catch((error: Error) => error);
    if (response instanceof Error) {
      failure = response.message;
      continue;
    }
    const text = await response.text();
    if (response.ok) return JSON.parse(text) as T;
    failure = `answered ${response.status}: ${text.slice(0, 300)}`;
    if (response.status < 500) break;
  }
  throw new LoadError('SETUP_FAILED', `POST ${url} failed: ${failure}`);
}

/** Runs `work` over `items`, `SETUP_CONCURRENCY` at a time, keeping the order of the results. */
async function inPool<T, R>(items: readonly T[], work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SETUP_CONCURRENCY, items.length) }, worker));
  return results;
}

/** Dev tokens through the gateway (`POST /v1/dev/token`; needs AUTH_DEV_SIGNIN on the gateway). */
export function mintTokens(gatewayUrl: string, userIds: readonly string[]): Promise<string[]> {
  return inPool(userIds, async (userId) => {
    const { token } = await postJson<{ token: string }>(new URL('/v1/dev/token', gatewayUrl).href, {
      userId,
      name: userId,
    });
    return token;
  });
}

/** Rooms through the room service (`POST /v1/rooms`), each created by its first member; returns their ids. */
export function createRooms(
  roomApiUrl: string,
  rooms: readonly { name: string; creatorToken: string; memberIds: string[]; idempotencyKey: string }[],
): Promise<string[]> {
  return inPool(rooms, async ({ name, creatorToken, memberIds, idempotencyKey }) => {
    const { room } = await postJson<{ room: { roomId: string } }>(
      new URL('/v1/rooms', roomApiUrl).href,
      { kind: 'group', name, memberIds },
      { authorization: `Bearer ${creatorToken}`, 'idempotency-key': idempotencyKey },
    );
    return room.roomId;
  });
}
