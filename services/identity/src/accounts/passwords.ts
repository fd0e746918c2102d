import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id` of the library, whose const enum cannot be imported here. */
const ARGON2ID = 2;

/**
 * argon2id with OWASP's second recommended setting (19 MiB, 2 passes, 1
 * lane). The PHC string carries its parameters, so raising them later still
 * verifies old hashes.
 */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

let decoy: Promise<string> | undefined;

/** Costs what a real check costs, so a missing handle answers no faster than a wrong password. */
export async function spendVerificationTime(password: string): Promise<void> {
  decoy ??= hashPassword('decoy-password-for-unknown-handles');
  await passwordMatches(await decoy, password);
}
