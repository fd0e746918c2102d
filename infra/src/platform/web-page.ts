import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../paths.js';
import { InfraError } from '../errors.js';
import { run } from '../shell.js';

const CHAT_DIR = join(REPO_ROOT, 'services', 'chat');
const WEB_DIR = join(CHAT_DIR, 'web');
/** What the gateway serves (its CHAT_WEB_DIR default). */
export const WEB_DIST_DIR = join(WEB_DIR, 'dist');
const BUILT_PAGE = join(WEB_DIST_DIR, 'index.html');
const SOURCES = ['src', 'index.html', 'vite.config.ts'].map((entry) => join(WEB_DIR, entry));

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/** True when the page was never built or a source changed after the last build. */
export function webPageIsStale(): boolean {
  if (!existsSync(BUILT_PAGE)) return true;
  const built = statSync(BUILT_PAGE).mtimeMs;
  return SOURCES.some((source) => newestChange(source) > built);
}

/** Builds the chat page with Vite when it is stale; returns whether it built. */
export async function buildWebPageIfStale(): Promise<boolean> {
  if (!webPageIsStale()) return false;
  const vite = join(CHAT_DIR, 'node_modules', 'vite', 'bin', 'vite.js');
  try {
    await run(process.execPath, [vite, 'build', WEB_DIR, '--logLevel', 'warn'], { cwd: CHAT_DIR });
  } catch (error) {
    throw new InfraError('START_FAILED', `the web page did not build: ${(error as Error).message}`);
  }
  return true;
}
