import { performance } from 'node:perf_hooks';
import { ensureTopics } from '@chat/base-listener';
import { createEvent, serializeEvent } from '@chat/contracts';
import { uniqueName } from '@chat/testkit';
import { Kafka, Partitioners, logLevel, type Message } from 'kafkajs';
import { messageText } from '../run-load.js';

export interface RawProducerRun {
  brokers: string[];
  partitions: number;
  rooms: number;
  messageBytes: number;
  count: number;
  /** Messages per `sendBatch`, as the gateway's publisher batched them. */
  batchSize: number;
}

/** Batches queued at the producer at once. */
const BATCHES_HANDED_OVER = 4;
/** A W3C traceparent of the length the gateway's publisher adds to every record. */
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** The records the gateway would write: the same event type, text length and key spread. */
function records(run: RawProducerRun): Message[] {
  return Array.from({ length: run.count }, (_, index) => {
    const roomId = `room-${index % run.rooms}`;
    const event = createEvent(
      'chat.message.sent',
      {
        messageId: crypto.randomUUID(),
        roomId,
        senderId: `user-${index % 97}`,
        clientMessageId: `c${index}`,
        text: messageText(index, run.messageBytes),
        sentAt: new Date().toISOString(),
      },
      { correlationId: crypto.randomUUID(), idempotencyKey: `message:${index}` },
    );
    return { key: roomId, value: serializeEvent(event), headers: { traceparent: TRACEPARENT } };
  });
}

/**
 * A raw KafkaJS producer with the gateway's settings (idempotent, one
 * request in flight, acks from all replicas) writing the same records in
 * the same batch size to a fresh topic with the same partitions; msgs/s.
 */
export async function rawProducerRate(run: RawProducerRun): Promise<number> {
  const kafka = new Kafka({
    clientId: 'loadgen-raw-producer',
    brokers: run.brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const topic = uniqueName('loadgen-raw');
  await admin.connect();
  await ensureTopics(admin, [{ name: topic, partitions: run.partitions, config: {} }]);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    const messages = records(run);
    const batch = Math.max(1, Math.round(run.batchSize));
    const batches = Array.from({ length: Math.ceil(messages.length / batch) }, (_, i) =>
      messages.slice(i * batch, (i + 1) * batch),
    );
    // Like the gateway's publisher, the next batch is handed over before the last one is acked;
    // the producer still sends one request at a time.
    let next = 0;
    const lane = async () => {
      while (next < batches.length) {
        const messagesOfBatch = batches[next++]!;
        await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: messagesOfBatch }] });
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: BATCHES_HANDED_OVER }, lane));
    return (messages.length * 1000) / (performance.now() - started);
  } finally {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}
