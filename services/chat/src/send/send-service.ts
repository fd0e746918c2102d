import { setTimeout as sleep } from 'node:timers/promises';
import type { DownstreamBreaker } from '@chat/base-listener';
import { createEvent, type AnyEvent, type SendAccepted, type SendRequest } from '@chat/contracts';
import { logIdsOf, type Logger } from '@chat/runtime';
import type { Context } from '@opentelemetry/api';
import type { BackupQueue } from '../backup-queue/backup-queue.js';
import type { MembershipCheck } from '../membership/membership.js';
import { refuse, refuseSend } from '../socket/errors.js';
import { messageIdOf } from './message-id.js';
import { withTimeout, type EventPublisher } from './publisher-port.js';
import { reservationKey, type Reservation, type SendReservations, type SendStatus } from './reservation.js';

export type SendOutcome = 'accepted' | 'queued' | 'duplicate' | 'unavailable';

/** Spends the sender's rate limit for one send; rejects with RATE_LIMITED when it is spent. */
export type SendCharge = () => Promise<void>;

/** The request a send belongs to: its correlation id, and the trace its publish continues. */
export interface SendOperation {
  correlationId: string;
  trace?: Context;
}

export interface PublishOnceOptions {
  onOutcome?: (outcome: SendOutcome) => void;
  /** The first reservation; a send takes it together with its checks. */
  reserveFirst?: () => Promise<Reservation>;
  /** The trace the publish continues. @defaultValue none: the record starts its own */
  trace?: Context;
}

export interface SendServiceDeps {
  membership: MembershipCheck;
  reservations: SendReservations;
  publisher: EventPublisher;
  breaker: DownstreamBreaker;
  backup: BackupQueue;
  topic: string;
  sendTimeoutMs: number;
  logger: Logger;
  onOutcome?: (outcome: SendOutcome) => void;
}

/** How long a retry waits for an attempt still in flight (on any instance) before answering UNAVAILABLE. */
const IN_FLIGHT_WAIT_MS = 5_000;

/**
 * The write path after validation: rate limit, membership and reservation
 * together → Kafka through the breaker, or the backup queue → status.
 * The sender is always the authenticated user.
 */
export class SendService {
  private readonly inFlight = new Map<string, Promise<SendAccepted>>();

  constructor(private readonly deps: SendServiceDeps) {}

  async send(
    senderId: string,
    request: SendRequest,
    operation: SendOperation,
    charge: SendCharge,
  ): Promise<SendAccepted> {
    const messageId = messageIdOf(senderId, request.roomId, request.clientMessageId);
    const key = reservationKey(messageId);
    const running = this.inFlight.get(key);
    if (running) {
      // The same message from the same sender: the first attempt checks membership, a repeat still pays.
      await charge();
      return running;
    }
    const attempt = this.attempt(key, messageId, senderId, request, operation, charge).finally(() =>
      this.inFlight.delete(key),
    );
    this.inFlight.set(key, attempt);
    return attempt;
  }

  private async attempt(
    key: string,
    messageId: string,
    senderId: string,
    request: SendRequest,
    { correlationId, trace }: SendOperation,
    charge: SendCharge,
  ): Promise<SendAccepted> {
    const status = await this.publishOnce(
      key,
      () =>
        createEvent(
          'chat.message.sent',
          {
            messageId,
            roomId: request.roomId,
            senderId,
            clientMessageId: request.clientMessageId,
            text: request.text,
            sentAt: new Date().toISOString(),
          },
          // The same message published twice carries the same key: consumers apply it once.
          { correlationId, idempotencyKey: `message:${messageId}` },
        ),
      {
        onOutcome: this.deps.onOutcome,
        reserveFirst: () => this.admit(key, senderId, request.roomId, charge),
        trace,
      },
    );
    return { messageId, status };
  }

  /**
   * The rate limit, the membership check and the reservation, issued in one
   * tick: ioredis sends whatever of them is not answered in memory as one
   * pipeline, so a send waits on one Redis round trip before its publish. A
   * refused send gives back the reservation it took; the rate limit's
   * refusal comes first, as when the checks ran one after the other.
   */
  private async admit(
    key: string,
    senderId: string,
    roomId: string,
    charge: SendCharge,
  ): Promise<Reservation> {
    const [charged, access, reservation] = await Promise.allSettled([
      charge(),
      this.deps.membership.sendAccess(roomId, senderId),
      this.deps.reservations.reserve(key),
    ]);
    const reserved: Reservation =
      reservation.status === 'fulfilled' ? reservation.value : { kind: 'unavailable' };
    const refusal: unknown =
      charged.status === 'rejected'
        ? charged.reason
        : access.status === 'rejected'
          ? access.reason
          : access.value !== 'allowed'
            ? refuseSend(access.value)
            : undefined;
    if (refusal === undefined) return reserved;
    if (reserved.kind === 'new') this.deps.reservations.release(key);
    throw refusal;
  }

  /**
   * Publishes the event `build` makes once per reservation `key`: a repeat
   * answers the first attempt's status, an attempt in flight (on any
   * instance) is waited for, a failure gives the key back. Edits and deletes
   * take the same path as sends, so they queue behind queued messages.
   */
  async publishOnce(
    key: string,
    build: () => AnyEvent,
    options: PublishOnceOptions = {},
  ): Promise<SendStatus> {
    const { onOutcome, reserveFirst = () => this.deps.reservations.reserve(key), trace } = options;
    const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
    for (let first = true; ; first = false) {
      const reservation = await (first ? reserveFirst() : this.deps.reservations.reserve(key));
      if (reservation.kind === 'done') {
        onOutcome?.('duplicate');
        return reservation.status;
      }
      if (reservation.kind === 'in-flight') {
        if (Date.now() > deadline) throw refuse('UNAVAILABLE');
        await sleep(50);
        continue;
      }
      const reserved = reservation.kind === 'new';
      const status = await this.deliver(build(), trace);
      if (status === undefined) {
        if (reserved) this.deps.reservations.release(key);
        onOutcome?.('unavailable');
        throw refuse('UNAVAILABLE');
      }
      if (reserved) this.deps.reservations.complete(key, status);
      onOutcome?.(status);
      return status;
    }
  }

  /** Kafka first (unless it is known down or queued messages wait), the backup queue second; undefined when both fail. */
  private async deliver(event: AnyEvent, trace: Context | undefined): Promise<SendStatus | undefined> {
    const { publisher, breaker, backup } = this.deps;
    const kafkaUsable = () => publisher.connected && breaker.state !== 'open';
    const publish = () =>
      breaker.run(() =>
        withTimeout(publisher.publish([event], this.deps.topic, trace), this.deps.sendTimeoutMs, 'publish'),
      );
    // Written after awaits, where the active context is no longer the send's: its ids are named here, when a line is.
    const ids = () => ({ ...(trace && logIdsOf(trace)), correlationId: event.correlationId });
    if (!backup.backlog && kafkaUsable()) {
      try {
        await publish();
        return 'accepted';
      } catch (error) {
        this.deps.logger.warn(
          { ...ids(), err: (error as Error).message },
          'publish failed; queueing the message',
        );
      }
    }
    try {
      await backup.push(event);
      return 'queued';
    } catch (error) {
      this.deps.logger.warn({ ...ids(), err: (error as Error).message }, 'backup queue unavailable');
    }
    // Redis is down while messages were queued: Kafka alone is still better than refusing.
    if (backup.backlog && kafkaUsable()) {
      try {
        await publish();
        return 'accepted';
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}
