import type { IncomingMessage, ServerResponse } from 'node:http';

/** The baselines' JSON replies and bodies: just enough HTTP for the load generator's set-up calls. */
export function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return body || '{}';
}
