import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { ChatMessage } from '@chat/contracts';
import type { Redis } from 'ioredis';
import { type Consumer, type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';
import { baselineServers, userOfToken } from './http.js';

/**
 * The capacity benchmark's limit: the gateway's work per message with the
 * same libraries and nothing else. A send costs one pipelined Redis round
 * trip (rate-limit counter, idempotency reservation, membership) and one
 * KafkaJS record, batched as the kit batches (one idempotent, acks=all send
 * in flight; everything published meanwhile rides the next). One consumer
 * reads the topic and delivers each record to the room's sockets (the
 * recent cache is written outside the gateway, by the persistence worker's
 * process, as on the platform). No validation
 * beyond types, no tracing, no metrics, no backup queue: whatever the
 * gateway costs above this is the platform's own machinery. It speaks
 * enough of the protocol (dev tokens, room creation, `resume`, `send`) for
 * the load generator to drive it unchanged. Tokens are unsigned: a
 * benchmark fixture, never a server to expose.
 */
export interface MinimalGatewayOptions {
  kafka: Kafka;
  redis: Redis;
  topic: string;
  /** Prefix of this run's Redis keys and consumer groups. */
  namespace: string;
}

const RESERVATION_PX = 15_000;

export async function startMinimalGateway(
  options: MinimalGatewayOptions,
): Promise<{ http: HttpServer; stop(): Promise<void> }> {
  const { kafka, redis, topic, namespace } = options;
  const membersKey = (roomId: string) => `${namespace}:members:${roomId}`;
  const { http, io } = baselineServers(async (roomId, members) => {
    await redis.sadd(membersKey(roomId), ...members);
  });

  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const publish = batchingSend(producer, topic);

  io.on('connection', (socket) => {
    const userId = userOfToken(socket.handshake.auth.token);
    if (!userId) return void socket.disconnect(true);
    socket.on('resume', ({ rooms }, ack) => {
      void Promise.all(rooms.map(({ roomId }) => redis.sismember(membersKey(roomId), userId))).then(
        (answers) => {
          const joined = rooms.filter((_, i) => answers[i] === 1);
          void socket.join(joined.map(({ roomId }) => roomId));
          ack({ rooms: joined.map(({ roomId }) => ({ roomId })) });
        },
      );
    });
    socket.on('send', ({ roomId, clientMessageId, text }, ack) => {
      const second = Math.floor(Date.now() / 1000);
      const rateKey = `${namespace}:rl:${userId}:${second}`;
      const reservation = `${namespace}:send:${userId}:${clientMessageId}`;
      void redis
        .pipeline()
        .incr(rateKey)
        .pexpire(rateKey, 2_000)
        .set(reservation, 'pending', 'PX', RESERVATION_PX, 'NX')
        .sismember(membersKey(roomId), userId)
        .exec()
        .then(async (results) => {
          if (results?.[3]?.[1] !== 1)
            return ack({ error: { code: 'NOT_A_MEMBER', message: 'not a member', retryable: false } });
          const messageId = randomUUID();
          const message = {
            messageId,
            roomId,
            senderId: userId,
            clientMessageId,
            text,
            sentAt: new Date().toISOString(),
          };
          await publish({ key: roomId, value: JSON.stringify(message) });
          redis.set(reservation, 'accepted', 'EX', 86_400).catch(() => undefined);
          ack({ messageId, status: 'accepted' });
        })
        .catch(() => ack({ error: { code: 'UNAVAILABLE', message: 'unavailable', retryable: true } }));
    });
  });

  const delivery = await consume(kafka, `${namespace}.delivery`, topic, async (records) => {
    for (const { roomId, message } of records) io.to(roomId).emit('message', message);
  });

  return {
    http,
    async stop() {
      io.close();
      await delivery.disconnect();
      await producer.disconnect();
    },
  };
}

interface DeliveredRecord {
  roomId: string;
  message: ChatMessage;
}

/** One consumer of its own group from the topic's end, handing each fetched batch over at once. */
async function consume(
  kafka: Kafka,
  groupId: string,
  topic: string,
  handle: (records: DeliveredRecord[]) => Promise<void>,
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const records = batch.messages.map((record) => {
        const message = {
          ...(JSON.parse(String(record.value)) as ChatMessage),
          position: Number(record.offset),
        };
        return { roomId: message.roomId, message };
      });
      await handle(records);
    },
  });
  return consumer;
}

/** The kit's batching: one send in flight, everything queued meanwhile leaves together in the next. */
function batchingSend(producer: Producer, topic: string): (message: Message) => Promise<void> {
  let queue: { message: Message; settle: (error?: unknown) => void }[] = [];
  let sending = false;
  const flush = async () => {
    if (sending || queue.length === 0) return;
    sending = true;
    const batch = queue;
    queue = [];
    try {
      await producer.send({ topic, acks: -1, messages: batch.map(({ message }) => message) });
      for (const item of batch) item.settle();
    } catch (error) {
      for (const item of batch) item.settle(error);
    }
    sending = false;
    void flush();
  };
  return (message) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ message, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      if (queue.length === 1) setImmediate(() => void flush());
    });
}
