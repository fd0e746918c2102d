import { RETRYABLE_ERROR_CODES, type ErrorBody, type SocketErrorCode } from '@chat/contracts';
import type { SendAccess } from '@chat/membership';
import { TimeoutError } from '../send/publisher-port.js';

/** A refusal the client may see: its code, a message written for it, never internals. */
export class GatewayError extends Error {
  constructor(
    readonly code: SocketErrorCode,
    message: string,
    readonly extra: { retryAfterMs?: number; details?: string[] } = {},
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

const MESSAGES: Record<SocketErrorCode, string> = {
  AUTH_MISSING: 'an access token is required',
  AUTH_INVALID: 'the access token is not valid',
  AUTH_EXPIRED: 'the access token has expired',
  VALIDATION_FAILED: 'the request is not valid',
  PAYLOAD_TOO_LARGE: 'the request is too large',
  NOT_A_MEMBER: 'you are not a member of this room',
  UNKNOWN_MESSAGE: 'no such message in this room',
  NOT_ALLOWED: 'only its sender may change this message (an owner or admin may delete it)',
  TOO_MANY_CONNECTIONS: 'too many connections; close one first',
  TOO_MANY_ROOMS: 'this connection has joined as many rooms as allowed',
  SENDER_BLOCKED: 'a room admin has blocked you from sending in this room',
  RATE_LIMITED: 'too many requests; slow down',
  UNAVAILABLE: 'the service is briefly unavailable; retry',
  OVERLOADED: 'the service is busy; retry shortly',
  INTERNAL: 'something went wrong on our side; retry',
};

const AUTH_CODES = new Set<string>(['AUTH_MISSING', 'AUTH_INVALID', 'AUTH_EXPIRED']);

/** The wire form of any error: GatewayError and AuthError keep their code, anything else is INTERNAL. */
export function errorBody(error: unknown): ErrorBody {
  if (error instanceof GatewayError) {
    return {
      code: error.code,
      message: error.message || MESSAGES[error.code],
      retryable: RETRYABLE_ERROR_CODES[error.code],
      ...(error.extra.retryAfterMs !== undefined ? { retryAfterMs: error.extra.retryAfterMs } : {}),
      ...(error.extra.details ? { details: error.extra.details.slice(0, 20) } : {}),
    };
  }
  // A request past its deadline: the work may still finish; a retry (idempotent for sends) gets its answer.
  if (error instanceof TimeoutError)
    return { code: 'UNAVAILABLE', message: MESSAGES.UNAVAILABLE, retryable: true };
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && AUTH_CODES.has(code)) {
    const known = code as SocketErrorCode;
    return { code: known, message: MESSAGES[known], retryable: false };
  }
  return { code: 'INTERNAL', message: MESSAGES.INTERNAL, retryable: true };
}

export const refuse = (code: SocketErrorCode, extra?: GatewayError['extra']): GatewayError =>
  new GatewayError(code, MESSAGES[code], extra);

/** Why a send is refused, from the membership view's answer. */
export function refuseSend(access: Exclude<SendAccess, 'allowed'>): GatewayError {
  if (access === 'blocked') return refuse('SENDER_BLOCKED');
  if (access === 'read-only')
    return new GatewayError('NOT_A_MEMBER', 'the room is archived; it is read-only');
  return refuse('NOT_A_MEMBER');
}

/** A handshake refusal: Socket.IO shows the client a connect_error whose `data` is the protocol's error body. */
export function connectRefusal(error: unknown): Error & { data: { error: ErrorBody } } {
  const body = errorBody(error);
  const refusal = new Error(body.message) as Error & { data: { error: ErrorBody } };
  refusal.data = { error: body };
  return refusal;
}
