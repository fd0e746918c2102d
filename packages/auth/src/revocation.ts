import { AuthError } from './errors.js';
import type { Principal } from './tokens.js';

/** The few Redis commands revocation needs, so this package does not pull in a client. */
export interface RevocationStore {
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  mget(...keys: string[]): Promise<(string | null)[]>;
}

const PREFIX = 'auth:revoked-session:';

/**
 * Signed-out sessions. The identity service writes one key per revoked
 * session for as long as that session's access tokens can live; the gateway
 * reads them at connect and on a short timer, so a signed-out session's
 * sockets close within seconds. A key, not an event: nothing is missed when
 * a gateway restarts, and the keys expire on their own.
 */
export class SessionRevocations {
  constructor(
    private readonly store: RevocationStore,
    /** Longest lifetime of an access token, plus clock tolerance. */
    private readonly ttlSeconds: number,
  ) {}

  async revoke(sessionIds: readonly string[]): Promise<void> {
    await Promise.all(sessionIds.map((id) => this.store.set(PREFIX + id, '1', 'EX', this.ttlSeconds)));
  }

  /** Which of `sessionIds` are revoked. */
  async revoked(sessionIds: readonly string[]): Promise<Set<string>> {
    if (!sessionIds.length) return new Set();
    const values = await this.store.mget(...sessionIds.map((id) => PREFIX + id));
    return new Set(sessionIds.filter((_, index) => values[index] !== null));
  }

  /**
   * Throws AUTH_INVALID when the principal's session has been signed out, although its token's
   * signature is still good. Redis away: the token's own short expiry bounds it rather than
   * refusing everyone, so this never throws for a store failure.
   */
  async refuseRevoked(principal: Principal): Promise<void> {
    if (!principal.sessionId) return;
    const revoked = await this.revoked([principal.sessionId]).catch(() => new Set<string>());
    if (revoked.size) throw new AuthError('AUTH_INVALID', 'the session has been signed out');
  }
}
