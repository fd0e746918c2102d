import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@chat/runtime';
import sirv from 'sirv';
import { WEB_CLIENT_CONFIG_PATH, type WebClientConfig } from '@chat/contracts';

export interface WebClientOptions {
  /** The Vite build output (`index.html` and hashed `assets/`). */
  dir: string;
  config: WebClientConfig;
  logger: Logger;
}

/** Hashed file names never change content, so they may be cached for good; the rest is revalidated. */
function cacheHeaders(response: ServerResponse, pathname: string): void {
  response.setHeader(
    'cache-control',
    pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
  response.setHeader('x-content-type-options', 'nosniff');
}

/**
 * Serves the web page and its `/config.json` on GET and HEAD; returns false
 * for every other request so the API's own 404 stays. A missing build is
 * logged once and the gateway runs without a page.
 */
export function webClient(options: WebClientOptions) {
  const configBody = JSON.stringify(options.config);
  const built = existsSync(join(options.dir, 'index.html'));
  if (!built) {
    options.logger.warn(
      { dir: options.dir },
      'web page not built: run `pnpm --filter @chat/chat build:web` (bin/start does it for you)',
    );
  }
  const files = built ? sirv(options.dir, { etag: true, setHeaders: cacheHeaders }) : undefined;

  return (request: IncomingMessage, response: ServerResponse): boolean => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const pathname = new URL(request.url ?? '/', 'http://gateway').pathname;
    if (pathname === WEB_CLIENT_CONFIG_PATH) {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : configBody);
      return true;
    }
    if (!files) return false;
    // sirv decides synchronously: it either starts the response or calls `next`.
    let served = true;
    files(request, response, () => {
      served = false;
    });
    return served;
  };
}
