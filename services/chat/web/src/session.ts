import type { WebClientConfig } from '@chat/contracts';
import { userIdFromName } from './identity.js';

export interface Session {
  userId: string;
  name: string;
  token: string;
}

/** Per tab, so two tabs (or two browser contexts) can be two people; a reload keeps it. */
const SESSION_KEY = 'chat:session';

export async function loadWebConfig(): Promise<WebClientConfig> {
  const response = await fetch('/config.json');
  if (!response.ok) throw new Error(`the page's configuration did not load (HTTP ${response.status})`);
  return (await response.json()) as WebClientConfig;
}

export function storedSession(): Session | undefined {
  const raw = sessionStorage.getItem(SESSION_KEY);
  return raw ? (JSON.parse(raw) as Session) : undefined;
}

export function forgetSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

/** Development sign-in: the gateway mints a token for the name (POST /v1/dev/token). */
export async function devSignIn(name: string): Promise<Session> {
  const userId = userIdFromName(name);
  if (!userId) throw new Error('Use letters or digits in your name.');
  const response = await fetch('/v1/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, name: name.trim() }),
  });
  const body = (await response.json()) as { token?: string; error?: { message: string } };
  if (!response.ok || !body.token)
    throw new Error(body.error?.message ?? `sign-in failed (HTTP ${response.status})`);
  const session = { userId, name: name.trim(), token: body.token };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}
