export { createRoomService, type RoomService, type RoomServiceOptions } from './service.js';
export { roomConfigFromEnv, type RoomConfig } from './config.js';
export { ROOM_ERRORS, RoomError, type RoomErrorCode } from './errors.js';
export type { RoomView, RoomSummary } from './rooms/representation.js';
