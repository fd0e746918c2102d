import type { WebClientConfig } from '@chat/contracts';
import { userIdFromName } from './identity.js';
import type { IdentityApi, SignedIn } from './identity-api.js';

export interface Session {
  userId: string;
  name: string;
  token: string;
  /** An account of the identity service (renewed by its refresh cookie), or a development sign-in. */
  kind?: 'account' | 'dev';
  handle?: string;
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
  return remember({ userId, name: name.trim(), token: body.token, kind: 'dev' });
}

export function remember(session: Session): Session {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

/** The session an identity-service answer describes, kept for this tab. */
export function accountSession(signedIn: SignedIn): Session {
  return remember({
    userId: signedIn.user.userId,
    name: signedIn.user.displayName,
    handle: signedIn.user.handle,
    token: signedIn.accessToken,
    kind: 'account',
  });
}

/** A session from the refresh cookie (a reload, the return from single sign-on); undefined when there is none. */
export async function resumedSession(identity: IdentityApi): Promise<Session | undefined> {
  try {
    return accountSession(await identity.refresh());
  } catch {
    return undefined;
  }
}
