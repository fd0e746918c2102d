/**
 * Persistence throughput, measured so machine noise cancels:
 *   worker — the real worker draining N messages from Kafka into MongoDB;
 *   R      — a native-driver bulkWrite of the same operations, same batch size, same server;
 *   naive  — one awaited mongoose insert per message.
 * The three run back to back in each of several rounds; every round gives
 * its own ratios, and the medians are what the targets are stated against.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { Connection } from 'mongoose';
import { createLogger } from '@chat/runtime';
import { uniqueName, waitFor } from '@chat/testkit';
import { chatModels, nativeCollection } from '@chat/message-store';
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
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = 1000;
const ROOMS = Array.from({ length: 50 }, (_, index) => `room-${index}`);

interface Round {
  worker: number;
  raw: number;
  naive: number;
  load: number;
}

const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Documents per second of the worker after its first flush (joining the group and the first fetch are start-up cost). */
async function workerRate(kafka: Kafka, admin: Admin, connection: Connection, round: number) {
  const streams = await isolatedStreams(admin, 6);
  await produceMessages(streams.messages, COUNT, ROOMS);
  // A fresh collection each round, so every writer inserts into an equally empty one.
  const models = chatModels(connection, {
    messages: `worker_${round}`,
    receipts: `worker_receipts_${round}`,
  });
  await models.Message.createIndexes();
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
  // Progress comes from the worker's own events: polling MongoDB would load the server under test.
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
  await worker.stop();
  await admin.deleteTopics({ topics: [streams.messages, streams.receipts] }).catch(() => undefined);
  return rate(COUNT - storedAtFirstFlush, lastFlushAt - firstFlushAt!);
}

async function rawRate(connection: Connection, round: number) {
  const raw = chatModels(connection, { messages: `raw_${round}`, receipts: `raw_receipts_${round}` });
  await raw.Message.createIndexes();
  const events = Array.from({ length: COUNT }, (_, index) =>
    messageEvent(ROOMS[index % ROOMS.length]!, index),
  );
  const started = performance.now();
  for (let start = 0; start < COUNT; start += BATCH) {
    const operations = events
      .slice(start, start + BATCH)
      .map((event, offset) => messageInsert(event, start + offset, new Date()));
    await nativeCollection(raw.Message).bulkWrite(operations, { ordered: false });
  }
  return rate(COUNT, performance.now() - started);
}

async function naiveRate(connection: Connection, round: number) {
  const naive = chatModels(connection, { messages: `naive_${round}`, receipts: `naive_receipts_${round}` });
  await naive.Message.createIndexes();
  const started = performance.now();
  for (let index = 0; index < NAIVE_COUNT; index += 1) {
    const event = messageEvent(ROOMS[index % ROOMS.length]!, index);
    await naive.Message.create({ ...messageInsert(event, index, new Date()).insertOne.document });
  }
  return rate(NAIVE_COUNT, performance.now() - started);
}

const kafka = new Kafka({
  clientId: 'persistence-bench',
  brokers: endpoints.kafkaBrokers,
  logLevel: logLevel.NOTHING,
});
const admin = kafka.admin();
await admin.connect();
const { connection } = await connectModels(databaseUrl(uniqueName('persist_bench').replaceAll('-', '_')));

const rounds: Round[] = [];
for (let round = 1; round <= ROUNDS; round += 1) {
  process.stdout.write(`round ${round}/${ROUNDS}: worker (${COUNT} from Kafka) ... `);
  const worker = await workerRate(kafka, admin, connection, round);
  process.stdout.write(`R (${COUNT}) ... `);
  const raw = await rawRate(connection, round);
  process.stdout.write(`naive (${NAIVE_COUNT}) ... `);
  const naive = await naiveRate(connection, round);
  const load = loadavg()[0]!;
  rounds.push({ worker, raw, naive, load });
  console.log(`worker/R ${(worker / raw).toFixed(2)}, worker/naive ${(worker / naive).toFixed(1)}`);
}

console.log(
  '\n| round | worker docs/s | R docs/s | naive docs/s | worker / R | worker / naive | load avg (1 min) |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [index, { worker, raw, naive, load }] of rounds.entries()) {
  console.log(
    `| ${index + 1} | ${worker} | ${raw} | ${naive} | ${(worker / raw).toFixed(2)} | ${(worker / naive).toFixed(1)} | ${load.toFixed(2)} |`,
  );
}
const toRaw = median(rounds.map(({ worker, raw }) => worker / raw));
const toNaive = median(rounds.map(({ worker, naive }) => worker / naive));
console.log(`\nmedian worker / R     = ${toRaw.toFixed(2)}  (target ≥ 0.85)`);
console.log(`median worker / naive = ${toNaive.toFixed(1)}  (target ≥ 10)`);

await connection.dropDatabase();
await connection.close();
await admin.disconnect();
