import { randomUUID } from 'node:crypto';
import type { Principal } from '@chat/auth';
import {
  CLIENT_EVENT_SCHEMAS,
  type ClientToServerEvents,
  type EditRequest,
  type ErrorReply,
  type ResumeRoomResult,
  type SendRequest,
  type ServerToClientEvents,
  UnreadRequest,
} from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { Server, Socket } from 'socket.io';
import type { CatchUp } from '../catch-up/catch-up.js';
import type { HistoryService } from '../history/history.js';
import type { MembershipCheck } from '../membership/membership.js';
import type { GatewayMetrics } from '../metrics.js';
import type { OnlineUsers } from '../presence/online-users.js';
import type { EphemeralBus } from '../presence/presence.js';
import type { UserRateLimiter } from '../rate-limit/rate-limit.js';
import type { PerKeyConcurrency } from '../limits/per-key-concurrency.js';
import type { MessageChangeService } from '../message-changes/change-service.js';
import type { ReceiptService } from '../receipts/receipts.js';
import type { SendAdmission } from '../send/admission.js';
import type { SendService } from '../send/send-service.js';
import type { UnreadService } from '../unread/unread-service.js';
import { withTimeout } from '../send/publisher-port.js';
import { tracedSend } from '../send/send-span.js';
import type { LiveDelivery } from '../delivery/live-delivery.js';
import { errorBody, refuse } from './errors.js';
import { validatePayload } from './validate.js';

export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export const socketRoom = (roomId: string): string => `room:${roomId}`;
export const userRoom = (userId: string): string => `user:${userId}`;

export interface HandlerDeps {
  sends: SendService;
  changes: MessageChangeService;
  admission: SendAdmission;
  receipts: ReceiptService;
  history: HistoryService;
  unread: UnreadService;
  catchUp: CatchUp;
  /** Opens a room's delivery here before a socket is caught up in it. */
  delivery: Pick<LiveDelivery, 'open'>;
  membership: MembershipCheck;
  limiter: UserRateLimiter;
  bus: EphemeralBus;
  online: OnlineUsers;
  metrics: GatewayMetrics;
  logger: Logger;
  draining: () => boolean;
  /** A user's history reads in flight on this instance. */
  historyReads: PerKeyConcurrency;
  limits: RequestLimits;
}

export interface RequestLimits {
  /** Every request with an ack is answered within this long (a result or a retryable UNAVAILABLE). */
  requestDeadlineMs: number;
  /** `resume`'s own deadline, per room: a catch-up may wait for the store to catch up. */
  resumeDeadlineMs: number;
  /** Rooms one socket may join in all. */
  maxRoomsPerSocket: number;
}

/** Rooms of one `resume` caught up at once: the rest wait, so one request's work on the store stays bounded. */
const RESUME_CONCURRENCY = 8;

const principalOf = (socket: ChatSocket): Principal => (socket.data as { principal: Principal }).principal;

/**
 * Runs a request handler and always answers its ack, within `deadlineMs`: a
 * result, or `{ error }` (UNAVAILABLE, retryable, when the deadline passed
 * first). The one place every request's answer and deadline come from; it
 * never throws into Socket.IO.
 */
function answer<T>(log: Logger, ack: unknown, deadlineMs: number, work: () => Promise<T>): void {
  const reply = replyOf<T>(ack);
  withTimeout(work(), deadlineMs, 'request').then(reply, (error: unknown) => {
    const body = errorBody(error);
    if (body.code === 'INTERNAL') log.error({ err: error }, 'request failed');
    reply({ error: body });
  });
}

const replyOf = <T>(ack: unknown): ((value: T | ErrorReply) => void) =>
  typeof ack === 'function' ? (ack as (value: T | ErrorReply) => void) : () => undefined;

/** Runs `work` over `items` with at most `limit` in flight, results in input order. */
async function mapLimited<I, O>(
  items: readonly I[],
  limit: number,
  work: (item: I) => Promise<O>,
): Promise<O[]> {
  const results = new Array<O>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const withOnline = (result: ResumeRoomResult, online: string[] | undefined): ResumeRoomResult =>
  online ? { ...result, online } : result;

/** Wires one connected, authenticated socket. */
export function attachHandlers(io: ChatServer, socket: ChatSocket, deps: HandlerDeps): void {
  const principal = principalOf(socket);
  const log = deps.logger.child({ userId: principal.userId, socketId: socket.id });
  const joined = new Set<string>();
  // The presence snapshot of a resumed room; undefined when Redis cannot say (the resume still succeeds).
  const onlineIn = async (roomId: string) => {
    const members = await deps.membership.membersOf(roomId).catch(() => undefined);
    return members && deps.online.among(members);
  };
  const { requestDeadlineMs, resumeDeadlineMs, maxRoomsPerSocket } = deps.limits;
  // Rooms this socket joined or is joining: what the per-socket bound counts.
  const admitted = new Set<string>();
  const charge = () => deps.limiter.consume(principal.userId);
  const refuseWhileDraining = () => {
    if (deps.draining()) throw refuse('UNAVAILABLE');
  };
  const guard = async () => {
    refuseWhileDraining();
    await charge();
  };

  socket.on('send', (payload, ack) => {
    const started = process.hrtime.bigint();
    const overloaded = deps.admission.refusal();
    if (overloaded) {
      deps.metrics.sends.inc({ outcome: 'overloaded' });
      replyOf(ack)({ error: overloaded });
      deps.metrics.ackSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
      return;
    }
    answer(log, ack, requestDeadlineMs, async () => {
      try {
        return await deps.admission.run(async () => {
          refuseWhileDraining();
          let request: SendRequest;
          try {
            request = validatePayload(CLIENT_EVENT_SCHEMAS.send, payload);
          } catch (invalid) {
            // Invalid sends spend the budget too (a flood of them is still limited), and RATE_LIMITED answers first.
            await charge();
            throw invalid;
          }
          const correlationId = randomUUID();
          // The send spends the budget itself, in the same Redis round trip as its reservation.
          return tracedSend(request, { userId: principal.userId, correlationId }, (trace) =>
            deps.sends.send(principal.userId, request, { correlationId, trace }, charge),
          );
        });
      } catch (error) {
        const code = errorBody(error).code;
        if (code !== 'UNAVAILABLE')
          deps.metrics.sends.inc({ outcome: code === 'OVERLOADED' ? 'overloaded' : 'refused' });
        throw error;
      } finally {
        deps.metrics.ackSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
      }
    });
  });

  // Edits and deletes count against the same budgets as sends: rate limit and sends in flight.
  for (const kind of ['edit', 'delete'] as const) {
    socket.on(kind, (payload: unknown, ack: unknown) => {
      const overloaded = deps.admission.refusal();
      if (overloaded) return replyOf(ack)({ error: overloaded });
      answer(log, ack, requestDeadlineMs, () =>
        deps.admission.run(async () => {
          await guard();
          const request = validatePayload(CLIENT_EVENT_SCHEMAS[kind], payload);
          return kind === 'edit'
            ? deps.changes.edit(principal.userId, request as EditRequest, randomUUID())
            : deps.changes.delete(principal.userId, request, randomUUID());
        }),
      );
    });
  }

  socket.on('resume', (payload, ack) => {
    // The per-room deadlines answer first; this one only backs them up.
    answer(log, ack, resumeDeadlineMs + requestDeadlineMs, async () => {
      await guard();
      const request = validatePayload(CLIENT_EVENT_SCHEMAS.resume, payload);
      const deadline = Date.now() + resumeDeadlineMs;
      const rooms = await mapLimited(
        request.rooms,
        RESUME_CONCURRENCY,
        async ({ roomId, after }): Promise<ResumeRoomResult> => {
          const fresh = !admitted.has(roomId);
          // A room past its deadline is given up: its catch-up stops and it is never joined.
          let givenUp = false;
          try {
            if (fresh && admitted.size >= maxRoomsPerSocket) throw refuse('TOO_MANY_ROOMS');
            admitted.add(roomId);
            const work = async (): Promise<ResumeRoomResult> => {
              if (!(await deps.membership.isMember(roomId, principal.userId))) throw refuse('NOT_A_MEMBER');
              const release = await deps.delivery.open(roomId);
              try {
                return await caughtUp();
              } finally {
                release();
              }
            };
            const caughtUp = async (): Promise<ResumeRoomResult> => {
              const join = () => {
                if (givenUp) return;
                void socket.join(socketRoom(roomId));
                if (!joined.has(roomId)) {
                  joined.add(roomId);
                  deps.bus.publish({
                    kind: 'presence',
                    notice: { roomId, userId: principal.userId, online: true },
                  });
                }
              };
              if (after === undefined) {
                join();
                return withOnline({ roomId }, await onlineIn(roomId));
              }
              const result = await deps.catchUp.resume(roomId, after, {
                send: (message) => socket.emit('message', message),
                update: (update) => socket.emit('message-updated', update),
                join,
                waiting: () => socket.emit('catching-up', { roomId }),
                get connected() {
                  return socket.connected && !givenUp;
                },
              });
              deps.metrics.recoveries.inc({ source: result.source });
              return withOnline({ roomId, caughtUp: result.sent, last: result.last }, await onlineIn(roomId));
            };
            return await withTimeout(work(), Math.max(0, deadline - Date.now()), 'resume').catch(
              (error: unknown) => {
                givenUp = true;
                throw error;
              },
            );
          } catch (error) {
            if (fresh && !joined.has(roomId)) admitted.delete(roomId);
            return { roomId, error: errorBody(error) };
          }
        },
      );
      return { rooms };
    });
  });

  socket.on('history', (payload, ack) => {
    answer(log, ack, requestDeadlineMs, async () => {
      await guard();
      const request = validatePayload(CLIENT_EVENT_SCHEMAS.history, payload);
      if (!(await deps.membership.isMember(request.roomId, principal.userId))) throw refuse('NOT_A_MEMBER');
      return deps.historyReads.run(principal.userId, () => deps.history.page(request.roomId, request));
    });
  });

  socket.on('receipt', (payload, ack) => {
    answer(log, ack, requestDeadlineMs, async () => {
      await guard();
      const request = validatePayload(CLIENT_EVENT_SCHEMAS.receipt, payload);
      return deps.receipts.record(principal.userId, request, randomUUID());
    });
  });

  // At most two store queries for all the rooms, so it shares the user's history-read bound.
  socket.on('unread', (payload, ack) => {
    answer(log, ack, requestDeadlineMs, async () => {
      await guard();
      const request = validatePayload(UnreadRequest, payload);
      return deps.historyReads.run(principal.userId, () => deps.unread.counts(principal.userId, request));
    });
  });

  socket.on('typing', (payload) => {
    answer(log, undefined, requestDeadlineMs, async () => {
      await guard();
      const request = validatePayload(CLIENT_EVENT_SCHEMAS.typing, payload);
      // Only rooms this socket is in (joined as a member, not removed since): no membership lookup per keystroke.
      if (!socket.rooms.has(socketRoom(request.roomId))) throw refuse('NOT_A_MEMBER');
      deps.bus.publish({
        kind: 'typing',
        notice: { roomId: request.roomId, userId: principal.userId, typing: request.typing },
      });
    });
  });

  socket.on('disconnect', () => {
    for (const roomId of joined) {
      deps.bus.publish({ kind: 'presence', notice: { roomId, userId: principal.userId, online: false } });
    }
  });
  void io;
}
