import { TOPICS } from '@chat/contracts';
import { Listener, type HandlerContext } from '@chat/base-listener';
import type { Logger } from '@chat/runtime';
import type { Registry } from 'prom-client';
import type { RoomEvent, MembershipView } from './view.js';

export const ROOM_EVENT_TYPES = [
  'room.created',
  'room.member.added',
  'room.member.removed',
  'room.renamed',
  'room.archived',
  'room.sender.blocked',
  'room.sender.unblocked',
] as const satisfies readonly RoomEvent['type'][];

export interface MembershipListenerOptions {
  /**
   * Consumer group. Give every gateway instance its own (e.g. with the pod
   * name in it) when each must hear every change to kick its own sockets;
   * share one when the instances fan out through the Socket.IO adapter.
   */
  groupId: string;
  /** @defaultValue room.events.v1 */
  topic?: string;
  /** @defaultValue endpointsFromEnv().kafkaBrokers */
  brokers?: string[];
  /**
   * Where a new group starts. A gateway needs changes from now on: whatever
   * happened earlier is read from MongoDB on a cache miss.
   * @defaultValue false
   */
  fromBeginning?: boolean;
  logger?: Logger;
  /** Where its metrics go; share the service's own so `/metrics` shows one family per name. @defaultValue prom-client's default registry */
  registry?: Registry;
}

/**
 * Keeps the membership view current from room events, on the reliability
 * kit's Listener (retries, dead letters, metrics, lag, health, manual
 * commits). No idempotency store: applying an event reloads the room from
 * MongoDB, which is the same however often it happens.
 */
export class MembershipViewListener extends Listener<RoomEvent['type']> {
  constructor(
    private readonly view: MembershipView,
    options: MembershipListenerOptions,
  ) {
    super({
      name: 'membership-view',
      groupId: options.groupId,
      topics: [options.topic ?? TOPICS.roomEvents],
      eventTypes: ROOM_EVENT_TYPES,
      fromBeginning: options.fromBeginning ?? false,
      idempotency: { enabled: false },
      ...(options.brokers ? { brokers: options.brokers } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
    });
  }

  protected async handle(event: RoomEvent, _context: HandlerContext): Promise<void> {
    await this.view.apply(event);
  }
}
