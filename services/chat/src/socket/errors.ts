import { PlatformError, SOCKET_ERRORS, type ErrorBody, type SocketErrorCode } from '@chat/contracts';
import type { SendAccess } from '@chat/membership';
import { TimeoutError } from '../send/publisher-port.js';

/** A refusal the client may see: its code, a message written for it, never internals. */
export class GatewayError extends PlatformError {
  declare readonly code: SocketErrorCode;

  constructor(
    code: SocketErrorCode,
    message: string,
    readonly extra: { retryAfterMs?: number; details?: string[] } = {},
  ) {
    super(code, message, SOCKET_ERRORS[code].retryable);
  }
}

const AUTH_CODES = new Set<string>(['AUTH_MISSING', 'AUTH_INVALID', 'AUTH_EXPIRED']);

/** The wire form of any error: GatewayError and AuthError keep their code, anything else is INTERNAL. */
export function errorBody(error: unknown): ErrorBody {
  if (error instanceof GatewayError) {
    return {
      code: error.code,
      message: error.message || SOCKET_ERRORS[error.code].message,
      retryable: error.retryable,
      ...(error.extra.retryAfterMs !== undefined ? { retryAfterMs: error.extra.retryAfterMs } : {}),
      ...(error.extra.details ? { details: error.extra.details.slice(0, 20) } : {}),
    };
  }
  // A request past its deadline: the work may still finish; a retry (idempotent for sends) gets its answer.
  if (error instanceof TimeoutError)
    return { code: 'UNAVAILABLE', message: SOCKET_ERRORS.UNAVAILABLE.message, retryable: true };
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && AUTH_CODES.has(code)) {
    const known = code as SocketErrorCode;
    return { code: known, message: SOCKET_ERRORS[known].message, retryable: false };
  }
  return { code: 'INTERNAL', message: SOCKET_ERRORS.INTERNAL.message, retryable: true };
}

export const refuse = (code: SocketErrorCode, extra?: GatewayError['extra']): GatewayError =>
  new GatewayError(code, SOCKET_ERRORS[code].message, extra);

/** Why a send is refused, from the membership view's answer. */
export function refuseSend(access: Exclude<SendAccess, 'allowed'>): GatewayError {
  if (access === 'blocked') return refuse('SENDER_BLOCKED');
  if (access === 'read-only')
    return new GatewayError('NOT_A_MEMBER', 'The room is archived; it is read-only.');
  return refuse('NOT_A_MEMBER');
}

/** A handshake refusal: Socket.IO shows the client a connect_error whose `data` is the protocol's error body. */
export function connectRefusal(error: unknown): Error & { data: { error: ErrorBody } } {
  const body = errorBody(error);
  const refusal = new Error(body.message) as Error & { data: { error: ErrorBody } };
  refusal.data = { error: body };
  return refusal;
}
