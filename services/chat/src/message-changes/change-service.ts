import {
  createEvent,
  type AnyEvent,
  type ChangeAccepted,
  type DeleteRequest,
  type EditRequest,
} from '@chat/contracts';
import type { RoomWindows } from '../delivery/room-windows.js';
import type { HistoryService } from '../history/history.js';
import type { MembershipCheck } from '../membership/membership.js';
import { changeIdOf } from '../send/message-id.js';
import type { SendReservations } from '../send/reservation.js';
import type { SendService } from '../send/send-service.js';
import { refuse, refuseSend } from '../socket/errors.js';
import { changeRefusal, type ChangeKind } from './permission.js';

const targetOf = ({ messageId, roomId, clientRequestId }: DeleteRequest) => ({
  messageId,
  roomId,
  clientRequestId,
});

/** A change's idempotency key: its deterministic id, which names user, kind, room, message and clientRequestId. */
export const changeReservationKey = (changeId: string): string => `chat:change:${changeId}`;

/**
 * Edits and deletes: who may (the sender; an owner or admin deletes any),
 * then the event on the room's messages topic through the send path (its
 * reservation, breaker and backup queue), so a retry with the same
 * clientRequestId changes the message once. The message is looked up as it
 * stands now: this instance's window first, then the cache and the store.
 */
export class MessageChangeService {
  constructor(
    private readonly deps: {
      membership: MembershipCheck;
      sends: SendService;
      reservations: SendReservations;
      windows: RoomWindows;
      history: HistoryService;
    },
  ) {}

  edit(userId: string, request: EditRequest, correlationId: string): Promise<ChangeAccepted> {
    return this.publish('edit', userId, request, (at, idempotencyKey) =>
      createEvent(
        'chat.message.edited',
        { ...targetOf(request), editorId: userId, text: request.text, editedAt: at },
        { correlationId, idempotencyKey },
      ),
    );
  }

  delete(userId: string, request: DeleteRequest, correlationId: string): Promise<ChangeAccepted> {
    return this.publish('delete', userId, request, (at, idempotencyKey) =>
      createEvent(
        'chat.message.deleted',
        { ...targetOf(request), deletedBy: userId, deletedAt: at },
        { correlationId, idempotencyKey },
      ),
    );
  }

  private async publish(
    kind: ChangeKind,
    userId: string,
    request: DeleteRequest,
    /** Makes the event; the same change published twice carries the same idempotency key, so consumers apply it once. */
    build: (at: string, idempotencyKey: string) => AnyEvent,
  ): Promise<ChangeAccepted> {
    const changeId = changeIdOf(userId, { kind, ...targetOf(request) });
    const key = changeReservationKey(changeId);
    // A retry of a change that went through is answered first: after its own delete the message is gone, and
    // the permission check would refuse the retry as UNKNOWN_MESSAGE.
    const finished = await this.deps.reservations.finished(key);
    if (finished) return { status: finished };
    await this.permit(kind, userId, request);
    const status = await this.deps.sends.publishOnce(key, () =>
      build(new Date().toISOString(), `change:${changeId}`),
    );
    return { status };
  }

  private async permit(kind: ChangeKind, userId: string, request: DeleteRequest): Promise<void> {
    const { membership, windows, history } = this.deps;
    const access = await membership.sendAccess(request.roomId, userId);
    const message =
      access === 'not-member'
        ? undefined
        : (windows.find(request.roomId, request.messageId) ??
          (await history.find(request.roomId, request.messageId)));
    const refusal = await changeRefusal({
      kind,
      userId,
      message,
      access,
      moderator: () => membership.mayModerate(request.roomId, userId),
    });
    if (refusal === 'READ_ONLY') throw refuseSend('read-only');
    if (refusal) throw refuse(refusal);
  }
}
