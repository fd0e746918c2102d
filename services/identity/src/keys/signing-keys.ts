import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK, type KeyObject } from 'jose';
import { IDENTITY_ALGORITHMS } from '@chat/auth';
import { ConfigError } from '@chat/runtime';

export interface SigningKeys {
  /** Signs every new access token; its `kid` goes into the header. */
  active: { kid: string; alg: string; key: CryptoKey | KeyObject | Uint8Array };
  /** What `/.well-known/jwks.json` publishes: the public half of every configured key. */
  publicJwks: { keys: JWK[] };
}

export interface KeySource {
  /** A JWK set (`{"keys":[...]}`) of private keys, inline (IDENTITY_SIGNING_KEYS) ... */
  inline?: string;
  /** ... or in a mounted file (IDENTITY_SIGNING_KEYS_FILE). */
  file?: string;
  /** Which key signs (IDENTITY_ACTIVE_KEY_ID). @defaultValue the first key */
  activeKid?: string;
  /** Without keys, generate one for this process: development only. */
  generateIfMissing: boolean;
}

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

function publicPart(jwk: JWK): JWK {
  const part: JWK = { kid: jwk.kid, alg: jwk.alg, use: 'sig' };
  for (const member of PUBLIC_MEMBERS) if (jwk[member] !== undefined) part[member] = jwk[member];
  return part;
}

/** Development keys: one ES256 key made at start, so tokens die with the process. */
async function generatedKeySet(): Promise<JWK[]> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return [{ ...(await exportJWK(privateKey)), kid: `dev-${Date.now().toString(36)}`, alg: 'ES256' }];
}

function parseKeySet(text: string): JWK[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(['the signing keys are not JSON (expected a JWK set {"keys":[...]})']);
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || !keys.length) throw new ConfigError(['the signing key set has no "keys"']);
  const problems: string[] = [];
  const kids = new Set<string>();
  keys.forEach((key: JWK, index) => {
    if (!key.kid || kids.has(key.kid)) problems.push(`signing key ${index} needs a unique "kid"`);
    kids.add(key.kid ?? '');
    if (!key.alg || !IDENTITY_ALGORITHMS.includes(key.alg))
      problems.push(`signing key ${index} needs "alg" ${IDENTITY_ALGORITHMS.join(' or ')}`);
    if (!key.d) problems.push(`signing key ${index} is not a private key`);
  });
  if (problems.length) throw new ConfigError(problems);
  return keys as JWK[];
}

/**
 * The configured key set: the active key signs, the others only verify
 * (rotation: publish the next key first, make it active later, drop the old
 * one once its tokens have expired).
 */
export async function loadSigningKeys(source: KeySource): Promise<SigningKeys> {
  let jwks: JWK[];
  if (source.inline) jwks = parseKeySet(source.inline);
  else if (source.file) jwks = parseKeySet(readFileSync(source.file, 'utf8'));
  else if (source.generateIfMissing) jwks = await generatedKeySet();
  else
    throw new ConfigError(['IDENTITY_SIGNING_KEYS or IDENTITY_SIGNING_KEYS_FILE is required in production']);
  const active = source.activeKid ? jwks.find((key) => key.kid === source.activeKid) : jwks[0];
  if (!active) throw new ConfigError(['IDENTITY_ACTIVE_KEY_ID names no key of the set']);
  return {
    active: { kid: active.kid!, alg: active.alg!, key: await importJWK(active, active.alg) },
    publicJwks: { keys: jwks.map(publicPart) },
  };
}
