import type { RoomKind } from '@chat/contracts';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { RoomError } from '../../errors.js';
import type { RoomCommands } from '../../rooms/commands.js';
import type { RoomQueries } from '../../rooms/queries.js';
import type { RoomCreationSaga } from '../../saga/room-creation-saga.js';
import { principalOf } from '../auth.js';
import {
  IDEMPOTENCY_KEY_HEADER,
  createRoomBody,
  idempotencyKey,
  listQuery,
  renameBody,
  roomParams,
} from '../schemas.js';

export interface RoomRouteDeps {
  saga: RoomCreationSaga;
  commands: RoomCommands;
  queries: RoomQueries;
}

const DIRECT_ROOM_NAME = 'Direct chat';

export function roomRoutes({ saga, commands, queries }: RoomRouteDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post<{ Body: { kind: RoomKind; name?: string; memberIds: string[] } }>(
      '/rooms',
      { schema: { body: createRoomBody } },
      async (request, reply) => {
        const actor = principalOf(request).userId;
        const key = request.headers[IDEMPOTENCY_KEY_HEADER];
        const checkedKey = key === undefined ? undefined : idempotencyKey.validate(key);
        if (checkedKey?.error) {
          throw new RoomError('VALIDATION_FAILED', 'the request is not valid', {
            details: [`headers: ${checkedKey.error.message}`],
          });
        }
        const { kind, name, memberIds } = request.body;
        const others = memberIds.filter((userId) => userId !== actor);
        if (kind === 'direct' && others.length !== 1) {
          throw new RoomError('VALIDATION_FAILED', 'the request is not valid', {
            details: ['body: a direct room is between you and one other person'],
          });
        }
        const result = await saga.create(
          { kind, name: name ?? DIRECT_ROOM_NAME, createdBy: actor, memberIds: others },
          (checkedKey?.value as string | undefined) ?? randomUUID(),
          request.id,
        );
        const room = await queries.getRoom(actor, result.roomId);
        return reply.status(result.replayed ? 200 : 201).send({ room });
      },
    );

    app.get<{ Querystring: { limit: number; after?: string } }>(
      '/rooms',
      { schema: { querystring: listQuery } },
      async (request) => queries.listRooms(principalOf(request).userId, request.query),
    );

    app.get<{ Params: { roomId: string } }>(
      '/rooms/:roomId',
      { schema: { params: roomParams } },
      async (request) => ({
        room: await queries.getRoom(principalOf(request).userId, request.params.roomId),
      }),
    );

    app.patch<{ Params: { roomId: string }; Body: { name: string } }>(
      '/rooms/:roomId',
      { schema: { params: roomParams, body: renameBody } },
      async (request) => ({
        room: await commands.rename(contextOf(request), request.params.roomId, request.body.name),
      }),
    );

    app.post<{ Params: { roomId: string } }>(
      '/rooms/:roomId/archive',
      { schema: { params: roomParams } },
      async (request) => ({ room: await commands.archive(contextOf(request), request.params.roomId) }),
    );
  };
}

export function contextOf(request: Parameters<typeof principalOf>[0]) {
  return { actor: principalOf(request).userId, correlationId: request.id };
}
