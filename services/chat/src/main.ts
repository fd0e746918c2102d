import { createKafka, deleteInstanceGroup } from '@chat/base-listener';
import { MembershipViewListener, createMembershipView, mongoMembershipSource } from '@chat/membership';
import { collectProcessMetrics, createLogger, onShutdown } from '@chat/runtime';
import { startTelemetry } from '@chat/telemetry';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { Registry } from 'prom-client';
import { chatConfigFromEnv } from './config.js';
import { createGateway } from './gateway.js';

const logger = createLogger('chat');
// First, so every span of the process (the Kafka publisher's included) reaches its exporter. The send path
// passes its trace context across awaits itself, so no promise in the process pays for carrying it.
const telemetry = startTelemetry({ serviceName: 'chat', logger, contextPropagation: 'synchronous' });
const config = chatConfigFromEnv();
collectProcessMetrics();

// The membership view of the room service: Redis first, MongoDB on a miss, kept current from room events.
const viewRedis = new Redis(config.endpoints.redisUrl, {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 1_000,
});
viewRedis.on('error', () => undefined);
const viewConnection = await mongoose.createConnection(config.endpoints.mongoUrl).asPromise();
const view = createMembershipView({
  redis: viewRedis,
  source: mongoMembershipSource(viewConnection),
  logger,
});
// One registry for the gateway and every listener of this process: /metrics merges it with the
// default one (process metrics), and a name registered in both would make that merge fail.
const registry = new Registry();
const viewGroupId = `chat-gateway-membership.${config.instanceId}`;
const viewListener = new MembershipViewListener(view, {
  groupId: viewGroupId,
  topic: config.roomEventsTopic,
  brokers: config.endpoints.kafkaBrokers,
  logger,
  registry,
});

const gateway = createGateway(config, {
  logger,
  registry,
  membership: view,
  onMembershipChange: (forget) => view.onChange(({ roomId }) => forget(roomId)),
});
view.onChange((change) => gateway.membershipChanged(change));
viewListener.events.on('dead', ({ reason }) => gateway.markDead(reason));
await gateway.start();
await viewListener.start();
const port = await gateway.listen(config.http.port);
logger.info({ port, instanceId: config.instanceId }, 'chat gateway listening');

onShutdown(
  logger,
  async () => {
    await gateway.stop();
    await viewListener.stop();
    const kafka = createKafka({ brokers: config.endpoints.kafkaBrokers, clientId: viewGroupId, logger });
    await deleteInstanceGroup(kafka, viewGroupId, logger);
    await viewConnection.close();
    viewRedis.disconnect();
    await telemetry.shutdown();
  },
  config.drainTimeoutMs,
);
