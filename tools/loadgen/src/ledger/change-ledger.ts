import { applyMessageUpdate, type ChatMessage, type MessageUpdate } from '@chat/contracts';

/** The edits and deletes of a run: nothing acked lost, nothing applied twice, one final state everywhere. */
export interface ChangeAccount {
  /** Edits and deletes offered. */
  offered: number;
  /** Of those, acknowledged (accepted or queued). */
  acked: number;
  /** Messages with an acked change that some member does not show (or does not hold) at the end. */
  missingShown: number;
  /** Messages with an acked change the store does not reflect at the end. */
  missingStored: number;
  /** Changed messages whose final state differs between a member and the store. */
  disagreeing: number;
  /** An update shown twice to one member (the same position again), per extra copy. */
  duplicatesShown: number;
  /** Up to ten messages the store does not reflect or disagrees on, to trace through the topic. */
  unstored: string[];
}

export type FinalState = Pick<ChatMessage, 'text'> & { deleted: boolean };

interface PlannedChange {
  members: number;
  edit?: { text: string; acked: boolean };
  delete?: { acked: boolean };
}

const stateOf = (message: ChatMessage): FinalState => ({
  text: message.text,
  deleted: message.deleted ?? false,
});
const same = (a: FinalState, b: FinalState) => a.text === b.text && a.deleted === b.deleted;

/**
 * Bookkeeping of edits and deletes, beside the message ledger: what each
 * member shows of every changed message (its messages with the updates it
 * received applied, as a page does), and what the store holds.
 */
export class ChangeLedger {
  private readonly planned = new Map<string, PlannedChange>();
  private readonly views = new Map<string, Map<string, ChatMessage>>();
  private readonly seen = new Set<string>();
  private stored = new Map<string, FinalState>();
  private offeredCount = 0;
  private duplicates = 0;

  /** A member received a message (live or caught up, in the state it has then); later copies are ignored. */
  held(message: ChatMessage, memberId: string): void {
    let view = this.views.get(message.messageId);
    if (!view) this.views.set(message.messageId, (view = new Map()));
    if (!view.has(memberId)) view.set(memberId, message);
  }

  updated(update: MessageUpdate, memberId: string): void {
    const key = `${memberId}\n${update.roomId}\n${update.position}`;
    if (this.seen.has(key)) {
      this.duplicates += 1;
      return;
    }
    this.seen.add(key);
    const view = this.views.get(update.messageId);
    const held = view?.get(memberId);
    if (view && held) view.set(memberId, applyMessageUpdate(held, update));
  }

  offered(messageId: string, members: number, kind: 'edit' | 'delete', text = ''): void {
    this.offeredCount += 1;
    const planned = this.planned.get(messageId) ?? { members };
    if (kind === 'edit') planned.edit = { text, acked: false };
    else planned.delete = { acked: false };
    this.planned.set(messageId, planned);
  }

  acked(messageId: string, kind: 'edit' | 'delete'): void {
    const change = kind === 'edit' ? this.planned.get(messageId)?.edit : this.planned.get(messageId)?.delete;
    if (change) change.acked = true;
  }

  /** The store's final state of the run's messages (from the persisted probe). */
  storedStates(states: ReadonlyMap<string, FinalState>): void {
    this.stored = new Map(states);
  }

  /** Every acked change shown by every member and (when the store is checked) stored. */
  settled(persistence = true): boolean {
    const account = this.account(persistence);
    return account.missingShown === 0 && account.missingStored === 0;
  }

  account(persistence = true): ChangeAccount {
    const account: ChangeAccount = {
      offered: this.offeredCount,
      acked: 0,
      missingShown: 0,
      missingStored: 0,
      disagreeing: 0,
      duplicatesShown: this.duplicates,
      unstored: [],
    };
    for (const [messageId, planned] of this.planned) {
      account.acked += Number(planned.edit?.acked ?? false) + Number(planned.delete?.acked ?? false);
      const reflects = (state: FinalState | undefined): boolean => {
        if (!state) return false;
        if (planned.delete?.acked) return state.deleted && state.text === '';
        // A delete never acked may still have been applied: then the tombstone is the right end too.
        if (planned.delete && state.deleted) return true;
        return !planned.edit?.acked || state.text === planned.edit.text;
      };
      const members = [...(this.views.get(messageId)?.values() ?? [])].map(stateOf);
      const anyAcked = planned.edit?.acked || planned.delete?.acked;
      if (anyAcked && (members.length < planned.members || !members.every(reflects)))
        account.missingShown += 1;
      const stored = this.stored.get(messageId);
      const missing = persistence && anyAcked && !reflects(stored);
      const disagreeing = stored !== undefined && members.some((state) => !same(state, stored));
      account.missingStored += Number(missing);
      account.disagreeing += Number(disagreeing);
      if ((missing || disagreeing) && account.unstored.length < 10) account.unstored.push(messageId);
    }
    return account;
  }
}
