import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { ClientToServerEvents, ServerToClientEvents } from '@chat/contracts';
import { OPS_PATHS } from '@chat/runtime';
import { Server } from 'socket.io';

/** A baseline's user from its unsigned token (the userId, base64url): a benchmark fixture, never a server to expose. */
export const userOfToken = (token: unknown): string | undefined =>
  typeof token === 'string' ? Buffer.from(token, 'base64url').toString('utf8') : undefined;

/**
 * The HTTP and Socket.IO servers both baselines run: readiness, dev tokens
 * and room creation, just enough of the platform's set-up API for the load
 * generator. `addRoom` records the new room's members wherever the baseline keeps them.
 */
export function baselineServers(addRoom: (roomId: string, members: string[]) => Promise<void> | void): {
  http: HttpServer;
  io: Server<ClientToServerEvents, ServerToClientEvents>;
} {
  const http = createServer((request, response) => {
    void route(request, response).catch(() => reply(response, 500, { error: { code: 'INTERNAL' } }));
  });
  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.url === OPS_PATHS.readiness) return reply(response, 200, { status: 'ok' });
    if (request.method !== 'POST') return reply(response, 404, {});
    const body = JSON.parse(await readBody(request)) as { userId?: string; memberIds?: string[] };
    if (request.url === '/v1/dev/token' && body.userId)
      return reply(response, 201, { token: Buffer.from(body.userId).toString('base64url') });
    const creator = userOfToken(request.headers.authorization?.replace(/^Bearer /, ''));
    if (request.url === '/v1/rooms' && creator) {
      const roomId = randomUUID();
      await addRoom(roomId, [creator, ...(body.memberIds ?? [])]);
      return reply(response, 201, { room: { roomId } });
    }
    reply(response, 404, {});
  }
  return { http, io: new Server<ClientToServerEvents, ServerToClientEvents>(http) };
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return body || '{}';
}
