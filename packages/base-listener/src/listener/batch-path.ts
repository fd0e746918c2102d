import type { AnyEvent } from '@chat/contracts';
import {
  SpanKind,
  SpanStatusCode,
  type TracerProvider,
  context as contextApi,
  trace,
} from '@opentelemetry/api';
import { ATTR_MESSAGING_BATCH_MESSAGE_COUNT } from '@chat/telemetry/attributes';
import type { Logger } from 'pino';
import type { DownstreamBreaker } from '../breaker/breaker.js';
import { messageOf } from '../errors/errors.js';
import type { InboundRecord, RecordOrigin } from '../kafka/record.js';
import { TRACER_NAME } from '../tracing/middleware.js';
import { extractTraceContext } from '../tracing/propagation.js';
import { processAttributes } from '../tracing/record-span.js';
import type { HandlerContext } from './context.js';

/** One event of a run handed to `handleBatch`, with the context `handle` would have had. */
export interface BatchItem<E = AnyEvent> {
  readonly event: E;
  readonly context: HandlerContext;
}

export interface BatchPathOptions {
  groupId: string;
  tracerProvider: TracerProvider;
  breaker: DownstreamBreaker | undefined;
  logger: Logger;
  validate(record: InboundRecord): AnyEvent;
  accepts(type: string): boolean;
  handleBatch(items: readonly BatchItem[]): Promise<void>;
}

/**
 * The fast path of a listener whose effects are idempotent on their own: a
 * run of consecutive first deliveries of one partition applied by one
 * `handleBatch` call (one span linked to every producer's, through the
 * breaker). Anything else — a record that does not validate, a type the
 * listener skips, a retry — ends the run and takes the per-record pipeline,
 * and so does every record of a run that failed: its retries, DLQ and
 * breaker pause are exactly the per-record ones, and re-applying what the
 * failed run did is harmless by the listener's contract.
 */
export class BatchPath {
  private readonly tracer;

  constructor(private readonly options: BatchPathOptions) {
    this.tracer = options.tracerProvider.getTracer(TRACER_NAME);
  }

  /** The record's event when a run may take it; undefined leaves it to the per-record pipeline. */
  take(record: InboundRecord, origin: RecordOrigin): AnyEvent | undefined {
    if (origin.priorAttempts > 0 || origin.dueAt !== undefined) return undefined;
    try {
      const event = this.options.validate(record);
      return this.options.accepts(event.type) ? event : undefined;
    } catch {
      return undefined;
    }
  }

  /** Applies the run; false when any of it failed (the caller then takes its records one by one). */
  async apply(
    run: readonly { record: InboundRecord; event: AnyEvent }[],
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    const first = run[0]!.record;
    const span = this.tracer.startSpan(`${first.topic} process`, {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...processAttributes(first, this.options.groupId),
        [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: run.length,
      },
      links: run.flatMap(({ record }) => {
        const producer = trace.getSpanContext(extractTraceContext(record.headers, contextApi.active()));
        return producer ? [{ context: producer }] : [];
      }),
    });
    const log = this.options.logger.child({
      topic: first.topic,
      partition: first.partition,
      traceId: span.spanContext().traceId,
    });
    const items = run.map(({ record, event }): BatchItem => ({
      event,
      context: {
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        key: record.key?.toString('utf8'),
        attempt: 1,
        headers: record.headers,
        log,
        heartbeat,
      },
    }));
    const work = () => this.options.handleBatch(items);
    try {
      await contextApi.with(trace.setSpan(contextApi.active(), span), () =>
        this.options.breaker ? this.options.breaker.run(work) : work(),
      );
      return true;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
      log.warn(
        { err: messageOf(error), from: first.offset, records: run.length },
        'a batch failed; taking its records one by one',
      );
      return false;
    } finally {
      span.end();
    }
  }
}
