import { setTimeout as sleep } from 'node:timers/promises';
import {
  MAX_RESUME_ROOMS,
  SOCKET_ERROR_CODES,
  type ChangeAccepted,
  type ChatMessage,
  type ClientToServerEvents,
  type ErrorBody,
  type MessageUpdate,
  type SendAccepted,
  type ServerToClientEvents,
} from '@chat/contracts';
import { io, type Socket } from 'socket.io-client';
import { LoadError } from '../setup/errors.js';

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Error codes the load generator adds to the gateway's own. */
export const CLIENT_ERROR_CODES = {
  ACK_TIMEOUT: 'ACK_TIMEOUT',
  RESUME_FAILED: 'RESUME_FAILED',
  DISCONNECTED: 'DISCONNECTED',
} as const;

/** Pause before a retry the gateway gave no `retryAfterMs` for. */
const RETRY_DELAY_MS = { first: 200, max: 5_000 };

/** Doubling from the first delay up to the cap, jittered down to half so retries do not arrive in step. */
export const retryDelay = (attempt: number, random = Math.random): number =>
  Math.min(RETRY_DELAY_MS.max, RETRY_DELAY_MS.first * 2 ** attempt) * (0.5 + random() / 2);
/** Pause between membership checks while the room service's news reaches the gateway. */
const MEMBERSHIP_POLL_MS = 200;
/** The first resume may wait on membership lookups in MongoDB for every room at once. */
const JOIN_RESUME_TIMEOUT_MS = 30_000;
/** Reconnect backoff: socket.io-client doubles from the first to the second, with jitter. */
const RECONNECT_DELAY_MS = { first: 200, max: 2_000 };

export interface VirtualUserHooks {
  /** A `message` event arrived (at the run clock's `at`). */
  message(message: ChatMessage, userId: string, at: number): void;
  /** A `message-updated` event arrived. */
  updated?(update: MessageUpdate, userId: string): void;
  error(code: string): void;
}

const errorOf = (reply: unknown): ErrorBody | undefined =>
  typeof reply === 'object' && reply !== null && 'error' in reply
    ? (reply as { error: ErrorBody }).error
    : undefined;

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * One simulated person: a socket that reconnects by itself and, after every
 * (re)connect, resumes each room from the last position it received, so a
 * gateway restart costs time, not messages.
 */
export class VirtualUser {
  private readonly socket: ChatSocket;
  private readonly last = new Map<string, number>();
  private connections = 0;
  private stopped = false;

  constructor(
    readonly userId: string,
    url: string,
    token: string,
    private readonly roomIds: string[],
    private readonly hooks: VirtualUserHooks,
    private readonly ackTimeoutMs: number,
    now: () => number,
  ) {
    for (const roomId of roomIds) this.last.set(roomId, -1);
    this.socket = io(url, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      autoConnect: false,
      reconnectionDelay: RECONNECT_DELAY_MS.first,
      reconnectionDelayMax: RECONNECT_DELAY_MS.max,
    });
    this.socket.on('message', (message) => {
      const at = now();
      if ((this.last.get(message.roomId) ?? -1) < message.position)
        this.last.set(message.roomId, message.position);
      hooks.message(message, userId, at);
    });
    this.socket.on('message-updated', (update) => {
      if ((this.last.get(update.roomId) ?? -1) < update.position)
        this.last.set(update.roomId, update.position);
      hooks.updated?.(update, userId);
    });
    // The gateway lost part of the room's live stream (room-feeds delivery) and took us out: catch up from our last.
    this.socket.on('resync', ({ roomId }) => {
      void this.resume([roomId]).catch(() => hooks.error(CLIENT_ERROR_CODES.RESUME_FAILED));
    });
    this.socket.on('disconnect', () => {
      if (!this.stopped) hooks.error(CLIENT_ERROR_CODES.DISCONNECTED);
    });
    this.socket.on('connect', () => {
      this.connections += 1;
      // The first join is driven by `join()`, which waits for membership; later ones catch up.
      if (this.connections > 1)
        void this.resumeAll().catch(() => hooks.error(CLIENT_ERROR_CODES.RESUME_FAILED));
    });
  }

  /** Connects and joins every room; rooms the gateway does not know as ours yet are asked again until `deadline`. */
  async join(deadline: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', (error) =>
        reject(new LoadError('SETUP_FAILED', `${this.userId} could not connect: ${error.message}`)),
      );
      this.socket.connect();
    });
    let waiting = this.roomIds;
    let why = 'NOT_A_MEMBER';
    for (;;) {
      // A resume that times out (a busy gateway looking members up) is simply asked again.
      waiting = await this.resume(waiting, JOIN_RESUME_TIMEOUT_MS).then(
        (refused) => ((why = 'NOT_A_MEMBER'), refused),
        (error: Error) => ((why = error.message), waiting),
      );
      if (waiting.length === 0) return;
      if (Date.now() > deadline) {
        throw new LoadError(
          'MEMBERSHIP_TIMEOUT',
          `${this.userId} could not join ${waiting.length} of its rooms (last answer: ${why})`,
        );
      }
      await sleep(MEMBERSHIP_POLL_MS);
    }
  }

  /** Sends once and retries with the same clientMessageId until an ack, a final refusal or `until` (run clock). */
  send(
    roomId: string,
    clientMessageId: string,
    text: string,
    until: number,
    now: () => number,
  ): Promise<SendAccepted | undefined> {
    return this.retried('send', { roomId, clientMessageId, text }, until, now) as Promise<
      SendAccepted | undefined
    >;
  }

  /**
   * Edits (`text` given) or deletes a message, retried like a send with the
   * same clientRequestId. UNKNOWN_MESSAGE is retried too: a gateway that
   * just started may not have read the message yet.
   */
  change(
    roomId: string,
    messageId: string,
    clientRequestId: string,
    text: string | undefined,
    until: number,
    now: () => number,
  ): Promise<ChangeAccepted | undefined> {
    const request =
      text === undefined
        ? (['delete', { roomId, messageId, clientRequestId }] as const)
        : (['edit', { roomId, messageId, clientRequestId, text }] as const);
    return this.retried(request[0], request[1], until, now, ['UNKNOWN_MESSAGE']) as Promise<
      ChangeAccepted | undefined
    >;
  }

  /** Emits until an ack, a final refusal or `until` (run clock), always with the same payload. */
  private async retried(
    event: 'send' | 'edit' | 'delete',
    payload: unknown,
    until: number,
    now: () => number,
    alsoRetry: string[] = [],
  ): Promise<unknown> {
    for (let attempt = 0; !this.stopped && now() < until; attempt += 1) {
      let reply;
      try {
        reply = await (
          this.socket.timeout(this.ackTimeoutMs) as unknown as {
            emitWithAck(event: string, payload: unknown): Promise<unknown>;
          }
        ).emitWithAck(event, payload);
      } catch {
        // The first copy may still be queued at an overloaded gateway: back off, or retries feed the overload.
        this.hooks.error(CLIENT_ERROR_CODES.ACK_TIMEOUT);
        await sleep(retryDelay(attempt));
        continue;
      }
      const error = errorOf(reply);
      if (!error) return reply;
      this.hooks.error(error.code);
      if (!error.retryable && !alsoRetry.includes(error.code)) return undefined;
      // The gateway's retryAfterMs is a floor: backing off past it keeps refused sends from storming back.
      await sleep(Math.max(error.retryAfterMs ?? 0, retryDelay(attempt)));
    }
    return undefined;
  }

  close(): void {
    this.stopped = true;
    this.socket.disconnect();
  }

  private async resumeAll(): Promise<void> {
    const failed = await this.resume(this.roomIds);
    for (const _ of failed) this.hooks.error(CLIENT_ERROR_CODES.RESUME_FAILED);
  }

  /** Resumes `roomIds` from the last positions held; returns the rooms refused as NOT_A_MEMBER. */
  private async resume(roomIds: string[], timeoutMs = this.ackTimeoutMs): Promise<string[]> {
    const refused: string[] = [];
    for (const chunk of chunks(roomIds, MAX_RESUME_ROOMS)) {
      const reply = await this.socket.timeout(timeoutMs).emitWithAck('resume', {
        rooms: chunk.map((roomId) => ({ roomId, after: this.last.get(roomId) ?? -1 })),
      });
      const error = errorOf(reply);
      if (error) throw new LoadError('SETUP_FAILED', `resume refused: ${error.code} ${error.message}`);
      for (const room of (reply as { rooms: { roomId: string; error?: ErrorBody }[] }).rooms) {
        if (room.error?.code === SOCKET_ERROR_CODES.NOT_A_MEMBER) refused.push(room.roomId);
        else if (room.error) this.hooks.error(room.error.code);
      }
    }
    return refused;
  }
}
