import type { RoomKind } from '@chat/contracts';
import { Schema, type Connection, type Model } from 'mongoose';

/** Room creation, as seed 000 §7 lays it out: make the room, add the people, announce it. */
export const CREATION_STEPS = ['createRoom', 'addParticipants', 'announce'] as const;
export type CreationStep = (typeof CREATION_STEPS)[number];

export type SagaState = 'running' | 'compensating' | 'completed' | 'failed';
export type StepStatus = 'pending' | 'done' | 'compensated';

export interface CreateRoomInput {
  kind: RoomKind;
  name: string;
  createdBy: string;
  /** Everyone else in the room (the creator is always in it, as owner). */
  memberIds: string[];
}

export interface SagaFailure {
  code: 'ROOM_CREATION_FAILED';
  retryable: boolean;
  step?: CreationStep;
  /** For operators only; never sent to clients. */
  reason: string;
}

/**
 * One room-creation saga. Its `_id` comes from the creator and the client's
 * idempotency key, so the same request never makes two rooms. Each step's
 * state is written as it finishes: after a crash, recovery resumes the
 * pending steps or compensates the done ones.
 */
export interface SagaDoc {
  _id: string;
  state: SagaState;
  input: CreateRoomInput;
  /** Tells a retry of the same request from a different request reusing its key. */
  inputHash: string;
  roomId: string;
  correlationId: string;
  steps: { name: CreationStep; status: StepStatus }[];
  /** Runs so far: the first, client retries after a retryable failure, and resumptions. */
  attempts: number;
  error?: SagaFailure | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt?: Date;
}

const sagaSchema = new Schema<SagaDoc>(
  {
    _id: { type: String, required: true },
    state: { type: String, enum: ['running', 'compensating', 'completed', 'failed'], required: true },
    input: { type: Schema.Types.Mixed, required: true },
    inputHash: { type: String, required: true },
    roomId: { type: String, required: true },
    correlationId: { type: String, required: true },
    steps: {
      type: [
        new Schema(
          {
            name: { type: String, enum: CREATION_STEPS, required: true },
            status: { type: String, enum: ['pending', 'done', 'compensated'], required: true },
          },
          { _id: false },
        ),
      ],
      required: true,
    },
    attempts: { type: Number, required: true },
    error: { type: Schema.Types.Mixed, default: null },
    leaseOwner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    finishedAt: Date,
  },
  { versionKey: false, collection: 'sagas', minimize: false },
);
// Recovery's poll: unfinished sagas whose owner stopped renewing its lease.
sagaSchema.index({ state: 1, leaseUntil: 1 });

export type SagaModel = Model<SagaDoc>;

export function sagaModel(connection: Connection): SagaModel {
  return (connection.models.Saga as SagaModel | undefined) ?? connection.model<SagaDoc>('Saga', sagaSchema);
}
