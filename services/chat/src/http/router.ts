import type { IncomingMessage, ServerResponse } from 'node:http';
import Joi from 'joi';
import { bearerToken, type TokenService } from '@chat/auth';
import {
  HISTORY_PAGE_MAX,
  hasOwnProtoKey,
  validationDetails,
  wellFormed,
  type ErrorBody,
} from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { HistoryService } from '../history/history.js';
import type { PerKeyConcurrency } from '../limits/per-key-concurrency.js';
import type { MembershipCheck } from '../membership/membership.js';
import type { UserRateLimiter } from '../rate-limit/rate-limit.js';
import { withTimeout } from '../send/publisher-port.js';
import { GatewayError, errorBody, refuse } from '../socket/errors.js';

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
  name: wellFormed(Joi.string().trim().min(1).max(100)).required(),
});

const STATUS: Record<ErrorBody['code'], number> = {
  AUTH_MISSING: 401,
  AUTH_INVALID: 401,
  AUTH_EXPIRED: 401,
  VALIDATION_FAILED: 400,
  PAYLOAD_TOO_LARGE: 413,
  NOT_A_MEMBER: 403,
  UNKNOWN_MESSAGE: 404,
  NOT_ALLOWED: 403,
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
  /** A user's history reads in flight (shared with the socket path). */
  historyReads: PerKeyConcurrency;
  /** Every request is answered within this long. */
  requestDeadlineMs: number;
}

/** A body that is not JSON at all: 415, so a client knows to fix its content type rather than its data. */
class UnsupportedMediaType extends Error {}

/** A path or query whose percent-encoding is malformed: the request is refused, not a crash (500). */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw refuse('VALIDATION_FAILED', { details: ['path: invalid percent-encoding'] });
  }
}

/** The query as an object; URLSearchParams decodes leniently, so the raw query is checked first. */
function queryOf(url: URL): Record<string, string> {
  decoded(url.search.replace(/\+/g, ' '));
  return Object.fromEntries(url.searchParams);
}

const validationFailed = (error: Joi.ValidationError, root: string): GatewayError =>
  refuse('VALIDATION_FAILED', { details: validationDetails(error, root) });

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage, limit = 4096): Promise<unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new UnsupportedMediaType();
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw refuse('PAYLOAD_TOO_LARGE');
    chunks.push(chunk as Buffer);
  }
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
    if (hasOwnProtoKey(body)) throw refuse('VALIDATION_FAILED', { details: ['body: object.unknown'] });
    return body;
  } catch (error) {
    if (error instanceof GatewayError) throw error;
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
        const roomId = decoded(history[1]!);
        if (!ID.test(roomId)) throw refuse('VALIDATION_FAILED', { details: ['roomId: invalid'] });
        const { value, error } = historyQuery.validate(queryOf(url), { convert: true, abortEarly: false });
        if (error) throw validationFailed(error, 'query');
        if (!(await deps.membership.isMember(roomId, principal.userId))) throw refuse('NOT_A_MEMBER');
        const query = value as { before?: number; after?: number; limit?: number };
        const page = deps.historyReads.run(principal.userId, () => deps.history.page(roomId, query));
        send(response, 200, await withTimeout(page, deps.requestDeadlineMs, 'history'));
        return true;
      }
      if (url.pathname === '/v1/dev/token' && request.method === 'POST' && deps.devSignIn) {
        const { value, error } = devTokenBody.validate(await readJson(request), { abortEarly: false });
        if (error) throw validationFailed(error, 'body');
        const body = value as { userId: string; name: string };
        send(response, 201, { token: await deps.tokens.mintDevToken(body) });
        return true;
      }
      return false;
    } catch (error) {
      if (error instanceof UnsupportedMediaType) {
        send(response, 415, {
          error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send application/json', retryable: false },
        });
        return true;
      }
      const body = errorBody(error);
      if (body.code === 'INTERNAL') deps.logger.error({ err: error }, 'http request failed');
      send(response, STATUS[body.code], { error: body });
      return true;
    }
  };
}
