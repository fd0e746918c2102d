import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_BATCH_SIZE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_WRITE_OUTCOME,
  eventAttributes,
} from '@chat/telemetry';
import { startRecordSpan } from '@chat/base-listener';
import { type Link, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ChatModels } from '@chat/message-store';
import type { BufferedItem } from './buffered-item.js';

// Looked up per span, not at import: imports run before main.ts starts the SDK, and a tracer taken
// from a second copy of the API (ESM beside the SDK's CommonJS) before that would stay a no-op.
const tracer = () => trace.getTracer('@chat/persistence');

/** Where an item's document goes, for the write span's database attributes. */
interface WriteTarget {
  database: string;
  collectionOf(item: BufferedItem): string | undefined;
}

/**
 * The worker's spans, so one trace runs from the socket send to the
 * MongoDB write although the write is one bulk call for many events:
 *
 * - per event, a CONSUMER span in the event's own trace, from receipt to
 *   the commit of its offset (buffering shows as the time before its write);
 * - per flush, one span of its own linking every event it carries;
 * - per event, a CLIENT `bulkWrite` span, child of the event's span and
 *   linked to its flush, open while the bulk write that holds its document
 *   runs (retries included) and ended with what became of the document.
 */
export class EventTraces {
  private readonly received = new WeakMap<BufferedItem, Span>();
  private current: FlushTrace | undefined;

  constructor(
    private readonly groupId: string,
    private readonly target: WriteTarget,
  ) {}

  /** An event entered the buffer. */
  receive(item: BufferedItem): void {
    const span = startRecordSpan(tracer(), item.record, this.groupId);
    if (item.kind === 'poison') span.setAttribute(ATTR_ERROR_TYPE, item.error.name);
    else span.setAttributes(eventAttributes(item.event));
    this.received.set(item, span);
  }

  /** A flush of `items` starts writing. One flush runs at a time. */
  flushStarted(items: BufferedItem[], trigger: string): FlushTrace {
    const spans = items.flatMap((item) => {
      const span = this.received.get(item);
      return span ? [{ item, span }] : [];
    });
    this.current = new FlushTrace(spans, trigger, this.target);
    return this.current;
  }

  /** The flush under way failed before its commit: its events stay uncommitted. */
  flushFailed(error: unknown): void {
    this.current?.end(error);
    this.current = undefined;
  }
}

export class FlushTrace {
  private readonly flush: Span;
  private readonly writes = new Map<BufferedItem, Span>();
  private ended = false;

  constructor(
    private readonly events: { item: BufferedItem; span: Span }[],
    trigger: string,
    target: WriteTarget,
  ) {
    this.flush = tracer().startSpan(
      'persistence flush',
      {
        kind: SpanKind.INTERNAL,
        attributes: { 'chat.flush.trigger': trigger, [ATTR_DB_OPERATION_BATCH_SIZE]: events.length },
        links: events.map(({ span }): Link => ({ context: span.spanContext() })),
      },
      // A flush belongs to no one event's trace: it is a root, linked to all of them.
      ROOT_CONTEXT,
    );
    const perCollection = new Map<string, number>();
    for (const { item } of events) {
      const collection = target.collectionOf(item);
      if (collection) perCollection.set(collection, (perCollection.get(collection) ?? 0) + 1);
    }
    for (const { item, span } of events) {
      const collection = target.collectionOf(item);
      if (!collection) continue;
      const write = tracer().startSpan(
        `bulkWrite ${collection}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            [ATTR_DB_SYSTEM_NAME]: 'mongodb',
            [ATTR_DB_NAMESPACE]: target.database,
            [ATTR_DB_COLLECTION_NAME]: collection,
            [ATTR_DB_OPERATION_NAME]: 'bulkWrite',
            [ATTR_DB_OPERATION_BATCH_SIZE]: perCollection.get(collection)!,
            ...(item.kind === 'poison' ? {} : eventAttributes(item.event)),
          },
          links: [{ context: this.flush.spanContext() }],
        },
        trace.setSpan(ROOT_CONTEXT, span),
      );
      this.writes.set(item, write);
    }
  }

  /** Every document is stored or rejected for good. */
  written(rejected: { item: BufferedItem; error: Error }[]): void {
    const reasons = new Map(rejected.map(({ item, error }) => [item, error]));
    for (const [item, write] of this.writes) {
      const error = reasons.get(item);
      write.setAttribute(ATTR_WRITE_OUTCOME, error ? 'rejected' : 'stored');
      if (error) write.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      write.end();
    }
    this.writes.clear();
  }

  /** The flush is committed (`error` undefined) or failed; every span still open ends. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    const status = error
      ? { code: SpanStatusCode.ERROR, message: (error as Error)?.message ?? String(error) }
      : undefined;
    for (const write of this.writes.values()) {
      write.setAttribute(ATTR_WRITE_OUTCOME, 'failed');
      if (status) write.setStatus(status);
      write.end();
    }
    for (const { span } of this.events) {
      if (status) span.setStatus(status);
      span.end();
    }
    if (status) this.flush.setStatus(status);
    this.flush.end();
  }
}

/** Database and collections of the worker's models. */
export function writeTargetOf(models: ChatModels): WriteTarget {
  const messages = models.Message.collection.collectionName;
  const receipts = models.Receipt.collection.collectionName;
  return {
    database: models.Message.db.name,
    collectionOf: (item) =>
      item.kind === 'message' || item.kind === 'change'
        ? messages
        : item.kind === 'receipt'
          ? receipts
          : undefined,
  };
}
