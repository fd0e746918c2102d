import Joi from 'joi';
import { MAX_MESSAGE_TEXT_LENGTH } from '../events/messages.js';
import { type Infer, t } from '../schema/field.js';
import type { UserRenamedNotice } from '../users.js';
import { SOCKET_ERRORS } from './errors.js';
import type { UnreadAck, UnreadRequest } from './unread.js';

/**
 * The chat gateway's Socket.IO protocol: every event a client and the
 * gateway exchange, its payload (Joi schema and TypeScript type from one
 * definition) and the error codes. `docs/protocol.md` explains the flows.
 */

export { SOCKET_ERRORS, SOCKET_ERROR_CODES, type SocketErrorCode } from './errors.js';

/** Largest Socket.IO packet the gateway accepts (`maxHttpBufferSize`); a larger frame closes the connection. */
export const MAX_SOCKET_PAYLOAD_BYTES = 16 * 1024;
/** Default and largest history page. */
export const HISTORY_PAGE_DEFAULT = 20;
export const HISTORY_PAGE_MAX = 100;
/** Most rooms one `resume` may name. */
export const MAX_RESUME_ROOMS = 200;

const ERROR_CODES = Object.keys(SOCKET_ERRORS) as (keyof typeof SOCKET_ERRORS)[];

/** A message's place in its room's one order: the Kafka offset of its record, the same for every reader. */
const position = () => t.int(Joi.number().min(0).max(Number.MAX_SAFE_INTEGER));
/** "The last position I have": -1 when the client has nothing of the room yet. */
const lastPosition = () => t.int(Joi.number().min(-1).max(Number.MAX_SAFE_INTEGER));

export const ErrorBody = t.object({
  code: t.literal(...ERROR_CODES),
  message: t.string(Joi.string().max(500)),
  retryable: t.bool(),
  /** RATE_LIMITED and OVERLOADED only: when a retry may succeed. */
  retryAfterMs: t.optional(t.int(Joi.number().min(0))),
  /** VALIDATION_FAILED only: what was wrong, without echoing the input. */
  details: t.optional(t.array(t.string(Joi.string().max(300)), Joi.array().max(20))),
});
export type ErrorBody = Infer<typeof ErrorBody>;

export const ErrorReply = t.object({ error: ErrorBody });
export type ErrorReply = Infer<typeof ErrorReply>;

// ---- client → server ----

export const SendRequest = t.object({
  roomId: t.id(),
  /** The client's id for this send; retrying with the same id returns the same messageId. */
  clientMessageId: t.id(),
  text: t.text(Joi.string().min(1).max(MAX_MESSAGE_TEXT_LENGTH)),
});
export type SendRequest = Infer<typeof SendRequest>;

/** `accepted`: durable in Kafka. `queued`: durable in the Redis backup queue, reaches Kafka when it is back. */
export const SendAccepted = t.object({
  messageId: t.uuid(),
  status: t.literal('accepted', 'queued'),
});
export type SendAccepted = Infer<typeof SendAccepted>;
export type SendAck = SendAccepted | ErrorReply;

export const EditRequest = t.object({
  roomId: t.id(),
  messageId: t.uuid(),
  /** The client's id for this change; retrying with the same id changes the message once. */
  clientRequestId: t.id(),
  text: t.text(Joi.string().min(1).max(MAX_MESSAGE_TEXT_LENGTH)),
});
export type EditRequest = Infer<typeof EditRequest>;

export const DeleteRequest = t.object({
  roomId: t.id(),
  messageId: t.uuid(),
  clientRequestId: t.id(),
});
export type DeleteRequest = Infer<typeof DeleteRequest>;

/** As for a send: `accepted` is durable in Kafka, `queued` in the Redis backup queue. */
export const ChangeAccepted = t.object({ status: t.literal('accepted', 'queued') });
export type ChangeAccepted = Infer<typeof ChangeAccepted>;
export type ChangeAck = ChangeAccepted | ErrorReply;

export const ResumeRoom = t.object({
  roomId: t.id(),
  /** Last position the client holds; omitted: live messages only, no catch-up. */
  after: t.optional(lastPosition()),
});
export const ResumeRequest = t.object({
  /** Each room once: a repeated roomId is refused (`rooms.N: array.unique`), so one request cannot multiply its own work. */
  rooms: t.array(ResumeRoom, Joi.array().min(1).max(MAX_RESUME_ROOMS).unique('roomId')),
});
export type ResumeRequest = Infer<typeof ResumeRequest>;

export const ResumeRoomResult = t.object({
  roomId: t.id(),
  /** Messages sent as catch-up before live ones. */
  caughtUp: t.optional(t.int(Joi.number().min(0))),
  /** Position of the last message sent so far (the client's `after` when nothing was missed). */
  last: t.optional(lastPosition()),
  /** Members connected now, on any instance: a snapshot that `presence` events keep current. Omitted while Redis is down. */
  online: t.optional(t.array(t.id())),
  error: t.optional(ErrorBody),
});
export type ResumeRoomResult = Infer<typeof ResumeRoomResult>;
export const ResumeResult = t.object({ rooms: t.array(ResumeRoomResult) });
export type ResumeResult = Infer<typeof ResumeResult>;
export type ResumeAck = ResumeResult | ErrorReply;

export const HistoryRequest = t.object({
  roomId: t.id(),
  /** Messages with a position below this one, newest page first (returned in ascending order). */
  before: t.optional(position()),
  /** Messages with a position above this one, oldest first. */
  after: t.optional(lastPosition()),
  limit: t.optional(t.int(Joi.number().min(1).max(HISTORY_PAGE_MAX))),
});
export type HistoryRequest = Infer<typeof HistoryRequest>;

export const ReceiptRequest = t.object({
  roomId: t.id(),
  messageId: t.uuid(),
  status: t.literal('delivered', 'read'),
});
export type ReceiptRequest = Infer<typeof ReceiptRequest>;
/** `recorded`: a step forward, published. `unchanged`: a repeat or a step back, a no-op. */
export const ReceiptResult = t.object({ status: t.literal('recorded', 'unchanged') });
export type ReceiptResult = Infer<typeof ReceiptResult>;
export type ReceiptAck = ReceiptResult | ErrorReply;

export const TypingRequest = t.object({ roomId: t.id(), typing: t.bool() });
export type TypingRequest = Infer<typeof TypingRequest>;

// ---- server → client ----

/** A durable, ordered message, as every member sees it. */
export const ChatMessage = t.object({
  messageId: t.uuid(),
  roomId: t.id(),
  senderId: t.id(),
  clientMessageId: t.id(),
  /** Empty once the message is deleted. */
  text: t.string(Joi.string().min(0).max(MAX_MESSAGE_TEXT_LENGTH).allow('')),
  sentAt: t.isoDate(),
  position: position(),
  /** Set when the text is an edit's. */
  editedAt: t.optional(t.isoDate()),
  /** Set on a tombstone: the message was deleted and its text is gone. */
  deleted: t.optional(t.bool()),
  /** Position of the last edit or delete applied: an update at or below it is already in this state. */
  revision: t.optional(position()),
});
export type ChatMessage = Infer<typeof ChatMessage>;

/**
 * A message was edited or deleted. `position` is the change's own place in
 * the room's order (keep the highest position per room, as for messages);
 * apply it only to a message whose `revision` is below it, and never to a
 * deleted one.
 */
export const MessageUpdate = t.object({
  roomId: t.id(),
  messageId: t.id(),
  position: position(),
  change: t.literal('edited', 'deleted'),
  /** The new text (edits only). */
  text: t.optional(t.string(Joi.string().min(1).max(MAX_MESSAGE_TEXT_LENGTH))),
  at: t.isoDate(),
});
export type MessageUpdate = Infer<typeof MessageUpdate>;

export const HistoryPage = t.object({
  messages: t.array(ChatMessage),
  /** More messages exist beyond this page in the direction asked. */
  hasMore: t.bool(),
  source: t.literal('cache', 'database', 'memory'),
});
export type HistoryPage = Infer<typeof HistoryPage>;
export type HistoryAck = HistoryPage | ErrorReply;

export const ReceiptNotice = t.object({
  roomId: t.id(),
  messageId: t.id(),
  userId: t.id(),
  status: t.literal('delivered', 'read'),
  at: t.isoDate(),
});
export type ReceiptNotice = Infer<typeof ReceiptNotice>;

export const TypingNotice = t.object({ roomId: t.id(), userId: t.id(), typing: t.bool() });
export type TypingNotice = Infer<typeof TypingNotice>;

export const PresenceNotice = t.object({ roomId: t.id(), userId: t.id(), online: t.bool() });
export type PresenceNotice = Infer<typeof PresenceNotice>;

/** Catch-up of a room waits for the database to hold what the gateway's memory no longer has; it retries by itself. */
export const CatchingUpNotice = t.object({ roomId: t.id() });
export type CatchingUpNotice = Infer<typeof CatchingUpNotice>;

/** The gateway lost part of the room's live stream and took you out of it: `resume` the room from your last position. */
export const ResyncNotice = t.object({ roomId: t.id() });
export type ResyncNotice = Infer<typeof ResyncNotice>;

/** You were added to (`member: true`) or removed from a room: refresh the room list (and `resume` a new room). */
export const RoomsChangedNotice = t.object({ roomId: t.id(), member: t.bool() });
export type RoomsChangedNotice = Infer<typeof RoomsChangedNotice>;

/** The instance is shutting down: reconnect (elsewhere) after about `reconnectInMs` and resume. */
export const ShutdownNotice = t.object({ reconnectInMs: t.int(Joi.number().min(0)) });
export type ShutdownNotice = Infer<typeof ShutdownNotice>;

/** Events a client emits. Every request with a reply takes an ack callback. */
export interface ClientToServerEvents {
  send: (request: SendRequest, ack: (reply: SendAck) => void) => void;
  edit: (request: EditRequest, ack: (reply: ChangeAck) => void) => void;
  delete: (request: DeleteRequest, ack: (reply: ChangeAck) => void) => void;
  resume: (request: ResumeRequest, ack: (reply: ResumeAck) => void) => void;
  history: (request: HistoryRequest, ack: (reply: HistoryAck) => void) => void;
  receipt: (request: ReceiptRequest, ack: (reply: ReceiptAck) => void) => void;
  typing: (request: TypingRequest) => void;
  unread: (request: UnreadRequest, ack: (reply: UnreadAck) => void) => void;
}

/** Events the gateway emits. */
export interface ServerToClientEvents {
  message: (message: ChatMessage) => void;
  'message-updated': (update: MessageUpdate) => void;
  receipt: (notice: ReceiptNotice) => void;
  typing: (notice: TypingNotice) => void;
  presence: (notice: PresenceNotice) => void;
  'catching-up': (notice: CatchingUpNotice) => void;
  resync: (notice: ResyncNotice) => void;
  'rooms-changed': (notice: RoomsChangedNotice) => void;
  'server-shutdown': (notice: ShutdownNotice) => void;
  /** Someone changed their display name (relayed from the identity service; every socket hears it). */
  'user-renamed': (notice: UserRenamedNotice) => void;
}

/** Schema of each client event's payload, for the gateway's validation. */
export const CLIENT_EVENT_SCHEMAS = {
  send: SendRequest,
  edit: EditRequest,
  delete: DeleteRequest,
  resume: ResumeRequest,
  history: HistoryRequest,
  receipt: ReceiptRequest,
  typing: TypingRequest,
} as const;
