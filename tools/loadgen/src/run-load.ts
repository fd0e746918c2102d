import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { VirtualUser, type VirtualUserHooks } from './client/virtual-user.js';
import { LatencyRecorder } from './latency/percentiles.js';
import { ChangeLedger } from './ledger/change-ledger.js';
import { Ledger } from './ledger/ledger.js';
import { resolveLoadOptions, type LoadOptions, type ResolvedLoadOptions } from './options/options.js';
import { PersistedProbe } from './persisted/persisted-probe.js';
import { planRooms, roomsOfUsers, senderOf } from './plan/plan.js';
import { openSchedule } from './plan/schedule.js';
import { buildReport, type LoadReport } from './report/report.js';
import { roomOutboxDrained } from './setup/room-outbox.js';
import { createRooms, mintTokens } from './setup/setup.js';

/** How often the scheduler wakes to send what is due: short, so sends leave close to their due time. */
const TICK_MS = 1;
const PROGRESS_EVERY_MS = 500;
const PERSISTENCE_POLL_MS = 3_000;
const SETTLE_POLL_MS = 100;
/** How often a change waits to see its message back at the sender. */
const CHANGE_POLL_MS = 20;
/** How long one batch of sockets may wait for the gateway to learn the new rooms' members. */
const MEMBERSHIP_WAIT_MS = 60_000;
/** Sockets opened at once while joining. */
const JOIN_BATCH = 50;
/** The longest the load waits for the room service to publish the new rooms' events. */
const ROOM_OUTBOX_WAIT_MS = 180_000;

const now = () => performance.now();

/** A message text of exactly `length` characters that says which message it is. */
export function messageText(index: number, length: number): string {
  const label = `m${index} `;
  return (label + 'x'.repeat(Math.max(0, length - label.length))).slice(0, length);
}

interface Run {
  options: ResolvedLoadOptions;
  ledger: Ledger;
  changes: ChangeLedger;
  users: VirtualUser[];
  roomIds: string[];
  probe: PersistedProbe | undefined;
}

/** Rooms drawn from one group of users per gateway when each room's members must share one. */
const groupsOf = (options: ResolvedLoadOptions): number =>
  options.roomsOnOneGateway ? options.gatewayUrls.length : 1;

async function setUp(options: ResolvedLoadOptions, ledger: Ledger, changes: ChangeLedger): Promise<Run> {
  const runId = randomBytes(4).toString('hex');
  const userIds = Array.from({ length: options.users }, (_, i) => `lg-${runId}-u${i}`);
  const plan = planRooms(options.users, options.rooms, options.membersPerRoom, groupsOf(options));
  const tokens = await mintTokens(options.gatewayUrls[0]!, userIds);
  const roomIds = await createRooms(
    options.roomApiUrl,
    plan.map(({ members }, room) => ({
      name: `loadgen ${runId} room ${room}`,
      idempotencyKey: `loadgen-${runId}-room-${room}`,
      creatorToken: tokens[members[0]!]!,
      memberIds: members.slice(1).map((user) => userIds[user]!),
    })),
  );
  const roomsOf = roomsOfUsers(options.users, plan);
  const hooks: VirtualUserHooks = {
    message: (message, userId, at) => {
      ledger.delivered(message.clientMessageId, message.messageId, userId, at);
      if (options.changeEvery > 0) changes.held(message, userId);
    },
    updated: (update, userId) => changes.updated(update, userId),
    error: (code: string) => ledger.error(code),
  };
  const users = userIds.map(
    (userId, i) =>
      new VirtualUser(
        userId,
        options.gatewayUrls[i % options.gatewayUrls.length]!,
        tokens[i]!,
        roomsOf[i]!.map((room) => roomIds[room]!),
        hooks,
        options.ackTimeoutMs,
        now,
      ),
  );
  for (let start = 0; start < users.length; start += JOIN_BATCH) {
    const deadline = Date.now() + MEMBERSHIP_WAIT_MS;
    await Promise.all(users.slice(start, start + JOIN_BATCH).map((user) => user.join(deadline)));
  }
  await roomOutboxDrained(options.roomApiUrl, ROOM_OUTBOX_WAIT_MS);
  const probe = options.mongoUrl ? await PersistedProbe.open(options.mongoUrl) : undefined;
  return { options, ledger, changes, users, roomIds, probe };
}

/** Offers the schedule's messages on time, without waiting for acks; resolves when all are offered (or on abort). */
async function offer(
  run: Run,
  start: number,
  sendUntil: number,
  lag: LatencyRecorder,
): Promise<Promise<void>[]> {
  const { options, ledger, users, roomIds } = run;
  const plan = planRooms(options.users, options.rooms, options.membersPerRoom, groupsOf(options));
  const schedule = openSchedule(options.ratePerSecond, options.durationMs);
  const sends: Promise<void>[] = [];
  let next = 0;
  while (next < schedule.total && !options.signal?.aborted) {
    const due = schedule.dueBy(now() - start);
    for (; next < due; next += 1) {
      const { room, user } = senderOf(next, plan);
      const roomId = roomIds[room]!;
      const clientMessageId = `c${next}`;
      const dueAt = start + schedule.dueAt(next);
      lag.record(now() - dueAt);
      ledger.offered({
        clientMessageId,
        roomId,
        dueAt,
        measured: schedule.dueAt(next) >= options.warmUpMs,
        members: options.membersPerRoom,
      });
      sends.push(
        users[user]!.send(
          roomId,
          clientMessageId,
          messageText(next, options.messageBytes),
          sendUntil,
          now,
        ).then(async (ack) => {
          if (!ack) return;
          ledger.acked(clientMessageId, ack.messageId, ack.status, now());
          if (options.changeEvery > 0 && Number(clientMessageId.slice(1)) % options.changeEvery === 0)
            await changeMessage(run, users[user]!, clientMessageId, ack.messageId, sendUntil);
        }),
      );
    }
    await sleep(TICK_MS);
  }
  return sends;
}

/**
 * Edits a message once its sender has it back (so the gateway can find it),
 * and deletes every second one of those after the edit's ack, each retried
 * with its own clientRequestId until acknowledged.
 */
async function changeMessage(
  run: Run,
  sender: VirtualUser,
  clientMessageId: string,
  messageId: string,
  until: number,
): Promise<void> {
  const { ledger, changes, options } = run;
  const tracked = ledger.tracked(clientMessageId)!;
  while (!tracked.seenBy.has(sender.userId) && now() < until) await sleep(CHANGE_POLL_MS);
  const text = `edited ${clientMessageId}`;
  changes.offered(messageId, tracked.members, 'edit', text);
  const deleting = Number(clientMessageId.slice(1)) % (2 * options.changeEvery) === 0;
  if (deleting) changes.offered(messageId, tracked.members, 'delete');
  const edited = await sender.change(tracked.roomId, messageId, `e-${clientMessageId}`, text, until, now);
  if (!edited) return;
  changes.acked(messageId, 'edit');
  if (!deleting) return;
  if (await sender.change(tracked.roomId, messageId, `d-${clientMessageId}`, undefined, until, now))
    changes.acked(messageId, 'delete');
}

/** Records what is stored; returns the extra documents (stored twice) seen in this poll. */
async function pollPersistence(run: Run): Promise<number> {
  if (!run.probe) return 0;
  const { persistedAt, extraDocuments, states } = await run.probe.stored(run.roomIds);
  for (const [messageId, at] of persistedAt) run.ledger.persisted(messageId, at);
  run.changes.storedStates(states);
  return extraDocuments;
}

/**
 * Runs one load: creates users and rooms through the real APIs, offers
 * `ratePerSecond` messages for `durationMs`, waits up to `settleTimeoutMs`
 * for every acked message to reach every member and MongoDB, and reports
 * rates, latencies, errors and the zero-loss account.
 */
export async function runLoad(input: LoadOptions): Promise<LoadReport> {
  const options = resolveLoadOptions(input);
  const ledger = new Ledger();
  const changes = new ChangeLedger();
  const run = await setUp(options, ledger, changes);
  const changesSettled = () => options.changeEvery === 0 || changes.settled(run.probe !== undefined);
  const startedAt = new Date();
  const start = now();
  const sendUntil = start + options.durationMs + options.settleTimeoutMs;

  let lastAcked = 0;
  const progress = setInterval(() => {
    const account = ledger.account(false);
    const errors = Object.values(ledger.errors).reduce((sum, n) => sum + n, 0);
    options.onProgress?.({
      elapsedMs: now() - start,
      sent: account.sent,
      acked: account.acked,
      ackedPerSecond: ((account.acked - lastAcked) * 1000) / PROGRESS_EVERY_MS,
      errors,
    });
    lastAcked = account.acked;
  }, PROGRESS_EVERY_MS);
  // One poll at a time: a slow database skips ticks instead of queueing polls behind each other.
  let polling: Promise<unknown> | undefined;
  const persistence = setInterval(() => {
    polling ??= pollPersistence(run)
      .catch(() => ledger.error('PERSISTENCE_PROBE_FAILED'))
      .finally(() => (polling = undefined));
  }, PERSISTENCE_POLL_MS);

  try {
    const lag = new LatencyRecorder();
    const sends = await offer(run, start, sendUntil, lag);
    const sent = Promise.all(sends);
    let sendsDone = false;
    void sent.then(() => (sendsDone = true));
    const settleBy = now() + options.settleTimeoutMs;
    while (now() < settleBy && !(sendsDone && ledger.settled(run.probe !== undefined) && changesSettled())) {
      await sleep(SETTLE_POLL_MS);
    }
    clearInterval(persistence);
    await polling;
    ledger.storedDuplicates(await pollPersistence(run));
    return {
      ...buildReport(ledger, options, {
        startedAt,
        durationMs: now() - start,
        clockOriginEpochMs: performance.timeOrigin,
      }),
      schedulerLag: lag.summary(),
      ...(options.changeEvery > 0 ? { changes: changes.account(run.probe !== undefined) } : {}),
    };
  } finally {
    clearInterval(progress);
    clearInterval(persistence);
    for (const user of run.users) user.close();
    await run.probe?.close();
  }
}
