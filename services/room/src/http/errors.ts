import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type Joi from 'joi';
import { AuthError } from '@chat/auth';
import { validationDetails } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import { RoomError, isTransient } from '../errors.js';

export interface ErrorBody {
  error: { code: string; message: string; retryable: boolean; details?: string[] };
}

function send(reply: FastifyReply, status: number, error: ErrorBody['error']): FastifyReply {
  return reply.status(status).send({ error } satisfies ErrorBody);
}

/**
 * Turns every failure into `{ error: { code, message, retryable } }`.
 * Known refusals keep their own code and message; anything else is logged
 * in full and answered with a bare INTERNAL (or UNAVAILABLE when a dependency
 * is down), so no stack, query or token leaves the service.
 */
export function errorHandler(logger: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (error instanceof RoomError) {
      return send(reply, error.status, {
        code: error.code,
        message: error.message,
        retryable: error.retryable,
        ...(error.details ? { details: error.details } : {}),
      });
    }
    if (error instanceof AuthError) {
      return send(reply, 401, { code: error.code, message: error.message, retryable: false });
    }
    if (error.code === 'FST_ERR_VALIDATION') {
      const joi = error as unknown as Joi.ValidationError;
      return send(reply, 400, {
        code: 'VALIDATION_FAILED',
        message: 'the request is not valid',
        retryable: false,
        details: joi.details ? validationDetails(joi, error.validationContext ?? 'request') : [],
      });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(reply, 413, {
        code: 'PAYLOAD_TOO_LARGE',
        message: 'the request body is too large',
        retryable: false,
      });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return send(reply, 415, {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'send application/json',
        retryable: false,
      });
    }
    // Any other refusal of the request itself (bad JSON, a forbidden `__proto__`, a bad content length).
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, 400, {
        code: 'VALIDATION_FAILED',
        message: 'the request is not valid',
        retryable: false,
      });
    }
    if (isTransient(error)) {
      logger.warn({ err: error, correlationId: request.id }, 'dependency unavailable');
      return send(reply, 503, {
        code: 'UNAVAILABLE',
        message: 'a dependency is unavailable; try again',
        retryable: true,
      });
    }
    logger.error({ err: error, correlationId: request.id }, 'unexpected error');
    return send(reply, 500, { code: 'INTERNAL', message: 'internal error', retryable: false });
  };
}

/** What fails before routing (a malformed percent-encoding in the URL): Fastify's `frameworkErrors` sends this. */
export const BAD_URL: ErrorBody = {
  error: { code: 'VALIDATION_FAILED', message: 'the request URL is not valid', retryable: false },
};
