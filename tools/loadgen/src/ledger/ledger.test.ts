import { describe, expect, it } from 'vitest';
import { Ledger } from './ledger.js';

const offer = (ledger: Ledger, id: string, members = 2) =>
  ledger.offered({ clientMessageId: id, roomId: 'r', dueAt: 0, measured: true, members });

describe('Ledger', () => {
  it('counts a clean run as clean', () => {
    const ledger = new Ledger();
    offer(ledger, 'c1');
    ledger.acked('c1', 'm1', 'accepted', 5);
    ledger.delivered('c1', 'm1', 'alice', 6);
    ledger.delivered('c1', 'm1', 'bob', 8);
    ledger.persisted('m1', 1_000);
    expect(ledger.settled(true)).toBe(true);
    expect(ledger.account(true)).toEqual({
      sent: 1,
      acked: 1,
      queued: 0,
      delivered: 1,
      persisted: 1,
      duplicatesShown: 0,
      duplicatesStored: 0,
      missingDelivered: 0,
      missingPersisted: 0,
    });
    expect([...ledger.messages()][0]?.deliveredAt).toBe(8);
  });

  it('counts a retried send once and keeps its first ack', () => {
    const ledger = new Ledger();
    offer(ledger, 'c1');
    ledger.acked('c1', 'm1', 'queued', 5);
    ledger.acked('c1', 'm1', 'accepted', 9);
    const account = ledger.account(false);
    expect(account).toMatchObject({ sent: 1, acked: 1, queued: 1 });
    expect([...ledger.messages()][0]?.ackedAt).toBe(5);
  });

  it('finds duplicates shown and what acked messages miss', () => {
    const ledger = new Ledger();
    offer(ledger, 'c1');
    offer(ledger, 'c2');
    ledger.acked('c1', 'm1', 'accepted', 1);
    ledger.acked('c2', 'm2', 'accepted', 1);
    ledger.delivered('c1', 'm1', 'alice', 2);
    ledger.delivered('c1', 'm1', 'alice', 3);
    ledger.storedDuplicates(2);
    expect(ledger.settled(false)).toBe(false);
    expect(ledger.account(true)).toMatchObject({
      delivered: 0,
      duplicatesShown: 1,
      duplicatesStored: 2,
      missingDelivered: 2,
      missingPersisted: 2,
    });
  });

  it('does not count a message nobody acked as missing, and learns its id from a delivery', () => {
    const ledger = new Ledger();
    offer(ledger, 'c1', 1);
    ledger.delivered('c1', 'm1', 'alice', 2);
    ledger.persisted('m1', 10);
    ledger.error('UNAVAILABLE');
    ledger.error('UNAVAILABLE');
    expect(ledger.account(true)).toMatchObject({ acked: 0, delivered: 1, persisted: 1, missingDelivered: 0 });
    expect(ledger.errors).toEqual({ UNAVAILABLE: 2 });
  });
});
