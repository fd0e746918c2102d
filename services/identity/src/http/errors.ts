import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AuthError } from '@chat/auth';
import type { Logger } from '@chat/runtime';
import { IdentityError } from '../errors.js';

function send(reply: FastifyReply, status: number, error: Record<string, unknown>): FastifyReply {
  return reply.status(status).send({ error });
}

/**
 * `{ error: { code, message, retryable } }` for every failure. Validation
 * errors name the field, never its value (a password must not come back);
 * anything unexpected is logged without the request and answered INTERNAL.
 */
export function errorHandler(logger: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (error instanceof IdentityError) {
      if (error.retryAfterSeconds) reply.header('retry-after', String(error.retryAfterSeconds));
      return send(reply, error.status, {
        code: error.code,
        message: error.message,
        retryable: error.retryable,
        ...(error.details ? { details: error.details } : {}),
        ...(error.retryAfterSeconds ? { retryAfterMs: error.retryAfterSeconds * 1000 } : {}),
      });
    }
    if (error instanceof AuthError)
      return send(reply, 401, { code: error.code, message: error.message, retryable: false });
    if (error.code === 'FST_ERR_VALIDATION') {
      const details = (error as unknown as { details?: { path: (string | number)[]; type: string }[] })
        .details;
      return send(reply, 400, {
        code: 'VALIDATION_FAILED',
        message: 'the request is not valid',
        retryable: false,
        details: (details ?? []).map((detail) => `${detail.path.join('.')}: ${detail.type}`),
      });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, error.statusCode, {
        code: 'VALIDATION_FAILED',
        message: 'the request is not valid',
        retryable: false,
      });
    }
    logger.error(
      { err: { type: error.name, message: error.message, code: error.code }, correlationId: request.id },
      'unexpected error',
    );
    return send(reply, 503, {
      code: 'UNAVAILABLE',
      message: 'the service is unavailable; try again',
      retryable: true,
    });
  };
}
