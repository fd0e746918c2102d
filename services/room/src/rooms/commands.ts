import type { MemberRole, RoomView } from '@chat/contracts';
import { decideBlockSender, decideUnblockSender } from '../membership/blocking.js';
import { decideAddMember, decideLeave, decideRemoveMember } from '../membership/policy.js';
import { decideArchive, decideRename } from './policy.js';
import { roomView } from './representation.js';
import type { Decision, RoomStore } from './room-store.js';

export interface CommandContext {
  actor: string;
  correlationId: string;
}

export interface RoomCommands {
  rename(context: CommandContext, roomId: string, name: string): Promise<RoomView>;
  archive(context: CommandContext, roomId: string): Promise<RoomView>;
  addMember(
    context: CommandContext,
    roomId: string,
    userId: string,
    role: Exclude<MemberRole, 'owner'>,
  ): Promise<RoomView>;
  removeMember(context: CommandContext, roomId: string, userId: string): Promise<RoomView>;
  /** The caller leaves; nothing to show afterwards. */
  leave(context: CommandContext, roomId: string): Promise<void>;
  /** Stops a member from sending (reading goes on) until unblocked. */
  blockSender(context: CommandContext, roomId: string, userId: string): Promise<RoomView>;
  unblockSender(context: CommandContext, roomId: string, userId: string): Promise<RoomView>;
}

export interface CommandDeps {
  store: RoomStore;
  /** Called after a change wrote events (wakes the in-process dispatcher, which also updates the per-user index). */
  onEventsWritten: (roomId: string) => void;
}

export function roomCommands({ store, onEventsWritten }: CommandDeps): RoomCommands {
  const apply = async (context: CommandContext, roomId: string, decide: Decision) => {
    const { room, entries } = await store.change(roomId, context.correlationId, decide);
    if (entries.length > 0) onEventsWritten(roomId);
    return room;
  };

  return {
    async rename(context, roomId, name) {
      return roomView(await apply(context, roomId, (room) => decideRename(room, context.actor, name)));
    },
    async archive(context, roomId) {
      return roomView(await apply(context, roomId, (room) => decideArchive(room, context.actor, new Date())));
    },
    async addMember(context, roomId, userId, role) {
      return roomView(
        await apply(context, roomId, (room) =>
          decideAddMember(room, context.actor, userId, role, new Date()),
        ),
      );
    },
    async removeMember(context, roomId, userId) {
      return roomView(
        await apply(context, roomId, (room) => decideRemoveMember(room, context.actor, userId)),
      );
    },
    async leave(context, roomId) {
      await apply(context, roomId, (room) => decideLeave(room, context.actor));
    },
    async blockSender(context, roomId, userId) {
      return roomView(
        await apply(context, roomId, (room) => decideBlockSender(room, context.actor, userId, new Date())),
      );
    },
    async unblockSender(context, roomId, userId) {
      return roomView(
        await apply(context, roomId, (room) => decideUnblockSender(room, context.actor, userId)),
      );
    },
  };
}
