/**
 * Persistence throughput in one run, so machine noise cancels:
 *   worker — the real worker draining N messages from Kafka into MongoDB;
 *   R      — a native-driver bulkWrite of the same operations, same batch size, same server;
 *   naive  — one awaited mongoose insert per message.
 * Prints documents per second and the ratios the targets are stated in.
 */
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { createLogger } from '@chat/runtime';
import { waitFor } from '@chat/testkit';
import { chatModels, nativeCollection } from '../src/store/models.js';
import { messageInsert } from '../src/writer/operations.js';
import {
  connectModels,
  databaseUrl,
  endpoints,
  isolatedStreams,
  messageEvent,
  produceMessages,
  quietLogger,
} from '../test/support.js';
import { PersistenceWorker } from '../src/worker/persistence-worker.js';

const COUNT = Number(process.env.BENCH_MESSAGES ?? 20_000);
const NAIVE_COUNT = Math.min(COUNT, Number(process.env.BENCH_NAIVE_MESSAGES ?? 2_000));
const BATCH = 1000;
const ROOMS = Array.from({ length: 50 }, (_, index) => `room-${index}`);

const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);
const kafka = new Kafka({
  clientId: 'persistence-bench',
  brokers: endpoints.kafkaBrokers,
  logLevel: logLevel.NOTHING,
});
const admin = kafka.admin();
await admin.connect();
const streams = await isolatedStreams(admin, 6);
const { connection, models } = await connectModels(databaseUrl(streams.database));

console.log(`producing ${COUNT} messages over ${ROOMS.length} rooms to ${streams.messages} ...`);
await produceMessages(streams.messages, COUNT, ROOMS);

console.log('worker: draining Kafka into MongoDB ...');
const worker = new PersistenceWorker({
  kafka,
  models,
  logger: process.env.BENCH_VERBOSE ? createLogger('bench', 'info') : quietLogger,
  groupId: streams.groupId,
  topics: [streams.messages],
  flushMaxEvents: BATCH,
  flushIntervalMs: 250,
  bufferMaxEvents: 5 * BATCH,
  retryInitialDelayMs: 200,
  retryMaxDelayMs: 5000,
});
// Sustained rate: from the end of the first flush (the group join and first fetch are start-up cost) to
// the last document. Progress comes from the worker's own events: polling MongoDB would load the server
// under test during this phase only.
let firstFlushAt: number | undefined;
let storedAtFirstFlush = 0;
let stored = 0;
let lastFlushAt = 0;
worker.events.on('delivery', ({ result }) => {
  if (result !== 'success') return;
  stored += 1;
  lastFlushAt = performance.now();
});
worker.events.once('delivery', () => {
  firstFlushAt = performance.now();
  queueMicrotask(() => (storedAtFirstFlush = stored));
});
await worker.start();
await waitFor('every message stored', () => stored >= COUNT, { timeoutMs: 600_000, intervalMs: 50 });
const workerMs = lastFlushAt - firstFlushAt!;
const workerCount = COUNT - storedAtFirstFlush;
await worker.stop();

console.log('R: native bulkWrite of the same operations ...');
const raw = chatModels(connection, {
  messages: `${streams.database}_raw`,
  receipts: `${streams.database}_raw_receipts`,
});
await raw.Message.createIndexes();
const events = Array.from({ length: COUNT }, (_, index) => messageEvent(ROOMS[index % ROOMS.length]!, index));
const rawStarted = performance.now();
for (let start = 0; start < COUNT; start += BATCH) {
  const operations = events
    .slice(start, start + BATCH)
    .map((event, offset) => messageInsert(event, start + offset, new Date()));
  await nativeCollection(raw.Message).bulkWrite(operations, { ordered: false });
}
const rawMs = performance.now() - rawStarted;

console.log(`naive: ${NAIVE_COUNT} awaited mongoose inserts ...`);
const naive = chatModels(connection, {
  messages: `${streams.database}_naive`,
  receipts: `${streams.database}_naive_receipts`,
});
await naive.Message.createIndexes();
const naiveStarted = performance.now();
for (const [index, event] of events.slice(0, NAIVE_COUNT).entries()) {
  await naive.Message.create({ ...messageInsert(event, index, new Date()).insertOne.document });
}
const naiveMs = performance.now() - naiveStarted;

const workerRate = rate(workerCount, workerMs);
const rawRate = rate(COUNT, rawMs);
const naiveRate = rate(NAIVE_COUNT, naiveMs);
console.log('\n| writer | documents | seconds | documents/s |');
console.log('| --- | ---: | ---: | ---: |');
console.log(
  `| worker, after its first flush | ${workerCount} | ${(workerMs / 1000).toFixed(2)} | ${workerRate} |`,
);
console.log(
  `| R: native bulkWrite, batches of ${BATCH} | ${COUNT} | ${(rawMs / 1000).toFixed(2)} | ${rawRate} |`,
);
console.log(
  `| naive: one mongoose insert each | ${NAIVE_COUNT} | ${(naiveMs / 1000).toFixed(2)} | ${naiveRate} |`,
);
console.log(`\nworker / R     = ${(workerRate / rawRate).toFixed(2)}  (target ≥ 0.85)`);
console.log(`worker / naive = ${(workerRate / naiveRate).toFixed(1)}  (target ≥ 10)`);

await connection.dropDatabase();
await connection.close();
await admin.deleteTopics({ topics: [streams.messages, streams.receipts] }).catch(() => undefined);
await admin.disconnect();
