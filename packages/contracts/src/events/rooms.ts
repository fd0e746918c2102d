import Joi from 'joi';
import { defineEvent } from '../envelope.js';
import { t } from '../schema/field.js';
import { TOPICS } from '../topics.js';

export const MAX_ROOM_NAME_LENGTH = 100;
export const MAX_ROOM_MEMBERS = 1000;

const roomName = () => t.string(Joi.string().trim().min(1).max(MAX_ROOM_NAME_LENGTH));

export const RoomCreated = defineEvent({
  type: 'room.created',
  topic: TOPICS.roomEvents,
  key: 'roomId',
  major: 1,
  minor: 0,
  payload: {
    roomId: t.id(),
    name: roomName(),
    createdBy: t.id(),
    memberIds: t.array(t.id(), Joi.array().min(1).max(MAX_ROOM_MEMBERS).unique()),
  },
});

export const RoomMemberAdded = defineEvent({
  type: 'room.member.added',
  topic: TOPICS.roomEvents,
  key: 'roomId',
  major: 1,
  minor: 0,
  payload: { roomId: t.id(), userId: t.id(), addedBy: t.id() },
});

export const RoomMemberRemoved = defineEvent({
  type: 'room.member.removed',
  topic: TOPICS.roomEvents,
  key: 'roomId',
  major: 1,
  minor: 0,
  payload: { roomId: t.id(), userId: t.id(), removedBy: t.id() },
});

export const RoomRenamed = defineEvent({
  type: 'room.renamed',
  topic: TOPICS.roomEvents,
  key: 'roomId',
  major: 1,
  minor: 0,
  payload: { roomId: t.id(), name: roomName(), renamedBy: t.id() },
});

export const RoomArchived = defineEvent({
  type: 'room.archived',
  topic: TOPICS.roomEvents,
  key: 'roomId',
  major: 1,
  minor: 0,
  payload: { roomId: t.id(), archivedBy: t.id() },
});

/** An owner or admin stopped a member from sending in the room; the member still reads it. */
export const RoomSenderBlocked = defineEvent({
  type: 'room.sender.blocked',
  topic: TOPICS.roomEvents,
  key: 'roomId',
  major: 1,
  minor: 0,
  payload: { roomId: t.id(), userId: t.id(), blockedBy: t.id() },
});

export const RoomSenderUnblocked = defineEvent({
  type: 'room.sender.unblocked',
  topic: TOPICS.roomEvents,
  key: 'roomId',
  major: 1,
  minor: 0,
  payload: { roomId: t.id(), userId: t.id(), unblockedBy: t.id() },
});
