import { setTimeout as sleep } from 'node:timers/promises';
import { parseEvent } from '@chat/contracts';
import { nativeCollection, type ChatModels } from '@chat/message-store';
import { bulkWriteOutcomes, bulkWriteResult } from '../writer/bulk-writer.js';
import {
  changeLogId,
  changeLogInsert,
  messageChange,
  messageInsert,
  parkedChange,
  receiptUpsert,
  type ChangeEvent,
} from '../writer/operations.js';
import type { WriteOutcome } from '../writer/write-outcome.js';
import type { BufferedItem } from './buffered-item.js';

export interface Resolution {
  written: number;
  duplicates: number;
  /** Items the server rejected for good, with why: they go to the DLQ. */
  rejected: { item: BufferedItem; error: Error }[];
  /** Write attempts beyond the first. */
  retries: number;
  /** Changes kept until their message is stored (where each is), and parked changes applied now that it is. */
  parked: { roomId: string; messageId: string; position: number }[];
  unparked: number;
}

export interface ResolveOptions {
  models: ChatModels;
  /** Runs each attempt (the breaker): may reject without running while MongoDB is known to be down. */
  guard: <T>(work: () => Promise<T>) => Promise<T>;
  delayOf: (retry: number) => number;
  signal: AbortSignal;
  onRetry: (retry: number, pending: number, error: unknown) => void;
}

/**
 * Writes every item until each one is stored, already stored, or rejected
 * for good, retrying only what failed. While MongoDB is down this waits
 * (with backoff, through the breaker) rather than giving up, so the caller
 * never commits past an unwritten event. Aborting leaves nothing half-done
 * that matters: writes are idempotent and nothing was committed.
 */
export async function writeUntilResolved(
  items: BufferedItem[],
  options: ResolveOptions,
): Promise<Resolution> {
  const resolution: Resolution = {
    written: 0,
    duplicates: 0,
    rejected: [],
    retries: 0,
    parked: [],
    unparked: 0,
  };
  let pending: BufferedItem[] = items.filter((item) => item.kind !== 'poison');
  while (pending.length > 0) {
    let outcomes: WriteOutcome[] | undefined;
    let failure: unknown;
    try {
      outcomes = await options.guard(() => writeOnce(pending, options.models, resolution));
    } catch (error) {
      failure = error;
    }
    const retry: BufferedItem[] = [];
    pending.forEach((item, index) => {
      const outcome: WriteOutcome = outcomes?.[index] ?? { kind: 'retry', error: failure as Error };
      if (outcome.kind === 'written') resolution.written += 1;
      else if (outcome.kind === 'duplicate') resolution.duplicates += 1;
      else if (outcome.kind === 'rejected') resolution.rejected.push({ item, error: outcome.error });
      else retry.push(item);
    });
    pending = retry;
    if (pending.length === 0) break;
    resolution.retries += 1;
    options.onRetry(resolution.retries, pending.length, failure ?? (outcomes && 'some documents failed'));
    await sleep(options.delayOf(resolution.retries), undefined, { signal: options.signal });
  }
  return resolution;
}

/** One attempt: messages and receipts go to their collections in parallel; outcomes come back in input order. */
async function writeOnce(
  items: BufferedItem[],
  models: ChatModels,
  counts: Pick<Resolution, 'parked' | 'unparked'>,
): Promise<WriteOutcome[]> {
  const now = new Date();
  const messages: { operation: ReturnType<typeof messageInsert>; index: number }[] = [];
  const receipts: { operation: ReturnType<typeof receiptUpsert>; index: number }[] = [];
  items.forEach((item, index) => {
    if (item.kind === 'message')
      messages.push({ operation: messageInsert(item.event, item.position, now), index });
    if (item.kind === 'receipt') receipts.push({ operation: receiptUpsert(item.event), index });
  });
  const [messageOutcomes, receiptOutcomes] = await Promise.all([
    bulkWriteOutcomes(
      nativeCollection(models.Message),
      messages.map(({ operation }) => operation),
      { duplicateMeansStored: true },
    ),
    // Two upserts of a new receipt can race to insert it: the loser retries and then updates.
    bulkWriteOutcomes(
      nativeCollection(models.Receipt),
      receipts.map(({ operation }) => operation),
      { duplicateMeansStored: false },
    ),
  ]);
  const outcomes: WriteOutcome[] = new Array(items.length);
  messages.forEach(({ index }, position) => (outcomes[index] = messageOutcomes[position]!));
  receipts.forEach(({ index }, position) => (outcomes[index] = receiptOutcomes[position]!));
  await confirmDuplicates(items, outcomes, models);
  await confirmReceiptRooms(items, outcomes, models);
  counts.unparked += await applyParkedChanges(items, outcomes, models);
  counts.parked.push(...(await writeChanges(items, outcomes, models)));
  return outcomes;
}

/**
 * Applies the parked changes of the messages this flush stored (or found
 * stored), then forgets them. They are older than any change in this flush,
 * so they go first; a change's filters make applying it twice harmless, so a
 * failure in between only repeats work. Returns how many were applied.
 */
async function applyParkedChanges(
  items: BufferedItem[],
  outcomes: WriteOutcome[],
  models: ChatModels,
): Promise<number> {
  const stored = items.flatMap((item, index) =>
    item.kind === 'message' && ['written', 'duplicate'].includes(outcomes[index]!.kind)
      ? [item.event.payload.messageId]
      : [],
  );
  if (stored.length === 0) return 0;
  const parked = await nativeCollection(models.ParkedChange)
    .find({ messageId: { $in: stored } })
    .toArray();
  if (parked.length === 0) return 0;
  const { outcomes: applied } = await bulkWriteResult(
    nativeCollection(models.Message),
    parked.map(({ event, position }) => messageChange(parseEvent(event) as ChangeEvent, position)),
    { duplicateMeansStored: false },
  );
  const done = parked.filter((_, at) => applied[at]!.kind === 'written').map(({ _id }) => _id);
  await nativeCollection(models.ParkedChange).deleteMany({ _id: { $in: done } });
  return done.length;
}

/**
 * Edits and deletes, after the flush's messages: a change and its message
 * share a partition, so the message is in this flush or an earlier one, and
 * it is stored by now unless its insert must be retried; then the changes
 * wait for the retry too, so none is applied to a message not stored yet.
 * The change log comes first: a change already logged at another position
 * is a re-published copy and is not applied again (its first copy was, and
 * a later edit may have followed it); logged at this very position, it is a
 * redelivery, and applying it again is harmless. A change whose message is
 * not stored is parked until it is. Returns where the parked ones are.
 */
async function writeChanges(
  items: BufferedItem[],
  outcomes: WriteOutcome[],
  models: ChatModels,
): Promise<Resolution['parked']> {
  const changes = items.flatMap((item, index) => (item.kind === 'change' ? [{ item, index }] : []));
  if (changes.length === 0) return [];
  const messageRetried = items.some(
    (item, index) => item.kind === 'message' && outcomes[index]?.kind === 'retry',
  );
  if (messageRetried) {
    const error = new Error('waiting for the messages of this flush to be stored');
    for (const { index } of changes) outcomes[index] = { kind: 'retry', error };
    return [];
  }
  const logged = await bulkWriteOutcomes(
    nativeCollection(models.Change),
    changes.map(({ item }) => changeLogInsert(item.event, item.position)),
    { duplicateMeansStored: true },
  );
  const firstPositions = await storedPositions(
    changes.filter((_, at) => logged[at]!.kind === 'duplicate').map(({ item }) => changeLogId(item.event)),
    models,
  );
  const apply = changes.filter(({ item, index }, at) => {
    const outcome = logged[at]!;
    outcomes[index] = outcome;
    if (outcome.kind === 'written') return true;
    return outcome.kind === 'duplicate' && firstPositions.get(changeLogId(item.event)) === item.position;
  });
  const { outcomes: updated, matched } = await bulkWriteResult(
    nativeCollection(models.Message),
    apply.map(({ item }) => messageChange(item.event, item.position)),
    { duplicateMeansStored: false },
  );
  apply.forEach(({ index }, at) => {
    if (updated[at]!.kind !== 'written') outcomes[index] = updated[at]!;
  });
  // Every change matched its message (the usual case): none can be waiting for it.
  if (matched === apply.length) return [];
  return parkWithoutMessage(
    apply.filter(({ index }) => outcomes[index]!.kind === 'written').map(({ item }) => item),
    models,
  );
}

/** Parks the changes whose message is not stored; the others matched, or were already applied or superseded. */
async function parkWithoutMessage(
  changes: Extract<BufferedItem, { kind: 'change' }>[],
  models: ChatModels,
): Promise<Resolution['parked']> {
  if (changes.length === 0) return [];
  const ids = [...new Set(changes.map(({ event }) => event.payload.messageId))];
  const stored = new Set(
    (
      await nativeCollection(models.Message)
        .find({ _id: { $in: ids } }, { projection: { _id: 1 } })
        .toArray()
    ).map(({ _id }) => String(_id)),
  );
  const waiting = changes.filter(({ event }) => !stored.has(event.payload.messageId));
  if (waiting.length === 0) return [];
  await nativeCollection(models.ParkedChange).bulkWrite(
    waiting.map(({ event, position }) => parkedChange(event, position)),
    { ordered: false },
  );
  return waiting.map(({ event, position }) => ({
    roomId: event.payload.roomId,
    messageId: event.payload.messageId,
    position,
  }));
}

async function storedPositions(ids: string[], models: ChatModels): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const stored = await nativeCollection(models.Change)
    .find({ _id: { $in: ids } }, { projection: { _id: 1, position: 1 } })
    .toArray();
  return new Map(stored.map((document) => [String(document._id), document.position]));
}
/**
 * A receipt upsert that clashed on `_id` is a race two new receipts ran
 * (retry: the loser then updates), unless the stored receipt names another
 * room: then no retry can ever succeed, and it is a real rejection (DLQ).
 */
async function confirmReceiptRooms(
  items: BufferedItem[],
  outcomes: WriteOutcome[],
  models: ChatModels,
): Promise<void> {
  const retried = items.flatMap((item, index) =>
    item.kind === 'receipt' && outcomes[index]?.kind === 'retry'
      ? [{ id: `${item.event.payload.messageId}:${item.event.payload.userId}`, item, index }]
      : [],
  );
  if (retried.length === 0) return;
  const stored = await nativeCollection(models.Receipt)
    .find({ _id: { $in: retried.map(({ id }) => id) } }, { projection: { _id: 1, roomId: 1 } })
    .toArray()
    .catch(() => []);
  const roomOf = new Map(stored.map((document) => [String(document._id), document.roomId]));
  for (const { id, item, index } of retried) {
    const room = roomOf.get(id);
    if (item.kind === 'receipt' && room !== undefined && room !== item.event.payload.roomId) {
      outcomes[index] = {
        kind: 'rejected',
        error: new Error(`receipt ${id} names a room other than the one its stored receipt belongs to`),
      };
    }
  }
}

/**
 * A duplicate key on a message is "already stored" only when its messageId
 * is the stored one; a different message clashing on (room, position) is a
 * real rejection and must reach the DLQ, not vanish.
 */
async function confirmDuplicates(
  items: BufferedItem[],
  outcomes: WriteOutcome[],
  models: ChatModels,
): Promise<void> {
  const claimed = items.flatMap((item, index) =>
    item.kind === 'message' && outcomes[index]?.kind === 'duplicate'
      ? [{ id: item.event.payload.messageId, index }]
      : [],
  );
  if (claimed.length === 0) return;
  const stored = new Set(
    (
      await nativeCollection(models.Message)
        .find({ _id: { $in: claimed.map(({ id }) => id) } }, { projection: { _id: 1 } })
        .toArray()
    ).map((document) => String(document._id)),
  );
  for (const { id, index } of claimed) {
    if (!stored.has(id)) {
      outcomes[index] = {
        kind: 'rejected',
        error: new Error(`message ${id} clashes with another message at the same room position`),
      };
    }
  }
}
