import { Counter, Gauge, Histogram, register, type Registry } from 'prom-client';

export interface WorkerMetrics {
  bufferSize: Gauge;
  flushDuration: Histogram<'trigger'>;
  documents: Counter<'collection' | 'outcome'>;
  eventToPersisted: Histogram;
}

const created = new WeakMap<Registry, WorkerMetrics>();

/**
 * The worker's own metrics; consumer lag, paused state, DLQ counts and
 * processed-by-outcome come from the kit's listener metrics.
 * Registered once per registry, so several workers in one process (tests) share them. */
export function workerMetrics(registry: Registry = register): WorkerMetrics {
  const existing = created.get(registry);
  if (existing) return existing;
  const metrics: WorkerMetrics = {
    bufferSize: new Gauge({
      name: 'persistence_buffer_size',
      help: 'Events buffered, waiting to be written',
      registers: [registry],
    }),
    flushDuration: new Histogram({
      name: 'persistence_flush_duration_seconds',
      help: 'Time to write and commit one flush, by what triggered it',
      labelNames: ['trigger'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    documents: new Counter({
      name: 'persistence_documents_written_total',
      help: 'Documents by collection and outcome (written, duplicate, rejected, retried)',
      labelNames: ['collection', 'outcome'],
      registers: [registry],
    }),
    eventToPersisted: new Histogram({
      name: 'persistence_event_to_persisted_seconds',
      help: 'From the event occurring at its producer to its document being written',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
  created.set(registry, metrics);
  return metrics;
}
