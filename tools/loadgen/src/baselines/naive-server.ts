import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { ChatMessage, ClientToServerEvents, ServerToClientEvents } from '@chat/contracts';
import { OPS_PATHS } from '@chat/runtime';
import { chatModels } from '@chat/message-store';
import type { Connection } from 'mongoose';
import { Server } from 'socket.io';
import { readBody, reply } from './http.js';

/**
 * The chat server people build first, as the end-to-end benchmark's
 * baseline: Socket.IO broadcasting to the room and one mongoose `create` per
 * message, no Kafka, no batching, no idempotency. It speaks just enough of
 * the gateway's protocol (dev tokens, room creation, `resume`, `send`) for
 * the load generator to drive it unchanged. Tokens are unsigned on purpose:
 * this is a benchmark fixture, never a server to expose.
 */
export function createNaiveServer(connection: Connection): HttpServer {
  const { Message } = chatModels(connection);
  const members = new Map<string, Set<string>>();
  const positions = new Map<string, number>();
  const userOf = (token: unknown) =>
    typeof token === 'string' ? Buffer.from(token, 'base64url').toString('utf8') : undefined;

  const http = createServer((request, response) => {
    void route(request, response).catch(() => reply(response, 500, { error: { code: 'INTERNAL' } }));
  });
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http);

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.url === OPS_PATHS.readiness) return reply(response, 200, { status: 'ok' });
    if (request.method !== 'POST') return reply(response, 404, {});
    const body = JSON.parse(await readBody(request)) as { userId?: string; memberIds?: string[] };
    if (request.url === '/v1/dev/token' && body.userId) {
      return reply(response, 201, { token: Buffer.from(body.userId).toString('base64url') });
    }
    const creator = userOf(request.headers.authorization?.replace(/^Bearer /, ''));
    if (request.url === '/v1/rooms' && creator) {
      const roomId = randomUUID();
      members.set(roomId, new Set([creator, ...(body.memberIds ?? [])]));
      return reply(response, 201, { room: { roomId } });
    }
    reply(response, 404, {});
  }

  io.on('connection', (socket) => {
    const userId = userOf(socket.handshake.auth.token);
    if (!userId) return void socket.disconnect(true);
    socket.on('resume', ({ rooms }, ack) => {
      const joined = rooms.filter(({ roomId }) => members.get(roomId)?.has(userId));
      void socket.join(joined.map(({ roomId }) => roomId));
      ack({ rooms: joined.map(({ roomId }) => ({ roomId, last: positions.get(roomId) ?? -1 })) });
    });
    socket.on('send', async ({ roomId, clientMessageId, text }, ack) => {
      if (!members.get(roomId)?.has(userId)) {
        return ack({ error: { code: 'NOT_A_MEMBER', message: 'not a member', retryable: false } });
      }
      const position = (positions.get(roomId) ?? -1) + 1;
      positions.set(roomId, position);
      const message: ChatMessage = {
        messageId: randomUUID(),
        roomId,
        senderId: userId,
        clientMessageId,
        text,
        sentAt: new Date().toISOString(),
        position,
      };
      await Message.create({
        _id: message.messageId,
        ...message,
        eventId: message.messageId,
        correlationId: message.messageId,
        persistedAt: new Date(),
      });
      io.to(roomId).emit('message', message);
      ack({ messageId: message.messageId, status: 'accepted' });
    });
  });
  return http;
}
