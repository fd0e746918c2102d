import type { AnyEvent } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import {
  type MembershipModel,
  type Mutex,
  type OutboxEntry,
  type RoomDoc,
  type RoomModel,
  roomLockKey,
} from '@chat/room-store';
import type { DispatcherConfig } from '../config.js';
import { projectMemberships } from '../membership/projection.js';
import {
  dispatchTicks,
  outboxDead,
  outboxDispatchLatency,
  outboxLeaseLost,
  outboxPublished,
  outboxPublishFailures,
} from '../metrics.js';
import { RoomError } from '../errors.js';
import { applyOutcome, dueRun, nextDueAt, type DispatchOutcome, type OutboxPolicy } from './entries.js';
import type { OutgoingEvent, RoomEventSink } from './sink.js';

/** Points where a test can stop the process (kill -9) to prove what survives a crash. */
export interface DispatcherHooks {
  /** A room is claimed and its due events chosen; nothing published yet. */
  afterClaim?(roomId: string, entries: readonly OutboxEntry[]): void | Promise<void>;
  /** Kafka acknowledged the events; they are not marked sent yet. */
  afterPublish?(roomId: string, entries: readonly OutboxEntry[]): void | Promise<void>;
}

export interface DispatcherDeps {
  rooms: RoomModel;
  mutex: Mutex;
  memberships: MembershipModel;
  sink: RoomEventSink;
  logger: Logger;
  config: DispatcherConfig;
  hooks?: DispatcherHooks;
}

/** Due rooms looked at per claim: when another replica holds the first, the next is tried. */
const CLAIM_CANDIDATES = 5;
/** A dispatcher does not queue behind a busy room; it takes another or comes back next tick. */
const CLAIM_LOCK_WAIT_MS = 100;
const ERROR_PAUSE_MS = 1_000;

/**
 * Publishes the events held in rooms' outboxes, in `seq` order per room.
 *
 * A replica claims one room at a time with a lease written on the room, so
 * replicas never publish one room's events concurrently; it publishes the
 * room's due events (without holding anything but the lease, so changes to
 * the room go on meanwhile), then marks them sent and releases the lease in
 * one write. Claim and settle read and write the room under its lock (see
 * `createMutex`), so they never lose a change made at the same time. A crash
 * before the settle leaves the events pending for whoever claims the room
 * after the lease expires: at-least-once publishing with stable event ids,
 * and never a repeat of an event already marked sent.
 */
export class OutboxDispatcher {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Rooms this process just wrote events to: claimed by id, without a scan. */
  private readonly written = new Set<string>();
  /** When the next scan for due rooms runs (other replicas' orphans, retries that fell due). */
  private nextScanAt = 0;
  private readonly policy: OutboxPolicy;
  private readonly logger: Logger;

  constructor(private readonly deps: DispatcherDeps) {
    const { config } = deps;
    this.policy = {
      maxAttempts: config.maxAttempts,
      keepSent: config.keepSent,
      // Doubling, with up to half of each delay random, so replicas that failed together do not retry together.
      backoff: {
        initialDelayMs: config.backoffBaseMs,
        multiplier: 2,
        maxDelayMs: config.backoffMaxMs,
        jitter: 0.5,
      },
    };
    this.logger = deps.logger.child({ component: 'outbox-dispatcher', owner: config.owner });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** `roomId` just got events: dispatch it now instead of at the next scan. */
  nudge(roomId: string): void {
    this.written.add(roomId);
    this.wake?.();
  }

  /** Finishes the room in hand (so its lease is released), then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /**
   * One pass: the rooms written here, then due rooms found by a scan, until
   * none is left, the batch is used up or a publish fails (Kafka is then
   * likely failing for every room; the failed room waits for its backoff and
   * the others get their turn next pass). Returns the events published.
   */
  async runOnce(): Promise<number> {
    return this.pass(true);
  }

  /**
   * Without `scan`, only the rooms written here: on FerretDB a scan reads
   * every room (about a millisecond each), so a pass per write would make
   * dispatching N new rooms cost N scans.
   */
  private async pass(scan: boolean): Promise<number> {
    let budget = this.deps.config.batchSize;
    let published = 0;
    const dispatch = async (room: RoomDoc) => {
      const result = await this.dispatchRoom(room, budget);
      budget -= result.published;
      published += result.published;
      return !result.failed;
    };
    const written = [...this.written];
    this.written.clear();
    for (const [index, roomId] of written.entries()) {
      if (budget <= 0) {
        // Left for the next pass, which runs at once.
        for (const later of written.slice(index)) this.written.add(later);
        return published;
      }
      const room = await this.claimRoom(roomId);
      // After a failed publish the rest wait for a scan: their events are due in the store, so none is lost,
      // and Kafka is likely failing for them too.
      if (room && !(await dispatch(room))) return published;
    }
    if (!scan) return published;
    for (let claims = 0; budget > 0 && claims < this.deps.config.batchSize; claims++) {
      const room = await this.claim(new Date());
      if (!room || !(await dispatch(room))) break;
    }
    return published;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const scan = Date.now() >= this.nextScanAt;
      let published = 0;
      let failed = false;
      try {
        published = await this.pass(scan);
        dispatchTicks.inc({ result: 'ok', pass: scan ? 'scan' : 'written' });
      } catch (error) {
        failed = true;
        dispatchTicks.inc({ result: 'error', pass: scan ? 'scan' : 'written' });
        this.logger.error({ err: error }, 'outbox dispatch pass failed');
      }
      // A scan that found work scans again at once (more may be due); otherwise the next one waits a tick.
      if (scan && (failed || published === 0)) this.nextScanAt = Date.now() + this.deps.config.tickMs;
      // MongoDB is failing: poll slower than the idle tick rather than spin on errors.
      if (failed) this.nextScanAt = Math.max(this.nextScanAt, Date.now() + ERROR_PAUSE_MS);
      const idle = failed || published === 0;
      if (this.running && idle && this.written.size === 0) await this.sleep(this.nextScanAt - Date.now());
    }
  }

  private async sleep(ms: number): Promise<void> {
    if (ms <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  /** A due room none else holds, found by a scan; null when there is none. */
  private async claim(now: Date): Promise<RoomDoc | null> {
    const { owner } = this.deps.config;
    const candidates = await this.deps.rooms
      .find(
        {
          outboxDueAt: { $lte: now },
          // Our own lease too: after a failed pass this replica picks its rooms up again at once.
          $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }, { leaseOwner: owner }],
        },
        { _id: 1 },
      )
      .sort({ outboxDueAt: 1 })
      .limit(CLAIM_CANDIDATES)
      .lean()
      .exec();
    for (const { _id } of candidates) {
      const claimed = await this.claimRoom(_id);
      if (claimed) return claimed;
    }
    return null;
  }

  /** Leases `roomId` to this replica when it has due events and none else holds it; null otherwise. */
  private async claimRoom(roomId: string): Promise<RoomDoc | null> {
    const { owner, leaseMs } = this.deps.config;
    return this.deps.mutex
      .withLock(
        roomLockKey(roomId),
        async () => {
          const room = await this.deps.rooms.findById(roomId).lean<RoomDoc>().exec();
          const at = new Date();
          if (!room?.outboxDueAt || room.outboxDueAt > at) return null;
          const leasedElsewhere =
            room.leaseOwner && room.leaseOwner !== owner && room.leaseUntil && room.leaseUntil >= at;
          if (leasedElsewhere) return null;
          const leaseUntil = new Date(at.getTime() + leaseMs);
          await this.deps.rooms.updateOne({ _id: roomId }, { $set: { leaseOwner: owner, leaseUntil } });
          return { ...room, leaseOwner: owner, leaseUntil };
        },
        CLAIM_LOCK_WAIT_MS,
      )
      .catch((error: unknown) => {
        if (error instanceof RoomError && error.code === 'CONFLICT') return null;
        throw error;
      });
  }

  private async dispatchRoom(room: RoomDoc, budget: number): Promise<{ published: number; failed: boolean }> {
    const run = dueRun(room.outbox, new Date(), budget);
    if (run.length === 0) {
      await this.settle(room, { sent: [] });
      return { published: 0, failed: false };
    }
    await this.deps.hooks?.afterClaim?.(room._id, run);
    let outcome: DispatchOutcome;
    try {
      // The per-user index follows the same events; it is idempotent, so a repeat after a crash is harmless.
      await projectMemberships(this.deps.memberships, run);
      await this.deps.sink.publish(run.map((entry) => this.outgoing(entry)));
      await this.deps.hooks?.afterPublish?.(room._id, run);
      outcome = { sent: run.map((entry) => entry.eventId) };
    } catch (error) {
      const head = run[0]!;
      outboxPublishFailures.inc();
      this.logger.warn(
        { err: error, roomId: room._id, eventId: head.eventId, seq: head.seq, attempts: head.attempts + 1 },
        'publishing room events failed; will retry with backoff',
      );
      outcome = {
        sent: [],
        failed: { eventId: head.eventId, error: (error as Error).message ?? String(error) },
      };
    }
    const settled = await this.settle(room, outcome);
    if (!outcome.failed) {
      const now = Date.now();
      for (const entry of run) {
        outboxPublished.inc({ type: entry.type });
        outboxDispatchLatency.observe((now - new Date(entry.createdAt).getTime()) / 1000);
      }
    }
    return { published: settled ? outcome.sent.length : 0, failed: outcome.failed !== undefined };
  }

  /** Writes the outcome and releases the lease; false when the lease was lost meanwhile. */
  private async settle(claimed: RoomDoc, outcome: DispatchOutcome): Promise<boolean> {
    const { owner } = this.deps.config;
    return this.deps.mutex.withLock(roomLockKey(claimed._id), async () => {
      const room = await this.deps.rooms.findById(claimed._id).lean<RoomDoc>().exec();
      if (room?.leaseOwner !== owner) {
        outboxLeaseLost.inc();
        this.logger.warn({ roomId: claimed._id }, 'lost the lease on a room before marking its events');
        return false;
      }
      // Applied to the room as it is now: events appended since the claim stay pending.
      const { outbox, dead } = applyOutcome(room.outbox, outcome, new Date(), this.policy);
      await this.deps.rooms.updateOne(
        { _id: room._id, leaseOwner: owner, eventSeq: room.eventSeq },
        { $set: { outbox, outboxDueAt: nextDueAt(outbox), leaseOwner: null, leaseUntil: null } },
      );
      for (const entry of dead) {
        outboxDead.inc({ type: entry.type });
        this.logger.error(
          {
            roomId: room._id,
            eventId: entry.eventId,
            seq: entry.seq,
            attempts: entry.attempts,
            error: entry.lastError,
          },
          'room event parked as dead after its last attempt',
        );
      }
      return true;
    });
  }

  private outgoing(entry: OutboxEntry): OutgoingEvent {
    return {
      // Stored exactly as created and checked at write time: every attempt sends the same envelope.
      event: entry.event as AnyEvent,
      topic: this.deps.config.topic,
      ...(entry.traceparent ? { traceparent: entry.traceparent } : {}),
    };
  }
}
