import type { IncomingMessage, ServerResponse } from 'node:http';
import Joi from 'joi';
import { bearerToken, type TokenService } from '@chat/auth';
import { HISTORY_PAGE_MAX, type ErrorBody } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { HistoryService } from '../history/history.js';
import type { MembershipCheck } from '../membership/membership.js';
import type { UserRateLimiter } from '../rate-limit/rate-limit.js';
import { errorBody, refuse } from '../socket/errors.js';

const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const HISTORY_PATH = /^\/v1\/rooms\/([^/]+)\/messages$/;
const position = Joi.number().integer().min(-1).max(Number.MAX_SAFE_INTEGER);
const historyQuery = Joi.object({
  before: position.min(0),
  after: position,
  limit: Joi.number().integer().min(1).max(HISTORY_PAGE_MAX),
});
const devTokenBody = Joi.object({
  userId: Joi.string().pattern(ID).required(),
  name: Joi.string().trim().min(1).max(100).required(),
});

const STATUS: Record<ErrorBody['code'], number> = {
  AUTH_MISSING: 401,
  AUTH_INVALID: 401,
  AUTH_EXPIRED: 401,
  VALIDATION_FAILED: 400,
  PAYLOAD_TOO_LARGE: 413,
  NOT_A_MEMBER: 403,
  UNKNOWN_MESSAGE: 404,
  TOO_MANY_CONNECTIONS: 429,
  TOO_MANY_ROOMS: 429,
  SENDER_BLOCKED: 403,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  OVERLOADED: 503,
  INTERNAL: 500,
};

export interface HttpDeps {
  tokens: TokenService;
  history: HistoryService;
  membership: MembershipCheck;
  limiter: UserRateLimiter;
  devSignIn: boolean;
  logger: Logger;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage, limit = 4096): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw refuse('PAYLOAD_TOO_LARGE');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch {
    throw refuse('VALIDATION_FAILED', { details: ['body: not JSON'] });
  }
}

/**
 * The gateway's HTTP API: history pages (authenticated, members only) and,
 * when configuration allows it, the development sign-in. Returns false for
 * paths it does not serve.
 */
export function httpApi(deps: HttpDeps) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    const url = new URL(request.url ?? '/', 'http://gateway');
    try {
      const history = HISTORY_PATH.exec(url.pathname);
      if (history && request.method === 'GET') {
        const principal = await deps.tokens.verifyAccessToken(bearerToken(request.headers.authorization));
        await deps.limiter.consume(principal.userId);
        const roomId = decodeURIComponent(history[1]!);
        if (!ID.test(roomId)) throw refuse('VALIDATION_FAILED', { details: ['roomId: invalid'] });
        const { value, error } = historyQuery.validate(Object.fromEntries(url.searchParams), {
          convert: true,
        });
        if (error)
          throw refuse('VALIDATION_FAILED', {
            details: error.details.map((d) => `${d.path.join('.')}: ${d.type}`),
          });
        if (!(await deps.membership.isMember(roomId, principal.userId))) throw refuse('NOT_A_MEMBER');
        send(
          response,
          200,
          await deps.history.page(roomId, value as { before?: number; after?: number; limit?: number }),
        );
        return true;
      }
      if (url.pathname === '/v1/dev/token' && request.method === 'POST' && deps.devSignIn) {
        const { value, error } = devTokenBody.validate(await readJson(request));
        if (error)
          throw refuse('VALIDATION_FAILED', {
            details: error.details.map((d) => `${d.path.join('.')}: ${d.type}`),
          });
        const body = value as { userId: string; name: string };
        send(response, 201, { token: await deps.tokens.mintDevToken(body) });
        return true;
      }
      return false;
    } catch (error) {
      const body = errorBody(error);
      if (body.code === 'INTERNAL') deps.logger.error({ err: error }, 'http request failed');
      send(response, STATUS[body.code], { error: body });
      return true;
    }
  };
}
