import type { FastifyInstance } from 'fastify';
import type { RoomCommands } from '../../rooms/commands.js';
import { addMemberBody, memberParams, roomParams } from '../schemas.js';
import { contextOf } from './rooms.js';

export function memberRoutes(commands: RoomCommands) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post<{ Params: { roomId: string }; Body: { userId: string; role: 'member' | 'admin' } }>(
      '/rooms/:roomId/members',
      { schema: { params: roomParams, body: addMemberBody } },
      async (request) => ({
        room: await commands.addMember(
          contextOf(request),
          request.params.roomId,
          request.body.userId,
          request.body.role,
        ),
      }),
    );

    app.delete<{ Params: { roomId: string; userId: string } }>(
      '/rooms/:roomId/members/:userId',
      { schema: { params: memberParams } },
      async (request) => ({
        room: await commands.removeMember(contextOf(request), request.params.roomId, request.params.userId),
      }),
    );

    // PUT and DELETE of one resource: repeating either is harmless.
    app.put<{ Params: { roomId: string; userId: string } }>(
      '/rooms/:roomId/blocked-senders/:userId',
      { schema: { params: memberParams } },
      async (request) => ({
        room: await commands.blockSender(contextOf(request), request.params.roomId, request.params.userId),
      }),
    );

    app.delete<{ Params: { roomId: string; userId: string } }>(
      '/rooms/:roomId/blocked-senders/:userId',
      { schema: { params: memberParams } },
      async (request) => ({
        room: await commands.unblockSender(contextOf(request), request.params.roomId, request.params.userId),
      }),
    );

    app.post<{ Params: { roomId: string } }>(
      '/rooms/:roomId/leave',
      { schema: { params: roomParams } },
      async (request, reply) => {
        await commands.leave(contextOf(request), request.params.roomId);
        return reply.status(204).send();
      },
    );
  };
}
