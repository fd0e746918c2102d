import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Types } from 'mongoose';
import { type Logger, isDuplicateKey } from '@chat/runtime';
import {
  directPairKey,
  directRoomId,
  type RoomModel,
  type MembershipModel,
  type Mutex,
} from '@chat/room-store';
import { RoomError, isTransient } from '../errors.js';
import { sagaOutcomes } from '../metrics.js';
import {
  CREATION_STEPS,
  type CreateRoomInput,
  type CreationStep,
  type SagaDoc,
  type SagaModel,
  type SagaState,
} from './saga-model.js';
import { creationSteps, type SagaStep } from './steps.js';

/** Where a test can inject a failure (throw) or stop the process (kill -9) inside a saga. */
export interface SagaHooks {
  beforeStep?(step: CreationStep, saga: SagaDoc): void | Promise<void>;
  /** The step is done and recorded. */
  afterStep?(step: CreationStep, saga: SagaDoc): void | Promise<void>;
}

export interface SagaDeps {
  sagas: SagaModel;
  mutex: Mutex;
  rooms: RoomModel;
  memberships: MembershipModel;
  logger: Logger;
  config: { owner: string; leaseMs: number; maxAttempts: number };
  hooks?: SagaHooks;
  /** Called when the room is announced (its created event is in the outbox). */
  onEventsWritten?: (roomId: string) => void;
}

export interface CreationResult {
  roomId: string;
  /** True when this request repeated one that had already created the room. */
  replayed: boolean;
}

const UNFINISHED: SagaState[] = ['running', 'compensating'];

export function creationSagaId(createdBy: string, idempotencyKey: string): string {
  return `create-room:${createdBy}:${idempotencyKey}`;
}

/** How long a direct create waits for the pair's room that another request is creating right now. */
const DIRECT_WAIT_MS = 10_000;

/**
 * Who the saga is for: a direct room's saga and room are the pair's (either
 * side, any key, finds the same one); any other room's are the creator's
 * request's.
 */
function identityOf(input: CreateRoomInput, idempotencyKey: string): { sagaId: string; roomId: string } {
  if (input.kind === 'direct') {
    const pair = directPairKey(input.createdBy, input.memberIds[0]!);
    return { sagaId: `create-direct:${pair}`, roomId: directRoomId(pair) };
  }
  return {
    sagaId: creationSagaId(input.createdBy, idempotencyKey),
    roomId: new Types.ObjectId().toHexString(),
  };
}

function hashInput(input: CreateRoomInput): string {
  // A direct room is its pair: who asked first, and with which name, does not make it another room.
  const canonical =
    input.kind === 'direct'
      ? { kind: input.kind, memberIds: [input.createdBy, ...input.memberIds].sort() }
      : { ...input, memberIds: [...input.memberIds].sort() };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

const freshSteps = () => CREATION_STEPS.map((name) => ({ name, status: 'pending' as const }));

/**
 * Runs room-creation sagas: forward step by step, each recorded; on a
 * failing step, compensations in reverse. A saga is owned by one process at
 * a time through a lease, so a crashed owner's saga is taken over by
 * `recoverOnce` (in any replica) once the lease expires.
 */
export class RoomCreationSaga {
  private readonly steps: Record<CreationStep, SagaStep>;
  private readonly logger: Logger;

  constructor(private readonly deps: SagaDeps) {
    this.steps = creationSteps(deps);
    this.logger = deps.logger.child({ component: 'room-creation-saga' });
  }

  /**
   * Creates a room once per (creator, key): the same key gives the same room.
   * A direct room is created once per pair: a later or concurrent create
   * from either side returns it (`replayed`).
   */
  async create(
    input: CreateRoomInput,
    idempotencyKey: string,
    correlationId: string,
  ): Promise<CreationResult> {
    const now = new Date();
    const { sagaId, roomId } = identityOf(input, idempotencyKey);
    const saga: SagaDoc = {
      _id: sagaId,
      state: 'running',
      input,
      inputHash: hashInput(input),
      roomId,
      correlationId,
      steps: freshSteps(),
      attempts: 1,
      error: null,
      leaseOwner: this.deps.config.owner,
      leaseUntil: this.leaseEnd(now),
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.deps.sagas.collection.insertOne(saga as never);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return input.kind === 'direct' ? this.repeatDirect(saga) : this.repeat(saga);
    }
    return { roomId: await this.forward(saga), replayed: false };
  }

  /** The pair's room exists or is being made: wait for the request making it, then return it. */
  private async repeatDirect(request: SagaDoc): Promise<CreationResult> {
    const deadline = Date.now() + DIRECT_WAIT_MS;
    for (;;) {
      try {
        const result = await this.repeat(request);
        return { ...result, replayed: true };
      } catch (error) {
        const busy = error instanceof RoomError && error.code === 'ROOM_CREATION_IN_PROGRESS';
        if (!busy || Date.now() > deadline) throw error;
        await sleep(50);
      }
    }
  }

  /** A request whose key was seen before: the first outcome, or the first saga continued. */
  private async repeat(request: SagaDoc): Promise<CreationResult> {
    const existing = await this.deps.sagas.findById(request._id).lean<SagaDoc>().exec();
    if (!existing) throw new RoomError('CONFLICT', 'the room creation changed concurrently; try again');
    if (existing.inputHash !== request.inputHash) {
      throw new RoomError('IDEMPOTENCY_KEY_REUSED', 'this idempotency key was used for a different room');
    }
    if (existing.state === 'completed') return { roomId: existing.roomId, replayed: true };
    if (existing.state === 'failed' && !existing.error?.retryable)
      throw this.failure(existing.error?.retryable);
    // A retryable failure starts over with the same room id; an abandoned run (lease expired) is taken over.
    const restart = existing.state === 'failed';
    const claimed = await this.claim(
      existing._id,
      (saga, now) =>
        restart
          ? saga.state === 'failed' && saga.attempts === existing.attempts
          : UNFINISHED.includes(saga.state) && (saga.leaseUntil?.getTime() ?? 0) < now.getTime(),
      restart
        ? { state: 'running', steps: freshSteps(), error: null, correlationId: request.correlationId }
        : {},
    );
    if (!claimed)
      throw new RoomError('ROOM_CREATION_IN_PROGRESS', 'this room is still being created; try again shortly');
    return { roomId: await this.resume(claimed), replayed: !restart };
  }

  /**
   * Takes over unfinished sagas whose owner stopped renewing the lease (it
   * crashed or hung): resumes them, or compensates them when they were
   * already compensating or have used their attempts. Returns how many.
   */
  async recoverOnce(limit = 20): Promise<number> {
    const now = new Date();
    const stale = await this.deps.sagas
      .find({ state: { $in: UNFINISHED }, leaseUntil: { $lt: now } }, { _id: 1 })
      .limit(limit)
      .lean()
      .exec();
    let recovered = 0;
    for (const { _id } of stale) {
      const claimed = await this.claim(
        _id,
        (saga, at) => UNFINISHED.includes(saga.state) && (saga.leaseUntil?.getTime() ?? 0) < at.getTime(),
        {},
      );
      if (!claimed) continue;
      recovered++;
      sagaOutcomes.inc({ outcome: 'resumed' });
      this.logger.warn(
        { sagaId: _id, state: claimed.state, attempts: claimed.attempts },
        'recovering an unfinished saga',
      );
      await this.resume(claimed).catch((error: unknown) => {
        if (!(error instanceof RoomError))
          this.logger.error({ err: error, sagaId: _id }, 'saga recovery failed');
      });
    }
    return recovered;
  }

  /**
   * Takes the saga's lease when `eligible` says it may, counting a run.
   * Read and write happen under the saga's lock: a conditional update alone
   * is not atomic on FerretDB v1, and two processes must never both run one saga.
   */
  private async claim(
    sagaId: string,
    eligible: (saga: SagaDoc, now: Date) => boolean,
    changes: Partial<SagaDoc>,
  ): Promise<SagaDoc | null> {
    return this.deps.mutex.withLock(`saga:${sagaId}`, async () => {
      const saga = await this.deps.sagas.findById(sagaId).lean<SagaDoc>().exec();
      const now = new Date();
      if (!saga || !eligible(saga, now)) return null;
      const update: Partial<SagaDoc> = {
        leaseOwner: this.deps.config.owner,
        leaseUntil: this.leaseEnd(now),
        updatedAt: now,
        attempts: saga.attempts + 1,
        ...changes,
      };
      await this.deps.sagas.updateOne({ _id: sagaId }, { $set: update });
      return { ...saga, ...update };
    });
  }

  private async resume(saga: SagaDoc): Promise<string> {
    if (saga.state === 'compensating')
      return this.compensate(saga, new Error('resuming an interrupted compensation'));
    if (saga.attempts > this.deps.config.maxAttempts) {
      return this.compensate(saga, new Error(`gave up after ${saga.attempts - 1} runs`));
    }
    return this.forward(saga);
  }

  private async forward(start: SagaDoc): Promise<string> {
    let saga = start;
    for (const { name, status } of start.steps) {
      if (status !== 'pending') continue;
      try {
        await this.deps.hooks?.beforeStep?.(name, saga);
        await this.steps[name].run(saga);
      } catch (error) {
        return this.compensate(saga, error, name);
      }
      saga = await this.record(saga, {
        steps: saga.steps.map((step) => (step.name === name ? { name, status: 'done' } : step)),
      });
      await this.deps.hooks?.afterStep?.(name, saga);
    }
    await this.record(saga, {
      state: 'completed',
      finishedAt: new Date(),
      leaseOwner: null,
      leaseUntil: null,
    });
    sagaOutcomes.inc({ outcome: 'completed' });
    this.deps.onEventsWritten?.(saga.roomId);
    return saga.roomId;
  }

  /**
   * Undoes every step that may have run, newest first; each compensation is
   * safe to repeat. Throws ROOM_CREATION_FAILED, unless the room turns out to
   * be announced already, which makes it the saga's result.
   */
  private async compensate(start: SagaDoc, cause: unknown, failedStep?: CreationStep): Promise<string> {
    const retryable = start.error?.retryable ?? isTransient(cause);
    this.logger.warn(
      { err: cause, sagaId: start._id, step: failedStep },
      'room creation failed; compensating',
    );
    let saga = start;
    try {
      const room = await this.deps.rooms.findById(saga.roomId, { status: 1, sagaId: 1 }).lean();
      if (room?.sagaId === saga._id && room.status !== 'creating') {
        // The announce landed before the failure was seen: the room exists and is the result.
        await this.record(saga, {
          state: 'completed',
          finishedAt: new Date(),
          leaseOwner: null,
          leaseUntil: null,
        });
        sagaOutcomes.inc({ outcome: 'completed' });
        return saga.roomId;
      }
      saga = await this.record(saga, {
        state: 'compensating',
        error: saga.error ?? {
          code: 'ROOM_CREATION_FAILED',
          retryable,
          ...(failedStep ? { step: failedStep } : {}),
          reason: cause instanceof Error ? cause.message : String(cause),
        },
      });
      for (const name of [...CREATION_STEPS].reverse()) {
        const step = this.steps[name];
        if (!step.compensate || saga.steps.find((state) => state.name === name)?.status === 'compensated')
          continue;
        await step.compensate(saga);
        saga = await this.record(saga, {
          steps: saga.steps.map((state) => (state.name === name ? { name, status: 'compensated' } : state)),
        });
      }
      await this.record(saga, {
        state: 'failed',
        finishedAt: new Date(),
        leaseOwner: null,
        leaseUntil: null,
      });
    } catch (error) {
      if (error instanceof RoomError) throw error;
      sagaOutcomes.inc({ outcome: 'compensation_failed' });
      this.logger.error(
        { err: error, sagaId: saga._id },
        'compensation interrupted; recovery will finish it',
      );
      throw this.failure(true, error, 'the room could not be created; what was made of it is being removed');
    }
    sagaOutcomes.inc({ outcome: 'compensated' });
    throw this.failure(retryable, cause);
  }

  private failure(
    retryable = false,
    cause?: unknown,
    message = 'the room could not be created and nothing of it was kept',
  ): RoomError {
    return new RoomError('ROOM_CREATION_FAILED', message, { retryable, cause });
  }

  /** Writes saga progress while this process still owns it, renewing the lease. */
  private async record(saga: SagaDoc, changes: Partial<SagaDoc>): Promise<SagaDoc> {
    const now = new Date();
    const update = { leaseUntil: this.leaseEnd(now), ...changes, updatedAt: now };
    const result = await this.deps.sagas.updateOne(
      { _id: saga._id, leaseOwner: this.deps.config.owner },
      { $set: update },
    );
    if (result.matchedCount !== 1) {
      throw new RoomError(
        'ROOM_CREATION_IN_PROGRESS',
        'this room creation was taken over by another process',
      );
    }
    return { ...saga, ...update };
  }

  private leaseEnd(now: Date): Date {
    return new Date(now.getTime() + this.deps.config.leaseMs);
  }
}
