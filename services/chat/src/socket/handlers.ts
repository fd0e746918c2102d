import { randomUUID } from 'node:crypto';
import type { Principal } from '@chat/auth';
import {
  CLIENT_EVENT_SCHEMAS,
  type ClientToServerEvents,
  type ErrorReply,
  type ResumeRoomResult,
  type ServerToClientEvents,
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
import type { ReceiptService } from '../receipts/receipts.js';
import type { SendAdmission } from '../send/admission.js';
import type { SendService } from '../send/send-service.js';
import { tracedSend } from '../send/send-span.js';
import { errorBody, refuse } from './errors.js';
import { validatePayload } from './validate.js';

export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export const socketRoom = (roomId: string): string => `room:${roomId}`;
export const userRoom = (userId: string): string => `user:${userId}`;

export interface HandlerDeps {
  sends: SendService;
  admission: SendAdmission;
  receipts: ReceiptService;
  history: HistoryService;
  catchUp: CatchUp;
  membership: MembershipCheck;
  limiter: UserRateLimiter;
  bus: EphemeralBus;
  online: OnlineUsers;
  metrics: GatewayMetrics;
  logger: Logger;
  draining: () => boolean;
}

const principalOf = (socket: ChatSocket): Principal => (socket.data as { principal: Principal }).principal;

/** Runs a request handler and always answers its ack: a result, or `{ error }`. Never throws into Socket.IO. */
function answer<T>(log: Logger, ack: unknown, work: () => Promise<T>): void {
  const reply = typeof ack === 'function' ? (ack as (value: T | ErrorReply) => void) : () => undefined;
  work().then(reply, (error: unknown) => {
    const body = errorBody(error);
    if (body.code === 'INTERNAL') log.error({ err: error }, 'request failed');
    reply({ error: body });
  });
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
  const guard = async () => {
    if (deps.draining()) throw refuse('UNAVAILABLE');
    await deps.limiter.consume(principal.userId);
  };

  socket.on('send', (payload, ack) => {
    const started = process.hrtime.bigint();
    answer(log, ack, async () => {
      try {
        return await deps.admission.run(async () => {
          await guard();
          const request = validatePayload(CLIENT_EVENT_SCHEMAS.send, payload);
          const correlationId = randomUUID();
          return tracedSend(request, { userId: principal.userId, correlationId }, () =>
            deps.sends.send(principal.userId, request, correlationId),
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

  socket.on('resume', (payload, ack) => {
    answer(log, ack, async () => {
      await guard();
      const request = validatePayload(CLIENT_EVENT_SCHEMAS.resume, payload);
      const rooms = await Promise.all(
        request.rooms.map(async ({ roomId, after }): Promise<ResumeRoomResult> => {
          try {
            if (!(await deps.membership.isMember(roomId, principal.userId))) throw refuse('NOT_A_MEMBER');
            const join = () => {
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
              join,
              waiting: () => socket.emit('catching-up', { roomId }),
              get connected() {
                return socket.connected;
              },
            });
            deps.metrics.recoveries.inc({ source: result.source });
            return withOnline({ roomId, caughtUp: result.sent, last: result.last }, await onlineIn(roomId));
          } catch (error) {
            return { roomId, error: errorBody(error) };
          }
        }),
      );
      return { rooms };
    });
  });

  socket.on('history', (payload, ack) => {
    answer(log, ack, async () => {
      await guard();
      const request = validatePayload(CLIENT_EVENT_SCHEMAS.history, payload);
      if (!(await deps.membership.isMember(request.roomId, principal.userId))) throw refuse('NOT_A_MEMBER');
      return deps.history.page(request.roomId, request);
    });
  });

  socket.on('receipt', (payload, ack) => {
    answer(log, ack, async () => {
      await guard();
      const request = validatePayload(CLIENT_EVENT_SCHEMAS.receipt, payload);
      return deps.receipts.record(principal.userId, request, randomUUID());
    });
  });

  socket.on('typing', (payload) => {
    answer(log, undefined, async () => {
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
