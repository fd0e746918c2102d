import { chatMessage } from '@chat/testkit/events';
import { describe, expect, it } from 'vitest';
import { ChangeLedger } from './change-ledger.js';

const message = chatMessage(1, 'r', 'm1');
const edit = (position: number, text: string) =>
  ({ roomId: 'r', messageId: 'm1', position, change: 'edited', text, at: message.sentAt }) as const;
const deletion = (position: number) =>
  ({ roomId: 'r', messageId: 'm1', position, change: 'deleted', at: message.sentAt }) as const;

describe('ChangeLedger', () => {
  it('counts an edit and a delete shown by every member and stored as clean', () => {
    const ledger = new ChangeLedger();
    ledger.offered('m1', 2, 'edit', 'new');
    ledger.offered('m1', 2, 'delete');
    for (const member of ['alice', 'bob']) ledger.held(message, member);
    ledger.acked('m1', 'edit');
    ledger.acked('m1', 'delete');
    for (const member of ['alice', 'bob']) {
      ledger.updated(edit(2, 'new'), member);
      ledger.updated(deletion(3), member);
    }
    expect(ledger.settled()).toBe(false);
    ledger.storedStates(new Map([['m1', { text: '', deleted: true }]]));
    expect(ledger.settled()).toBe(true);
    expect(ledger.account()).toEqual({
      offered: 2,
      acked: 2,
      missingShown: 0,
      missingStored: 0,
      disagreeing: 0,
      duplicatesShown: 0,
      unstored: [],
    });
  });

  it('counts an acked edit a member missed, a repeated update and a store that disagrees', () => {
    const ledger = new ChangeLedger();
    ledger.offered('m1', 2, 'edit', 'new');
    ledger.held(message, 'alice');
    ledger.held(message, 'bob');
    ledger.acked('m1', 'edit');
    ledger.updated(edit(2, 'new'), 'alice');
    ledger.updated(edit(2, 'new'), 'alice');
    ledger.storedStates(new Map([['m1', { text: 'new', deleted: false }]]));
    expect(ledger.account()).toMatchObject({
      missingShown: 1,
      missingStored: 0,
      disagreeing: 1,
      duplicatesShown: 1,
      unstored: ['m1'],
    });
  });
});
