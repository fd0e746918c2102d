import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so the launcher works from any working directory. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Runtime state (data, logs, pid files): gitignored, deleted by `infra down --reset`. */
export const STATE_DIR = process.env.CHAT_INFRA_STATE_DIR ?? join(REPO_ROOT, '.local', 'infra');

/** Downloads and builds that a fresh clone finds again (FerretDB binary); Kafka jars live in Maven's own cache. */
export const CACHE_DIR = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'chat-platform');

export const INFRA_DIR = join(REPO_ROOT, 'infra');

export function stateDirOf(server: string): string {
  return join(STATE_DIR, server);
}
