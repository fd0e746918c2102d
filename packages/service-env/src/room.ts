import { TOPICS } from '@chat/contracts';
import type { EnvTable } from './table.js';

/** The room service's variables (services/room/src/config.ts; docs/configuration.md). */
export const ROOM_ENV = {
  host: { name: 'HOST', default: '0.0.0.0', role: 'host' },
  port: { name: 'PORT', default: 3002, role: 'port' },
  bodyLimitBytes: { name: 'HTTP_BODY_LIMIT_BYTES', default: 16_384 },
  /** The chat page (served by the gateway) calls this API from the browser. */
  corsOrigins: { name: 'ROOM_CORS_ORIGINS', default: '', originsOf: 'chat' },
  dispatcherEnabled: { name: 'DISPATCHER_ENABLED', default: true },
  dispatchTickMs: { name: 'DISPATCH_TICK_MS', default: 1_000 },
  dispatchBatchSize: { name: 'DISPATCH_BATCH_SIZE', default: 256 },
  dispatchMaxAttempts: { name: 'DISPATCH_MAX_ATTEMPTS', default: 10 },
  dispatchLeaseMs: { name: 'DISPATCH_LEASE_MS', default: 15_000 },
  dispatchBackoffBaseMs: { name: 'DISPATCH_BACKOFF_BASE_MS', default: 200 },
  dispatchBackoffMaxMs: { name: 'DISPATCH_BACKOFF_MAX_MS', default: 30_000 },
  dispatchKeepSent: { name: 'DISPATCH_KEEP_SENT', default: 10 },
  dispatchMaxRoomBacklog: { name: 'DISPATCH_MAX_ROOM_BACKLOG', default: 500 },
  eventsTopic: { name: 'ROOM_EVENTS_TOPIC', default: TOPICS.roomEvents, namespaced: 'topic' },
  dispatcherId: { name: 'DISPATCHER_ID' },
  sagaLeaseMs: { name: 'SAGA_LEASE_MS', default: 15_000 },
  sagaRecoveryIntervalMs: { name: 'SAGA_RECOVERY_INTERVAL_MS', default: 2_000 },
  sagaMaxAttempts: { name: 'SAGA_MAX_ATTEMPTS', default: 3 },
  drainTimeoutMs: { name: 'DRAIN_TIMEOUT_MS', default: 10_000 },
} as const satisfies EnvTable;
