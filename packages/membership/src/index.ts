/**
 * The membership view for the chat gateway: who may read and write which
 * room, from Redis with MongoDB behind it, kept current from room events.
 *
 *   const view = createMembershipView({ redis, source: mongoMembershipSource(connection), logger });
 *   view.onChange(({ roomId, removedUserIds }) => kick(roomId, removedUserIds));
 *   const listener = new MembershipViewListener(view, { groupId: `chat-gateway-membership.${podName}` });
 *   await listener.start();
 *   if ((await view.sendAccess(roomId, userId)) !== 'allowed') refuse();
 */
export {
  createMembershipView,
  type MembershipView,
  type MembershipViewOptions,
  type RoomChangeListener,
  type RoomChangeNotice,
  type RoomEvent,
  type SendAccess,
} from './view.js';
export { mongoMembershipSource, type MembershipSource, type RoomSnapshot } from './source.js';
export { MembershipViewListener, ROOM_EVENT_TYPES, type MembershipListenerOptions } from './listener.js';
export { viewKeys } from './keys.js';
