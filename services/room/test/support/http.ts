import type { FastifyInstance } from 'fastify';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Drives the app in-process (no port), as a given user. */
export function client(app: FastifyInstance, token?: string) {
  return async <T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> => {
    const response = await app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    return { status: response.statusCode, body: (response.body ? response.json() : {}) as T };
  };
}

export interface ErrorReply {
  error: { code: string; message: string; retryable: boolean; details?: string[] };
}
