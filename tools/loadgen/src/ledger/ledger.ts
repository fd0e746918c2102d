/**
 * The zero-loss account: every message the run offers, by clientMessageId,
 * with when it was due, acked, delivered to each member and persisted. Pure
 * bookkeeping; the sockets and the database probe feed it. A retried send
 * keeps its clientMessageId and so stays one entry.
 */
export interface ZeroLossAccount {
  /** Distinct messages offered. */
  sent: number;
  /** Messages with a successful ack (accepted or queued). */
  acked: number;
  /** Of those, acked as `queued` (in the gateway's backup queue). */
  queued: number;
  /** Messages every member of the room received. */
  delivered: number;
  /** Messages found in MongoDB. */
  persisted: number;
  /** A message shown twice to one member, counted per extra copy. */
  duplicatesShown: number;
  /** Extra stored documents for one (sender, clientMessageId). */
  duplicatesStored: number;
  /** Acked but not received by every member within the settle timeout. */
  missingDelivered: number;
  /** Acked but not in MongoDB within the settle timeout (0 when the check is off). */
  missingPersisted: number;
}

export interface TrackedMessage {
  clientMessageId: string;
  roomId: string;
  /** On the run's monotonic clock (ms). */
  dueAt: number;
  /** Counted in rates and latencies (false during warm-up). */
  measured: boolean;
  members: number;
  messageId?: string;
  status?: 'accepted' | 'queued';
  ackedAt?: number;
  seenBy: Set<string>;
  /** When the last member received it. */
  deliveredAt?: number;
  /** Wall-clock ms of the stored document's persistedAt. */
  persistedAtEpoch?: number;
}

export class Ledger {
  private readonly byClientId = new Map<string, TrackedMessage>();
  private readonly byMessageId = new Map<string, TrackedMessage>();
  private duplicatesShown = 0;
  private duplicatesStored = 0;
  readonly errors: Record<string, number> = {};

  offered(message: Omit<TrackedMessage, 'seenBy'>): void {
    this.byClientId.set(message.clientMessageId, { ...message, seenBy: new Set() });
  }

  /** The first successful ack counts; a retry's ack (same messageId) changes nothing. */
  acked(clientMessageId: string, messageId: string, status: 'accepted' | 'queued', at: number): void {
    const message = this.byClientId.get(clientMessageId);
    if (!message || message.ackedAt !== undefined) return;
    message.messageId = messageId;
    message.status = status;
    message.ackedAt = at;
    this.byMessageId.set(messageId, message);
  }

  delivered(clientMessageId: string, messageId: string, memberId: string, at: number): void {
    const message = this.byClientId.get(clientMessageId);
    if (!message) return;
    if (message.seenBy.has(memberId)) {
      this.duplicatesShown += 1;
      return;
    }
    message.seenBy.add(memberId);
    if (message.messageId === undefined) {
      message.messageId = messageId;
      this.byMessageId.set(messageId, message);
    }
    if (message.seenBy.size === message.members) message.deliveredAt = at;
  }

  persisted(messageId: string, persistedAtEpoch: number): void {
    const message = this.byMessageId.get(messageId);
    if (message && message.persistedAtEpoch === undefined) message.persistedAtEpoch = persistedAtEpoch;
  }

  storedDuplicates(extraDocuments: number): void {
    this.duplicatesStored += extraDocuments;
  }

  error(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }

  tracked(clientMessageId: string): TrackedMessage | undefined {
    return this.byClientId.get(clientMessageId);
  }

  messages(): IterableIterator<TrackedMessage> {
    return this.byClientId.values();
  }

  /** Every acked message delivered everywhere and, when `persistence` is checked, stored. */
  settled(persistence: boolean): boolean {
    for (const message of this.byClientId.values()) {
      if (message.ackedAt === undefined) continue;
      if (message.deliveredAt === undefined) return false;
      if (persistence && message.persistedAtEpoch === undefined) return false;
    }
    return true;
  }

  account(persistence: boolean): ZeroLossAccount {
    const account: ZeroLossAccount = {
      sent: this.byClientId.size,
      acked: 0,
      queued: 0,
      delivered: 0,
      persisted: 0,
      duplicatesShown: this.duplicatesShown,
      duplicatesStored: this.duplicatesStored,
      missingDelivered: 0,
      missingPersisted: 0,
    };
    for (const message of this.byClientId.values()) {
      const acked = message.ackedAt !== undefined;
      if (acked) account.acked += 1;
      if (message.status === 'queued') account.queued += 1;
      if (message.deliveredAt !== undefined) account.delivered += 1;
      else if (acked) account.missingDelivered += 1;
      if (message.persistedAtEpoch !== undefined) account.persisted += 1;
      else if (acked && persistence) account.missingPersisted += 1;
    }
    return account;
  }
}
