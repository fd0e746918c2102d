import type { ChangeAccount } from '../ledger/change-ledger.js';
import type { Ledger, ZeroLossAccount } from '../ledger/ledger.js';
import { LatencyRecorder, type PercentilePoint, type Percentiles } from '../latency/percentiles.js';
import type { ResolvedLoadOptions } from '../options/options.js';

export type { Percentiles, PercentilePoint, ZeroLossAccount };

/** What `onProgress` gets about twice a second. */
export interface LoadProgress {
  elapsedMs: number;
  sent: number;
  acked: number;
  /** Acks per second over the last interval. */
  ackedPerSecond: number;
  errors: number;
}

/** The options as run, without callbacks and with secrets (none today) left out. */
export type ReportedOptions = Omit<ResolvedLoadOptions, 'onProgress' | 'signal'>;

export type LatencyKind = 'ack' | 'delivered' | 'persisted';

export interface LoadReport {
  options: ReportedOptions;
  startedAt: string;
  /** From the first due send to the end of the settle phase. */
  durationMs: number;
  /** Measured (post warm-up) acks per second of the offering window. */
  acceptedPerSecond: number;
  /** Measured messages offered per second (what the schedule asked for). */
  offeredPerSecond: number;
  latency: Record<LatencyKind, Percentiles>;
  /** Points of each latency's percentile curve, for plots. */
  curves: Record<LatencyKind, PercentilePoint[]>;
  errors: Record<string, number>;
  account: ZeroLossAccount;
  /** The edits' and deletes' account, when the run made any (`changeEvery`). */
  changes?: ChangeAccount;
  /** Whether MongoDB was checked (a `mongoUrl` was given). */
  persistenceChecked: boolean;
  /** How late the generator emitted sends against their due time: large values mean the generator, not the platform, was the bottleneck. */
  schedulerLag?: Percentiles;
}

export interface RunTiming {
  startedAt: Date;
  durationMs: number;
  /** Epoch ms of the run clock's 0 (performance.timeOrigin), to compare with database timestamps. */
  clockOriginEpochMs: number;
}

/** Folds the ledger into the report: latencies from each message's due time, rates over the measured window. */
export function buildReport(ledger: Ledger, options: ResolvedLoadOptions, timing: RunTiming): LoadReport {
  const recorders = {
    ack: new LatencyRecorder(),
    delivered: new LatencyRecorder(),
    persisted: new LatencyRecorder(),
  };
  let measuredOffered = 0;
  let measuredAcked = 0;
  for (const message of ledger.messages()) {
    if (!message.measured) continue;
    measuredOffered += 1;
    if (message.ackedAt !== undefined) {
      measuredAcked += 1;
      recorders.ack.record(message.ackedAt - message.dueAt);
    }
    if (message.deliveredAt !== undefined) recorders.delivered.record(message.deliveredAt - message.dueAt);
    if (message.persistedAtEpoch !== undefined) {
      recorders.persisted.record(message.persistedAtEpoch - (timing.clockOriginEpochMs + message.dueAt));
    }
  }
  const measuredSeconds = (options.durationMs - options.warmUpMs) / 1000;
  const persistence = options.mongoUrl !== undefined;
  const { onProgress: _onProgress, signal: _signal, ...reported } = options;
  return {
    options: reported,
    startedAt: timing.startedAt.toISOString(),
    durationMs: Math.round(timing.durationMs),
    acceptedPerSecond: Math.round(measuredAcked / measuredSeconds),
    offeredPerSecond: Math.round(measuredOffered / measuredSeconds),
    latency: {
      ack: recorders.ack.summary(),
      delivered: recorders.delivered.summary(),
      persisted: recorders.persisted.summary(),
    },
    curves: {
      ack: recorders.ack.curve(),
      delivered: recorders.delivered.curve(),
      persisted: recorders.persisted.curve(),
    },
    errors: { ...ledger.errors },
    account: ledger.account(persistence),
    persistenceChecked: persistence,
  };
}

/** Nothing acked was lost and nothing was doubled: messages, and edits and deletes when the run made any. */
export function isClean(account: ZeroLossAccount, changes?: ChangeAccount): boolean {
  const changesClean =
    !changes ||
    (changes.missingShown === 0 &&
      changes.missingStored === 0 &&
      changes.disagreeing === 0 &&
      changes.duplicatesShown === 0);
  return (
    changesClean &&
    account.missingDelivered === 0 &&
    account.missingPersisted === 0 &&
    account.duplicatesShown === 0 &&
    account.duplicatesStored === 0
  );
}
