import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { ChatMessage } from '@chat/contracts';
import { chatModels } from '@chat/message-store';
import type { Connection } from 'mongoose';
import { baselineServers, userOfToken } from './http.js';

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
  const { http, io } = baselineServers((roomId, roomMembers) => {
    members.set(roomId, new Set(roomMembers));
  });

  io.on('connection', (socket) => {
    const userId = userOfToken(socket.handshake.auth.token);
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
