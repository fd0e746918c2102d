export { TOPICS, PLATFORM_TOPICS, groupTopics, type TopicName, type TopicSpec } from './topics.js';
export { PlatformError, ValidationError, UnknownVersionError } from './errors.js';
export {
  t,
  objectSchema,
  wellFormed,
  type Field,
  type Infer,
  type InferShape,
  type Shape,
} from './schema/field.js';
export {
  validationDetails,
  detailLine,
  hasOwnProtoKey,
  MAX_DETAILS,
  MAX_DETAIL_LENGTH,
} from './schema/details.js';
export { defineEvent, envelopeSchema, type Envelope, type EventDefinition } from './envelope.js';
export {
  EVENTS,
  EVENT_TYPES,
  isEventType,
  definitionOf,
  type AnyEvent,
  type EventOf,
  type EventType,
  type PayloadOf,
} from './events/registry.js';
export { parseEvent, createEvent, routeOf, serializeEvent, type EventMeta } from './events/parse.js';
export { MessageSent, MAX_MESSAGE_TEXT_LENGTH } from './events/messages.js';
export { MessageEdited, MessageDeleted } from './events/message-changes.js';
export {
  ReceiptUpdated,
  RECEIPT_STATUSES,
  RECEIPT_RANK,
  isReceiptAdvance,
  advanceReceipt,
  type ReceiptStatus,
} from './events/receipts.js';
export {
  RoomCreated,
  RoomMemberAdded,
  RoomMemberRemoved,
  RoomRenamed,
  RoomArchived,
  RoomSenderBlocked,
  RoomSenderUnblocked,
  MAX_ROOM_NAME_LENGTH,
  MAX_ROOM_MEMBERS,
} from './events/rooms.js';
export {
  HEADERS,
  DEAD_LETTER_HEADERS,
  RETRY_HEADERS,
  DEAD_LETTER_REASONS,
  deadLetterHeaders,
  retryHeaders,
  withoutDeliveryHeaders,
  type DeadLetterContext,
  type RetryContext,
  type HeaderCodec,
  type RecordHeaders,
} from './headers.js';
export {
  SOCKET_ERRORS,
  SOCKET_ERROR_CODES,
  MAX_SOCKET_PAYLOAD_BYTES,
  HISTORY_PAGE_DEFAULT,
  HISTORY_PAGE_MAX,
  MAX_RESUME_ROOMS,
  CLIENT_EVENT_SCHEMAS,
  ErrorBody,
  ErrorReply,
  SendRequest,
  SendAccepted,
  EditRequest,
  DeleteRequest,
  ChangeAccepted,
  MessageUpdate,
  ResumeRoom,
  ResumeRequest,
  ResumeRoomResult,
  ResumeResult,
  HistoryRequest,
  HistoryPage,
  ReceiptRequest,
  ReceiptResult,
  TypingRequest,
  ChatMessage,
  ReceiptNotice,
  TypingNotice,
  PresenceNotice,
  CatchingUpNotice,
  ResyncNotice,
  RoomsChangedNotice,
  ShutdownNotice,
  type SocketErrorCode,
  type SendAck,
  type ChangeAck,
  type ResumeAck,
  type HistoryAck,
  type ReceiptAck,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from './socket/protocol.js';
export { applyMessageUpdate } from './socket/message-updates.js';
export {
  UNREAD_COUNT_CAP,
  UnreadRequest,
  UnreadResult,
  UnreadRoomResult,
  type UnreadAck,
} from './socket/unread.js';
export { mentions, mentionsIn } from './socket/mentions.js';
export {
  MEMBER_ROLES,
  ROOM_ERRORS,
  ROOM_KINDS,
  ROOM_STATUSES,
  type MemberRole,
  type RoomErrorCode,
  type RoomKind,
  type RoomStatus,
  type RoomSummary,
  type RoomView,
} from './http/rooms.js';
export { WEB_CLIENT_CONFIG_PATH, type WebClientConfig } from './http/web-client-config.js';
export { USER_NOTICES_CHANNEL, parseUserNotice, type UserRenamedNotice } from './users.js';
