/**
 * What one consumed record costs this instance's delivery path, by outcome:
 * realistic envelopes (`createEvent`, 200-character texts, a traceparent
 * header) fed straight to `DeliveryRecords.handle`, the code the delivery
 * consumer runs per record, with OpenTelemetry started as a gateway starts
 * it without an exporter. Pure CPU, no servers; KafkaJS's own fetch and
 * batch decoding (paid for every record by every instance) is not in it.
 * Prints µs per record, the median of BENCH_ROUNDS rounds.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createEvent, parseEvent, type AnyEvent } from '@chat/contracts';
import { createLogger } from '@chat/runtime';
import { startTelemetry } from '@chat/telemetry';
import { consumedRecord } from '@chat/testkit/events';
import type { KafkaMessage } from 'kafkajs';
import { Server } from 'socket.io';
import { PublishedEvents, type EventDecoder } from '../src/decoding/published-events.js';
import { heldDecoder } from '../src/delivery/decode-record.js';
import { DeliveryRecords, type RecordSource } from '../src/delivery/delivery-records.js';
import { RoomWindows } from '../src/delivery/room-windows.js';
import { socketRoom, type ChatServer } from '../src/socket/handlers.js';
import { localRooms } from '../src/socket/local-rooms.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROOMS = Number(process.env.BENCH_ROOMS ?? 200);
const WINDOW = 500;

const telemetry = startTelemetry({ serviceName: 'bench-delivery' });
const logger = createLogger('bench-delivery', 'silent');
const text = 'x'.repeat(200);
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const record = (event: AnyEvent & { payload: { roomId: string } }, offset: number): KafkaMessage =>
  consumedRecord(event, offset, { traceparent: Buffer.from(traceparent) });

function messages(prefix: string): KafkaMessage[] {
  return Array.from({ length: RECORDS }, (_, index) => {
    const messageId = crypto.randomUUID();
    const event = createEvent(
      'chat.message.sent',
      {
        messageId,
        roomId: `${prefix}-${index % ROOMS}`,
        senderId: `user-${index % 97}`,
        clientMessageId: `c-${index}`,
        text,
        sentAt: new Date().toISOString(),
      },
      { correlationId: crypto.randomUUID(), idempotencyKey: messageId },
    );
    return record(event, index);
  });
}

function receipts(prefix: string): KafkaMessage[] {
  return Array.from({ length: RECORDS }, (_, index) =>
    record(
      createEvent(
        'chat.receipt.updated',
        {
          roomId: `${prefix}-${index % ROOMS}`,
          messageId: crypto.randomUUID(),
          userId: `user-${index % 97}`,
          status: 'read',
          at: new Date().toISOString(),
        },
        { correlationId: crypto.randomUUID(), idempotencyKey: `receipt-${index}` },
      ),
      index,
    ),
  );
}

// The gateway's own answer to "has this room a socket here": a Socket.IO adapter with one socket in every local room.
const io: ChatServer = new Server();
io.sockets.adapter.addAll(
  'bench-socket',
  new Set(Array.from({ length: ROOMS }, (_, i) => socketRoom(`local-${i}`))),
);
const hasLocalSockets = localRooms(io);

/** A fresh instance's delivery path: its rooms with a socket are the `local-` ones. */
function instance(decode: EventDecoder = parseEvent) {
  const windows = new RoomWindows(WINDOW, heldDecoder(logger, decode));
  windows.setPartitionStarts(new Map([[0, 0]]), 1);
  const records = new DeliveryRecords({
    windows,
    sink: { message: () => undefined, update: () => undefined, receipt: () => undefined },
    hasLocalSockets,
    decode,
    logger,
  });
  return { windows, records };
}

const source = (kind: RecordSource['kind']): RecordSource => ({
  topic: kind,
  kind,
  partition: 0,
  groupId: 'bench',
});
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function timed(work: () => void): number {
  const started = performance.now();
  work();
  return ((performance.now() - started) * 1000) / RECORDS;
}

// Made once: every round feeds the same records to a fresh instance.
const local = { messages: messages('local'), receipts: receipts('local') };
const foreign = { messages: messages('foreign'), receipts: receipts('foreign') };
/** The local messages as this instance remembers what it published itself. */
const publishedHere = new PublishedEvents(undefined, RECORDS);
for (const { value } of local.messages) publishedHere.remember(parseEvent(value!), value!);

/** A case that feeds `batch` of `kind` records to a fresh instance and times it. */
const feeding = (
  name: string,
  batch: KafkaMessage[],
  kind: 'messages' | 'receipts',
  decode?: EventDecoder,
) => ({
  name,
  run: () => {
    const { records } = instance(decode);
    return timed(() => batch.forEach((r) => records.handle(source(kind), r)));
  },
});

const cases: { name: string; run: () => number }[] = [
  feeding('local room, message (decoded)', local.messages, 'messages'),
  feeding('local room, message published here', local.messages, 'messages', (value) =>
    publishedHere.decode(value),
  ),
  feeding('local room, receipt (decoded)', local.receipts, 'receipts'),
  feeding('foreign room, message (held)', foreign.messages, 'messages'),
  feeding('foreign room, receipt (skipped)', foreign.receipts, 'receipts'),
  {
    name: 'held, then read on a join (per held record)',
    run: () => {
      const { records, windows } = instance();
      const batch = foreign.messages;
      batch.forEach((r) => records.handle(source('messages'), r));
      const held = Math.min(RECORDS, ROOMS * WINDOW);
      const started = performance.now();
      for (let room = 0; room < ROOMS; room++) windows.view(`foreign-${room}`);
      return ((performance.now() - started) * 1000) / held;
    },
  },
];

console.log(
  `delivery records: ${RECORDS} records × ${ROUNDS} rounds, ${ROOMS} rooms, window ${WINDOW}, load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' / ')}`,
);
for (const { name, run } of cases) {
  run(); // warm-up: the JIT and the first allocations are not the steady state
  const rounds = Array.from({ length: ROUNDS }, run);
  console.log(
    `${name.padEnd(46)} ${median(rounds).toFixed(2).padStart(7)} µs/record  (rounds ${rounds.map((r) => r.toFixed(2)).join(', ')})`,
  );
}
await telemetry.shutdown();
