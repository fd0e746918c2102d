import Joi from 'joi';
import { MAX_ROOM_MEMBERS, MAX_ROOM_NAME_LENGTH, ROOM_KINDS, t, wellFormed } from '@chat/contracts';

/** The contracts' id rule: no `$`, `.`-paths or spaces can reach a MongoDB filter or a Redis key. */
const id = () => t.id().joi;
const name = () => wellFormed(Joi.string().trim().min(1).max(MAX_ROOM_NAME_LENGTH));

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const idempotencyKey = Joi.string()
  .pattern(/^[A-Za-z0-9._:-]{1,128}$/, 'idempotency key')
  .label(IDEMPOTENCY_KEY_HEADER);

export const createRoomBody = Joi.object({
  kind: Joi.string()
    .valid(...ROOM_KINDS)
    .default('group'),
  name: Joi.when('kind', { is: 'direct', then: name().optional(), otherwise: name().required() }),
  memberIds: Joi.array()
    .items(id())
    .max(MAX_ROOM_MEMBERS - 1)
    .unique()
    .when('kind', {
      is: 'direct',
      then: Joi.array().length(1).required(),
      otherwise: Joi.array().default([]),
    }),
}).required();

export const roomParams = Joi.object({ roomId: id().required() });
export const memberParams = Joi.object({ roomId: id().required(), userId: id().required() });

export const addMemberBody = Joi.object({
  userId: id().required(),
  role: Joi.string().valid('member', 'admin').default('member'),
}).required();

export const renameBody = Joi.object({ name: name().required() }).required();

export const listQuery = Joi.object({
  limit: Joi.number().integer().min(1).max(200).default(50),
  after: id(),
});
