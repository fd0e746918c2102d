import { createEvent } from '@chat/contracts';
import type { MembershipModel, Member, RoomDoc, RoomModel } from '@chat/room-store';
import { isDuplicateKey } from '@chat/runtime';
import { applyMembershipChanges } from '../membership/projection.js';
import { newOutboxEntries } from '../outbox/entries.js';
import { currentTraceparent } from '../outbox/trace.js';
import type { CreationStep, SagaDoc } from './saga-model.js';

export interface StepDeps {
  rooms: RoomModel;
  memberships: MembershipModel;
}

export interface SagaStep {
  /** Idempotent: a resumed saga may run a step that already (partly) ran. */
  run(saga: SagaDoc): Promise<void>;
  /** Idempotent and harmless when `run` never happened; absent for the step that commits. */
  compensate?(saga: SagaDoc): Promise<void>;
}

const everyone = (saga: SagaDoc): string[] => [saga.input.createdBy, ...saga.input.memberIds];

function membersOf(saga: SagaDoc, now: Date): Member[] {
  const { kind, createdBy } = saga.input;
  return everyone(saga).map((userId) => ({
    userId,
    // Both people in a direct room own it equally.
    role: userId === createdBy || kind === 'direct' ? 'owner' : 'member',
    joinedAt: now,
    addedBy: createdBy,
  }));
}

export function creationSteps({ rooms, memberships }: StepDeps): Record<CreationStep, SagaStep> {
  return {
    createRoom: {
      async run(saga) {
        const now = new Date();
        const room: RoomDoc = {
          _id: saga.roomId,
          kind: saga.input.kind,
          name: saga.input.name,
          status: 'creating',
          createdBy: saga.input.createdBy,
          sagaId: saga._id,
          members: membersOf(saga, now),
          version: 0,
          eventSeq: 0,
          outbox: [],
          outboxDueAt: null,
          leaseOwner: null,
          leaseUntil: null,
          createdAt: now,
          updatedAt: now,
        };
        try {
          await rooms.collection.insertOne(room as never);
        } catch (error) {
          const existing = isDuplicateKey(error)
            ? await rooms.findById(saga.roomId, { sagaId: 1 }).lean()
            : null;
          if (existing?.sagaId !== saga._id) throw error;
        }
      },
      async compensate(saga) {
        // Never an active room: once announced, the room is the saga's committed result.
        await rooms.deleteOne({ _id: saga.roomId, sagaId: saga._id, status: 'creating' });
      },
    },

    addParticipants: {
      async run(saga) {
        await applyMembershipChanges(
          memberships,
          everyone(saga).map((userId) => ({ roomId: saga.roomId, userId, status: 'active', seq: 0 })),
        );
      },
      async compensate(saga) {
        await memberships.deleteMany({ roomId: saga.roomId });
      },
    },

    announce: {
      async run(saga) {
        const now = new Date();
        const created = createEvent(
          'room.created',
          {
            roomId: saga.roomId,
            name: saga.input.name,
            createdBy: saga.input.createdBy,
            memberIds: everyone(saga),
          },
          {
            correlationId: saga.correlationId,
            idempotencyKey: `room.created:${saga.roomId}`,
            occurredAt: now,
          },
        );
        const result = await rooms.updateOne(
          { _id: saga.roomId, sagaId: saga._id, status: 'creating' },
          {
            $set: { status: 'active', updatedAt: now, outboxDueAt: now },
            $inc: { version: 1, eventSeq: 1 },
            $push: { outbox: { $each: newOutboxEntries([created], 1, now, currentTraceparent()) } },
          },
        );
        if (result.matchedCount === 1) return;
        const room = await rooms.findById(saga.roomId, { status: 1, sagaId: 1 }).lean();
        if (room?.sagaId !== saga._id || room.status === 'creating') {
          throw new Error(`room ${saga.roomId} is missing; it cannot be announced`);
        }
      },
    },
  };
}
