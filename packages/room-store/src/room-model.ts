import { Schema, type Connection, type Model } from 'mongoose';
import {
  MEMBER_ROLES,
  ROOM_KINDS,
  ROOM_STATUSES,
  type Envelope,
  type MemberRole,
  type RoomKind,
  type RoomStatus,
} from '@chat/contracts';

/** Rooms past the saga's private `creating` state. */
export const VISIBLE_STATUSES: RoomStatus[] = ['active', 'archived'];

/** The lock every writer of a room document takes: the room service and the ops CLI alike. */
export const roomLockKey = (roomId: string): string => `room:${roomId}`;

export interface Member {
  userId: string;
  role: MemberRole;
  joinedAt: Date;
  addedBy: string;
  /** Set while an owner or admin has blocked the member from sending; cleared by unblocking or leaving. */
  sendBlocked?: { by: string; at: Date };
}

export const OUTBOX_STATUSES = ['pending', 'sent', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** One room event waiting in (or published from) the room's own outbox. */
export interface OutboxEntry {
  /** The envelope's eventId: the same bytes are published on every attempt, so consumers can drop repeats. */
  eventId: string;
  /** Per-room position, assigned in the write that made the change; publishing follows it. */
  seq: number;
  type: string;
  event: Envelope;
  /** W3C trace context of the request that caused the event, carried into the Kafka headers. */
  traceparent?: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  sentAt?: Date;
  lastError?: string;
}

/**
 * A room is one document: its members (authoritative for who may read and
 * write) and its outbox are changed by the same single-document write, which
 * is as atomic on FerretDB as on MongoDB.
 */
export interface RoomDoc {
  _id: string;
  kind: RoomKind;
  name: string;
  status: RoomStatus;
  createdBy: string;
  sagaId: string;
  members: Member[];
  /** Optimistic concurrency: every change is `updateOne({_id, version})` and bumps it. */
  version: number;
  /** Highest outbox `seq` assigned so far. */
  eventSeq: number;
  outbox: OutboxEntry[];
  /** Earliest time an unsent event is due; null when none. What the dispatcher polls on. */
  outboxDueAt: Date | null;
  /** Dispatcher replica holding the room; only it publishes the room's events until `leaseUntil`. */
  leaseOwner: string | null;
  leaseUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
  archivedAt?: Date;
}

const memberSchema = new Schema<Member>(
  {
    userId: { type: String, required: true },
    role: { type: String, enum: MEMBER_ROLES, required: true },
    joinedAt: { type: Date, required: true },
    addedBy: { type: String, required: true },
    sendBlocked: { type: new Schema({ by: String, at: Date }, { _id: false }), default: undefined },
  },
  { _id: false },
);

const outboxSchema = new Schema<OutboxEntry>(
  {
    eventId: { type: String, required: true },
    seq: { type: Number, required: true },
    type: { type: String, required: true },
    event: { type: Schema.Types.Mixed, required: true },
    traceparent: String,
    status: { type: String, enum: OUTBOX_STATUSES, required: true },
    attempts: { type: Number, required: true },
    nextAttemptAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    sentAt: Date,
    lastError: String,
  },
  { _id: false },
);

const roomSchema = new Schema<RoomDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ROOM_KINDS, required: true },
    name: { type: String, required: true },
    status: { type: String, enum: ROOM_STATUSES, required: true },
    createdBy: { type: String, required: true },
    sagaId: { type: String, required: true },
    members: { type: [memberSchema], default: [] },
    version: { type: Number, required: true },
    eventSeq: { type: Number, required: true },
    outbox: { type: [outboxSchema], default: [] },
    outboxDueAt: { type: Date, default: null },
    leaseOwner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    archivedAt: Date,
  },
  { versionKey: false, collection: 'rooms', minimize: false },
);
// The dispatcher's poll: rooms with something due, oldest first.
roomSchema.index({ outboxDueAt: 1 });

export type RoomModel = Model<RoomDoc>;

export function roomModel(connection: Connection): RoomModel {
  return (connection.models.Room as RoomModel | undefined) ?? connection.model<RoomDoc>('Room', roomSchema);
}
