/**
 * Every refusal a client of the gateway can get, one row per code: the HTTP
 * status of the gateway's HTTP API, whether retrying the same request can
 * succeed, and the message shown to the person (server and page use the
 * same words). Free of Joi, so the page imports it as `@chat/contracts/socket-errors`.
 */
export const SOCKET_ERRORS = {
  /** No token at the handshake or on an HTTP request. */
  AUTH_MISSING: { status: 401, retryable: false, message: 'You are signed out; sign in again.' },
  /** The token is not ours (signature, issuer, audience, claims). */
  AUTH_INVALID: {
    status: 401,
    retryable: false,
    message: 'Your sign-in is not valid any more; sign in again.',
  },
  /** A genuine token past its expiry: sign in again and reconnect. */
  AUTH_EXPIRED: { status: 401, retryable: false, message: 'Your sign-in expired; sign in again.' },
  /** The payload does not match the event's schema. */
  VALIDATION_FAILED: { status: 400, retryable: false, message: 'The request is not valid.' },
  /** The payload (or the message text) is over the size limit. */
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false, message: 'That is too long.' },
  /** The user is not a member of the room (or may not write to it). */
  NOT_A_MEMBER: { status: 403, retryable: false, message: 'You are not a member of this room.' },
  /** A receipt, edit or delete names a message that is not in that room (another room's, or none at all). */
  UNKNOWN_MESSAGE: { status: 404, retryable: false, message: 'That message is not in this room.' },
  /** An edit or delete of a message that is not yours (an owner or admin may delete any; only the sender edits). */
  NOT_ALLOWED: {
    status: 403,
    retryable: false,
    message: 'Only its sender may change this message; an owner or admin may delete it.',
  },
  /** At the handshake: this user, or this address, already has as many sockets as allowed; close one first. */
  TOO_MANY_CONNECTIONS: {
    status: 429,
    retryable: false,
    message: 'You have too many chat windows open; close one.',
  },
  /** This socket already joined as many rooms as allowed; the room was not joined. */
  TOO_MANY_ROOMS: { status: 429, retryable: false, message: 'Too many rooms are open in this window.' },
  /** A room owner or admin has blocked this member from sending in the room; reading still works. */
  SENDER_BLOCKED: {
    status: 403,
    retryable: false,
    message: 'A room admin has blocked you from sending in this room.',
  },
  /** Too many requests; retry after `retryAfterMs`. */
  RATE_LIMITED: { status: 429, retryable: true, message: 'Too many requests; slow down a little.' },
  /** Kafka and Redis are both unreachable, the gateway is draining, or the request missed its deadline; retry (a send with the same clientMessageId). */
  UNAVAILABLE: { status: 503, retryable: true, message: 'The chat is briefly unavailable; retry.' },
  /** This instance already works on as many sends (or database history reads) as it can answer promptly; retry after `retryAfterMs`. */
  OVERLOADED: { status: 503, retryable: true, message: 'The chat is busy; retry shortly.' },
  /** A bug on our side; nothing about it is shown to the client. */
  INTERNAL: { status: 500, retryable: true, message: 'Something went wrong on our side; retry.' },
} as const satisfies Record<string, { status: number; retryable: boolean; message: string }>;

export type SocketErrorCode = keyof typeof SOCKET_ERRORS;

/** The codes by name, for comparisons that read well (`code === SOCKET_ERROR_CODES.NOT_A_MEMBER`). */
export const SOCKET_ERROR_CODES = Object.fromEntries(
  Object.keys(SOCKET_ERRORS).map((code) => [code, code]),
) as {
  readonly [Code in SocketErrorCode]: Code;
};
