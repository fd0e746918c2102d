import { Types } from 'mongoose';
import { externalUserId } from '@chat/auth';
import type { AccountDoc, IdentityModels } from './models.js';
import { handleFromName } from './handle.js';
import { hashPassword, passwordMatches, spendVerificationTime } from './passwords.js';
import { IdentityError, isDuplicateKey } from '../errors.js';

/** What clients see of an account: never the hash. */
export interface PublicUser {
  userId: string;
  handle: string;
  displayName: string;
}

export function publicUser(account: Pick<AccountDoc, '_id' | 'handle' | 'displayName'>): PublicUser {
  return { userId: account._id, handle: account.handle, displayName: account.displayName };
}

const SEARCH_LIMIT = 10;
/** Tries with a numeric suffix before a single sign-on arrival gets a random handle. */
const HANDLE_ATTEMPTS = 5;

/** Accounts: create, check a password, rename, remove, look up. Inputs are already validated and normalised. */
export class Accounts {
  constructor(private readonly models: IdentityModels) {}

  async signUp(input: { handle: string; displayName: string; password: string }): Promise<PublicUser> {
    const account: AccountDoc = {
      _id: `u-${new Types.ObjectId().toHexString()}`,
      handle: input.handle,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      createdAt: new Date(),
    };
    try {
      await this.models.accounts.create(account);
    } catch (error) {
      if (isDuplicateKey(error))
        throw new IdentityError('HANDLE_TAKEN', 'that handle is taken; pick another');
      throw error;
    }
    return publicUser(account);
  }

  /** The account when the password is right; undefined for a wrong password or an unknown handle alike. */
  async withPassword(handle: string, password: string): Promise<PublicUser | undefined> {
    const account = await this.models.accounts.findOne({ handle }).lean();
    if (!account?.passwordHash) {
      await spendVerificationTime(password);
      return undefined;
    }
    return (await passwordMatches(account.passwordHash, password)) ? publicUser(account) : undefined;
  }

  async changePassword(userId: string, current: string, next: string): Promise<void> {
    const account = await this.models.accounts.findById(userId).lean();
    if (!account?.passwordHash)
      throw new IdentityError('NOT_ALLOWED', 'this account signs in by single sign-on');
    if (!(await passwordMatches(account.passwordHash, current)))
      throw new IdentityError('SIGN_IN_FAILED', 'the current password is not right');
    await this.models.accounts.updateOne(
      { _id: userId },
      { $set: { passwordHash: await hashPassword(next) } },
    );
  }

  async rename(userId: string, displayName: string): Promise<PublicUser> {
    const account = await this.models.accounts
      .findOneAndUpdate({ _id: userId }, { $set: { displayName } }, { returnDocument: 'after' })
      .lean();
    if (!account) throw new IdentityError('NOT_ALLOWED', 'the account was removed');
    return publicUser(account);
  }

  async remove(userId: string): Promise<void> {
    await this.models.accounts.deleteOne({ _id: userId });
    await this.models.externalIdentities.deleteOne({ _id: userId });
  }

  async byId(userId: string): Promise<PublicUser | undefined> {
    const account = await this.models.accounts.findById(userId).lean();
    return account ? publicUser(account) : undefined;
  }

  async byIds(userIds: readonly string[]): Promise<PublicUser[]> {
    const accounts = await this.models.accounts.find({ _id: { $in: userIds } }).lean();
    return accounts.map(publicUser);
  }

  /** Handles starting with `prefix` (already normalised), for invitation suggestions. A range, not a regex. */
  async search(prefix: string): Promise<PublicUser[]> {
    const accounts = await this.models.accounts
      .find({ handle: { $gte: prefix, $lt: `${prefix}\uffff` } })
      .sort({ handle: 1 })
      .limit(SEARCH_LIMIT)
      .lean();
    return accounts.map(publicUser);
  }

  /**
   * The account of a person arriving from an external provider, created on
   * their first sign-in. Its id is derived from issuer and subject, so two
   * concurrent first sign-ins insert the same `_id` and one of them wins.
   */
  async fromExternal(input: {
    issuer: string;
    subject: string;
    preferredName?: string;
    displayName?: string;
  }): Promise<PublicUser> {
    const userId = externalUserId(input.issuer, input.subject);
    const existing = await this.byId(userId);
    if (existing) return existing;
    const base = handleFromName(input.preferredName ?? input.displayName);
    const displayName = (input.displayName ?? input.preferredName ?? base).slice(0, 100);
    for (let attempt = 0; attempt <= HANDLE_ATTEMPTS; attempt += 1) {
      const handle =
        attempt === 0
          ? base
          : attempt < HANDLE_ATTEMPTS
            ? `${base.slice(0, 28)}-${attempt + 1}`
            : `user-${new Types.ObjectId().toHexString().slice(-12)}`;
      try {
        await this.models.accounts.create({ _id: userId, handle, displayName, createdAt: new Date() });
        await this.models.externalIdentities
          .create({ _id: userId, issuer: input.issuer, subject: input.subject, createdAt: new Date() })
          .catch((error: unknown) => {
            if (!isDuplicateKey(error)) throw error;
          });
        return { userId, handle, displayName };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // Either this person's concurrent first sign-in won, or the handle is someone else's.
        const raced = await this.byId(userId);
        if (raced) return raced;
      }
    }
    throw new IdentityError('UNAVAILABLE', 'no handle could be given; try again');
  }
}
