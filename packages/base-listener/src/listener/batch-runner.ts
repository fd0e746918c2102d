import type { AnyEvent } from '@chat/contracts';
import type { EachBatchPayload, TopicPartitionOffset } from 'kafkajs';
import type { Logger } from 'pino';
import { BreakerOpenError, InterruptedError, messageOf } from '../errors/errors.js';
import {
  type InboundRecord,
  type RecordOrigin,
  firstDeliveryOrigin,
  fromKafkaMessage,
  originOf,
} from '../kafka/record.js';
import type { BatchPath } from './batch-path.js';
import type { PauseGate } from './pause-gate.js';
import type { Delivery, Handler, Outcome } from '../pipeline/types.js';
import type { BreakerState, DeliveryResult, ListenerEvents } from './events.js';

export interface BatchRunnerOptions {
  pipeline: Handler;
  gate: PauseGate;
  breakerState(): BreakerState | 'disabled';
  events: ListenerEvents;
  logger: Logger;
  /**
   * Finished offsets are committed at most this often per partition (inside a
   * long batch, or at a batch's end); what is left is committed by
   * `flushCommits`, or at once on a failure or shutdown.
   */
  commitIntervalMs: number;
  /** Aborted on shutdown. */
  signal: AbortSignal;
  /** Runs of records applied at once, when the listener handles batches. */
  batchPath?: BatchPath;
}

/** A run shorter than this takes the per-record pipeline: a batch pays off only past one record. */
const MIN_RUN = 2;

/**
 * KafkaJS `eachBatch` for a listener: one partition's records in order,
 * an offset resolved only once its record is durably done (handled, or
 * forwarded in a committed transaction), and commits only of resolved
 * offsets. Nothing is resolved for a record left for later (breaker open,
 * retry not yet due, shutdown), so it is fetched again.
 */
export class BatchRunner {
  /** Next offset known committed per partition, to skip commits that would not move it. */
  private readonly committed = new Map<string, bigint>();
  /** When each partition was last committed. */
  private readonly lastCommitAt = new Map<string, number>();
  /** Finished offsets not committed yet, per partition: an OffsetCommit per batch was a Kafka request per record or two. */
  private readonly uncommitted = new Map<string, TopicPartitionOffset>();

  constructor(private readonly options: BatchRunnerOptions) {}

  /** After a rebalance the group may have moved on without us; trust the broker again. */
  forgetCommits(): void {
    this.committed.clear();
    this.uncommitted.clear();
  }

  /** Commits every finished offset not committed yet (the listener calls it on a timer and before it stops). */
  async flushCommits(commit: (offsets: TopicPartitionOffset[]) => Promise<void>): Promise<void> {
    const due = [...this.uncommitted.entries()];
    if (due.length === 0) return;
    for (const [key] of due) this.uncommitted.delete(key);
    try {
      await commit(due.map(([, offset]) => offset));
    } catch (error) {
      // Kept for the next flush, unless a batch has finished more of the partition meanwhile.
      for (const [key, offset] of due) if (!this.uncommitted.has(key)) this.uncommitted.set(key, offset);
      throw error;
    }
    for (const [key, committed] of due) {
      const done = BigInt(committed.offset);
      if (done > (this.committed.get(key) ?? -1n)) this.committed.set(key, done);
      this.lastCommitAt.set(key, Date.now());
      this.options.events.emit('committed', committed);
    }
  }

  readonly eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    const { gate, events, signal } = this.options;
    const key = `${topic}|${partition}`;
    let resolved: bigint | undefined;
    let failure: { error: unknown } | undefined;

    const commit = async () => {
      if (resolved === undefined || resolved <= (this.committed.get(key) ?? -1n)) return;
      const offset = resolved.toString();
      // Explicit offsets for this partition only: a bare commit would also commit other partitions' resolved offsets.
      this.uncommitted.delete(key);
      await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
      this.committed.set(key, resolved);
      this.lastCommitAt.set(key, Date.now());
      events.emit('committed', { topic, partition, offset });
    };
    // A partition's first interval starts with its first batch.
    if (!this.lastCommitAt.has(key)) this.lastCommitAt.set(key, Date.now());
    const commitDue = () => Date.now() - this.lastCommitAt.get(key)! >= this.options.commitIntervalMs;

    const { messages } = batch;
    // After a run failed, its records take the per-record pipeline up to here.
    let oneByOneUntil = 0;
    try {
      for (let index = 0; index < messages.length; index += 1) {
        if (!isRunning() || isStale() || signal.aborted || gate.isHeld(topic, partition)) break;
        if (this.options.batchPath && index >= oneByOneUntil && messages.length - index >= MIN_RUN) {
          const run = this.runFrom(this.options.batchPath, topic, partition, messages, index);
          if (run.length >= MIN_RUN) {
            const started = performance.now();
            if (await this.options.batchPath.apply(run, heartbeat)) {
              const share = (performance.now() - started) / run.length;
              for (const { record } of run) {
                const at = { topic, partition, offset: record.offset };
                events.emit('delivery', { ...at, result: 'success', durationMs: share });
                events.emit('handled', at);
              }
              const last = run[run.length - 1]!.record.offset;
              resolveOffset(last);
              resolved = BigInt(last) + 1n;
              index += run.length - 1;
              if (commitDue()) await commit();
              await heartbeat();
              continue;
            }
            oneByOneUntil = index + run.length;
          } else oneByOneUntil = index + run.length + 1;
        }
        const message = messages[index]!;
        const record = fromKafkaMessage(topic, partition, message);
        const origin = this.originOf(record);
        const due = origin.dueAt === undefined ? 0 : Date.parse(origin.dueAt);
        if (due > Date.now()) {
          gate.holdUntil(topic, partition, due);
          break;
        }

        const at = { topic, partition, offset: message.offset };
        const started = performance.now();
        const finish = (result: DeliveryResult) =>
          events.emit('delivery', { ...at, result, durationMs: performance.now() - started });
        let outcome: Outcome;
        try {
          outcome = await this.options.pipeline(this.deliveryOf(record, origin, heartbeat));
        } catch (error) {
          if (error instanceof BreakerOpenError) {
            finish('paused');
            // The breaker may have closed while this record waited for its answer; then just read it again.
            if (this.options.breakerState() !== 'closed') gate.holdAll();
            break;
          }
          if (error instanceof InterruptedError) {
            finish('interrupted');
            break;
          }
          finish('failed');
          throw error;
        }
        finish(outcome);

        resolveOffset(message.offset);
        resolved = BigInt(message.offset) + 1n;
        if (outcome === 'retry-scheduled' || outcome === 'dead-lettered') {
          this.committed.set(key, resolved);
        } else {
          events.emit('handled', at);
        }
        if (commitDue()) await commit();
        await heartbeat();
      }
    } catch (error) {
      failure = { error };
    }
    // Whatever stopped the loop, what is done gets committed (at once when it stopped on a failure or for a
    // shutdown, else when the interval is due or by the next flush); the first error is the one reported.
    try {
      if (failure || signal.aborted || !isRunning() || commitDue()) await commit();
      else if (resolved !== undefined && resolved > (this.committed.get(key) ?? -1n))
        this.uncommitted.set(key, { topic, partition, offset: resolved.toString() });
    } catch (error) {
      this.options.logger.warn(
        { err: messageOf(error), topic, partition },
        'committing finished offsets failed',
      );
      failure ??= { error };
    }
    if (failure) throw failure.error;
  };

  /** The records from `start` on that one batch may take, in order, up to the first it may not. */
  private runFrom(
    path: BatchPath,
    topic: string,
    partition: number,
    messages: EachBatchPayload['batch']['messages'],
    start: number,
  ): { record: InboundRecord; event: AnyEvent }[] {
    const run: { record: InboundRecord; event: AnyEvent }[] = [];
    for (let index = start; index < messages.length; index += 1) {
      const record = fromKafkaMessage(topic, partition, messages[index]!);
      const event = path.take(record, this.originOf(record));
      if (!event) break;
      run.push({ record, event });
    }
    return run;
  }

  private originOf(record: InboundRecord): RecordOrigin {
    try {
      return originOf(record);
    } catch (error) {
      this.options.logger.warn(
        { err: messageOf(error), topic: record.topic, partition: record.partition, offset: record.offset },
        'retry headers are broken; treating the record as a first delivery',
      );
      return firstDeliveryOrigin(record);
    }
  }

  private deliveryOf(record: InboundRecord, origin: RecordOrigin, heartbeat: () => Promise<void>): Delivery {
    return {
      record,
      origin,
      attempt: origin.priorAttempts + 1,
      ...(origin.firstFailureAt ? { firstFailureAt: origin.firstFailureAt } : {}),
      log: this.options.logger.child({
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
      }),
      heartbeat,
      signal: this.options.signal,
    };
  }
}
