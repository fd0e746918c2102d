import { createHash, randomBytes } from 'node:crypto';
import type { SessionRevocations } from '@chat/auth';
import type { Logger } from '@chat/runtime';
import type { IdentityModels } from '../accounts/models.js';
import { IdentityError, isDuplicateKey } from '../errors.js';

export interface IssuedSession {
  userId: string;
  sessionId: string;
  /** Goes into the cookie only; stored as its SHA-256. */
  refreshToken: string;
}

const invalid = () => new IdentityError('SESSION_INVALID', 'the session has ended; sign in again');

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * Sign-in sessions and their rotating refresh tokens. Each exchange spends
 * the token (an insert of its hash into the uses collection: one winner)
 * and issues the next one in the same session; presenting a spent token
 * again means it was stolen or replayed, so the whole session is revoked.
 */
export class Sessions {
  constructor(
    private readonly models: IdentityModels,
    private readonly revocations: SessionRevocations,
    private readonly lifetimeSeconds: number,
    private readonly logger: Logger,
  ) {}

  async start(userId: string): Promise<IssuedSession> {
    const sessionId = randomBytes(16).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.lifetimeSeconds * 1000);
    await this.models.sessions.create({ _id: sessionId, userId, createdAt: now, expiresAt });
    return { userId, sessionId, refreshToken: await this.issue(sessionId, userId, expiresAt) };
  }

  /** Spends `refreshToken` and returns the session with its next one; SESSION_INVALID otherwise. */
  async rotate(refreshToken: string): Promise<IssuedSession> {
    const hash = tokenHash(refreshToken);
    const token = await this.models.refreshTokens.findById(hash).lean();
    if (!token || token.expiresAt.getTime() <= Date.now()) throw invalid();
    const session = await this.models.sessions.findById(token.sessionId).lean();
    if (!session || session.expiresAt.getTime() <= Date.now()) throw invalid();
    try {
      await this.models.refreshTokenUses.create({ _id: hash, expiresAt: token.expiresAt });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      this.logger.warn(
        { userId: token.userId, sessionId: token.sessionId },
        'refresh token reused: session revoked',
      );
      await this.revoke([token.sessionId]);
      throw invalid();
    }
    return {
      userId: token.userId,
      sessionId: token.sessionId,
      refreshToken: await this.issue(token.sessionId, token.userId, session.expiresAt),
    };
  }

  /** The session a refresh token belongs to, ended; nothing when the token is unknown. */
  async end(refreshToken: string): Promise<void> {
    const token = await this.models.refreshTokens.findById(tokenHash(refreshToken)).lean();
    if (token) await this.revoke([token.sessionId]);
  }

  /** Every session of the user (sign out everywhere, a new password, a removed account). */
  async endAll(userId: string): Promise<void> {
    const sessions = await this.models.sessions.find({ userId }, { _id: 1 }).lean();
    await this.revoke(sessions.map((session) => session._id));
  }

  /** Revoked first, then deleted: live access tokens of these sessions are refused from now on. */
  private async revoke(sessionIds: string[]): Promise<void> {
    if (!sessionIds.length) return;
    await this.revocations.revoke(sessionIds);
    await this.models.sessions.deleteMany({ _id: { $in: sessionIds } });
    await this.models.refreshTokens.deleteMany({ sessionId: { $in: sessionIds } });
  }

  private async issue(sessionId: string, userId: string, expiresAt: Date): Promise<string> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.models.refreshTokens.create({ _id: tokenHash(refreshToken), sessionId, userId, expiresAt });
    return refreshToken;
  }
}
