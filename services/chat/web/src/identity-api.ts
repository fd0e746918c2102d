import type { UserRenamedNotice } from '@chat/contracts';

/** A person as the identity service describes them. */
export interface User {
  userId: string;
  handle: string;
  displayName: string;
}

/** What signing in, up or refreshing answers. */
export interface SignedIn {
  accessToken: string;
  expiresIn: number;
  user: User;
}

/** A refusal with the service's code (`SIGN_IN_FAILED`, `RATE_LIMITED`, `SESSION_INVALID`, ...), its message safe to show. */
export class IdentityApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Lets one tab at a time exchange the shared refresh cookie: two at once would look like a replayed token. */
const REFRESH_LOCK = 'chat:refresh';

/**
 * The identity service as the page uses it. The refresh token lives in an
 * HttpOnly cookie the page never sees; calls that use it send the CSRF
 * header and credentials.
 */
export class IdentityApi {
  constructor(private readonly baseUrl: string) {}

  signUp(handle: string, displayName: string, password: string): Promise<SignedIn> {
    return this.call('POST', '/v1/auth/signup', { body: { handle, displayName, password } });
  }

  signIn(handle: string, password: string): Promise<SignedIn> {
    return this.call('POST', '/v1/auth/signin', { body: { handle, password } });
  }

  /** A new access token from the cookie (and the next cookie); SESSION_INVALID when the session has ended. */
  async refresh(): Promise<SignedIn> {
    const exchange = () => this.call<SignedIn>('POST', '/v1/auth/refresh', {});
    return navigator.locks
      ? ((await navigator.locks.request(REFRESH_LOCK, exchange)) as SignedIn)
      : exchange();
  }

  async signOut(): Promise<void> {
    await this.call('POST', '/v1/auth/signout', {});
  }

  async signOutEverywhere(token: string): Promise<void> {
    await this.call('POST', '/v1/auth/signout-everywhere', { token });
  }

  async rename(token: string, displayName: string): Promise<User> {
    return (await this.call<{ user: User }>('PATCH', '/v1/users/me', { token, body: { displayName } })).user;
  }

  async users(token: string, userIds: readonly string[]): Promise<User[]> {
    const ids = userIds.map(encodeURIComponent).join(',');
    return (await this.call<{ users: User[] }>('GET', `/v1/users?ids=${ids}`, { token })).users;
  }

  async search(token: string, prefix: string): Promise<User[]> {
    return (
      await this.call<{ users: User[] }>('GET', `/v1/users/search?q=${encodeURIComponent(prefix)}`, { token })
    ).users;
  }

  private async call<T>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown },
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        credentials: 'include',
        headers: {
          'x-chat-csrf': '1',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch {
      throw new IdentityApiError('NETWORK', 'The sign-in service cannot be reached.');
    }
    if (response.status === 204) return undefined as T;
    const payload = (await response.json().catch(() => ({}))) as T & {
      error?: { code: string; message: string; details?: string[] };
    };
    if (!response.ok) {
      const error = payload.error;
      const detail = error?.details?.length ? ` (${error.details.join('; ')})` : '';
      throw new IdentityApiError(
        error?.code ?? 'UNAVAILABLE',
        `${error?.message ?? `HTTP ${response.status}`}${detail}`,
      );
    }
    return payload;
  }
}

/** How long a looked-up name is trusted without a rename notice (a notice may be lost). */
const NAME_TTL_MS = 60_000;

/**
 * User ids to display names for everything the page shows: looked up in
 * batches, kept a minute, replaced at once on a `user-renamed` notice.
 * Without an identity service (development sign-in) a name is the id.
 */
export class NameDirectory {
  private readonly names = new Map<string, { user: User; at: number }>();
  private readonly wanted = new Set<string>();
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly api: IdentityApi | undefined,
    private readonly token: () => string,
    private readonly changed: () => void,
  ) {}

  nameOf(userId: string): string {
    const entry = this.names.get(userId);
    if (!entry || Date.now() - entry.at > NAME_TTL_MS) this.want(userId);
    return entry?.user.displayName ?? userId;
  }

  learned(user: User): void {
    this.names.set(user.userId, { user, at: Date.now() });
  }

  renamed(notice: UserRenamedNotice): void {
    if (!this.names.has(notice.userId)) return;
    this.learned({ userId: notice.userId, handle: notice.handle, displayName: notice.displayName });
    this.changed();
  }

  private want(userId: string): void {
    if (!this.api || this.wanted.has(userId)) return;
    this.wanted.add(userId);
    this.flushing ??= Promise.resolve().then(() => this.flush());
  }

  private async flush(): Promise<void> {
    const ids = [...this.wanted].slice(0, 100);
    try {
      const users = await this.api!.users(this.token(), ids);
      for (const user of users) this.learned(user);
      // Unknown ids (removed accounts) keep showing the id, and are not asked for again before the TTL.
      for (const id of ids)
        if (!this.names.has(id))
          this.names.set(id, { user: { userId: id, handle: id, displayName: id }, at: Date.now() });
      if (users.length) this.changed();
    } catch {
      // Shown as ids until the next try.
    } finally {
      for (const id of ids) this.wanted.delete(id);
      this.flushing = undefined;
      if (this.wanted.size) this.flushing = Promise.resolve().then(() => this.flush());
    }
  }
}
