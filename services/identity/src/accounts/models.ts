import { Schema, type Connection, type Model } from 'mongoose';

/** A person. `_id` is the user id every other service sees; `handle` is normalised and unique. */
export interface AccountDoc {
  _id: string;
  handle: string;
  displayName: string;
  /** argon2id PHC string; absent for accounts that only sign in by single sign-on. */
  passwordHash?: string;
  createdAt: Date;
}

/** Links an external provider's subject to an account; `_id` is the derived user id, so a first sign-in is an atomic insert. */
export interface ExternalIdentityDoc {
  _id: string;
  issuer: string;
  subject: string;
  createdAt: Date;
}

/**
 * A sign-in session: the family of refresh tokens rotated from one sign-in.
 * It exists while the session is alive; revoking is deleting it.
 */
export interface SessionDoc {
  _id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}

/** One refresh token ever issued, by the SHA-256 of its value (never the value). */
export interface RefreshTokenDoc {
  _id: string;
  sessionId: string;
  userId: string;
  expiresAt: Date;
}

/**
 * A refresh token that has been exchanged. Inserting its hash as `_id` is
 * the atomic claim: exactly one exchange of a token wins, a second one is
 * a reuse (FerretDB does not isolate concurrent updates, so no version check).
 */
export interface RefreshTokenUseDoc {
  _id: string;
  expiresAt: Date;
}

export interface IdentityModels {
  accounts: Model<AccountDoc>;
  externalIdentities: Model<ExternalIdentityDoc>;
  sessions: Model<SessionDoc>;
  refreshTokens: Model<RefreshTokenDoc>;
  refreshTokenUses: Model<RefreshTokenUseDoc>;
}

/** Collection names get `prefix` so tests sharing one database do not meet. */
export function identityModels(connection: Connection, prefix = 'identity'): IdentityModels {
  const options = { versionKey: false, _id: false } as const;
  const accounts = new Schema<AccountDoc>(
    {
      _id: { type: String, required: true },
      handle: { type: String, required: true },
      displayName: { type: String, required: true },
      passwordHash: { type: String },
      createdAt: { type: Date, required: true },
    },
    options,
  );
  accounts.index({ handle: 1 }, { unique: true });
  const externalIdentities = new Schema<ExternalIdentityDoc>(
    {
      _id: { type: String, required: true },
      issuer: { type: String, required: true },
      subject: { type: String, required: true },
      createdAt: { type: Date, required: true },
    },
    options,
  );
  const sessions = new Schema<SessionDoc>(
    {
      _id: { type: String, required: true },
      userId: { type: String, required: true },
      createdAt: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
    },
    options,
  );
  sessions.index({ userId: 1 });
  sessions.index({ expiresAt: 1 });
  const refreshTokens = new Schema<RefreshTokenDoc>(
    {
      _id: { type: String, required: true },
      sessionId: { type: String, required: true },
      userId: { type: String, required: true },
      expiresAt: { type: Date, required: true },
    },
    options,
  );
  refreshTokens.index({ sessionId: 1 });
  refreshTokens.index({ expiresAt: 1 });
  const refreshTokenUses = new Schema<RefreshTokenUseDoc>(
    { _id: { type: String, required: true }, expiresAt: { type: Date, required: true } },
    options,
  );
  refreshTokenUses.index({ expiresAt: 1 });
  return {
    accounts: connection.model<AccountDoc>(`${prefix}.accounts`, accounts, `${prefix}.accounts`),
    externalIdentities: connection.model<ExternalIdentityDoc>(
      `${prefix}.externalIdentities`,
      externalIdentities,
      `${prefix}.external_identities`,
    ),
    sessions: connection.model<SessionDoc>(`${prefix}.sessions`, sessions, `${prefix}.sessions`),
    refreshTokens: connection.model<RefreshTokenDoc>(
      `${prefix}.refreshTokens`,
      refreshTokens,
      `${prefix}.refresh_tokens`,
    ),
    refreshTokenUses: connection.model<RefreshTokenUseDoc>(
      `${prefix}.refreshTokenUses`,
      refreshTokenUses,
      `${prefix}.refresh_token_uses`,
    ),
  };
}

export async function ensureIndexes(models: IdentityModels): Promise<void> {
  await Promise.all(
    Object.values(models).map((model: IdentityModels[keyof IdentityModels]) => model.createIndexes()),
  );
}

/**
 * FerretDB v1 has no TTL indexes: expired sessions, tokens and use records
 * are removed by this sweep instead (expired ones are refused either way).
 */
export async function sweepExpired(models: IdentityModels, now = new Date()): Promise<void> {
  const expired = { expiresAt: { $lt: now } };
  await Promise.all([
    models.sessions.deleteMany(expired),
    models.refreshTokens.deleteMany(expired),
    models.refreshTokenUses.deleteMany(expired),
  ]);
}
