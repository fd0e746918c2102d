import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the gateway's gauges read when scraped. */
export interface GatewayReadings {
  /** The share of new sends being shed now, from 0 to 1. */
  shedShare: () => number;
}

/** The gateway's own metrics, on the registry it is given (one per instance in tests). */
export function gatewayMetrics(registry: Registry, readings: GatewayReadings) {
  return {
    shedShare: new Gauge({
      name: 'chat_send_shed_share',
      help: 'Share of new sends refused with OVERLOADED because the event loop runs late (0 to 1)',
      registers: [registry],
      collect() {
        this.set(readings.shedShare());
      },
    }),
    connections: new Gauge({
      name: 'chat_socket_connections',
      help: 'Open Socket.IO connections',
      registers: [registry],
    }),
    sends: new Counter({
      name: 'chat_sends_total',
      help: 'Sends by outcome (accepted, queued, duplicate, refused, overloaded, unavailable)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    ackSeconds: new Histogram({
      name: 'chat_send_ack_seconds',
      help: 'From a send arriving to its ack',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
    deliverySeconds: new Histogram({
      name: 'chat_delivery_seconds',
      help: 'From sentAt to the emit to receivers on this instance',
      buckets: [0.005, 0.01, 0.015, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
    deliveryRecords: new Counter({
      name: 'chat_delivery_records_total',
      help: 'Records the delivery consumer read, by topic and outcome (decoded; held raw: no socket here; skipped: a receipt with no socket here)',
      labelNames: ['topic', 'outcome'],
      registers: [registry],
    }),
    feedPublished: new Counter({
      name: 'chat_delivery_feed_published_total',
      help: 'Records this instance published to room feeds as the owner of their partition, by topic (room-feeds delivery)',
      labelNames: ['topic'],
      registers: [registry],
    }),
    feedRestarts: new Counter({
      name: 'chat_delivery_feed_restarts_total',
      help: 'Room feeds started over because frames were lost (a gap in the owner chain, or a reconnect of the subscription); their sockets resumed',
      registers: [registry],
    }),
    decodes: new Counter({
      name: 'chat_event_decodes_total',
      help: 'Message records the delivery consumer decoded, by source (published: an event this instance sent, taken without a parse; parsed)',
      labelNames: ['source'],
      registers: [registry],
    }),
    backupDepth: new Gauge({
      name: 'chat_backup_queue_depth',
      help: 'Messages waiting in the Redis backup queue',
      registers: [registry],
    }),
    recoveries: new Counter({
      name: 'chat_recoveries_total',
      help: 'Room catch-ups on resume, by source',
      labelNames: ['source'],
      registers: [registry],
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;
