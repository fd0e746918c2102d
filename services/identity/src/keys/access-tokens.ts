import { SignJWT } from 'jose';
import type { SigningKeys } from './signing-keys.js';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface AccessTokenSubject {
  userId: string;
  displayName: string;
  sessionId: string;
}

/** The JWT the gateway and room service verify by the JWKS: `sub` is the user, `sid` the session sign-out revokes. */
export function accessTokenMinter(keys: SigningKeys, settings: AccessTokenSettings) {
  return (subject: AccessTokenSubject): Promise<string> =>
    new SignJWT({ name: subject.displayName, sid: subject.sessionId })
      .setProtectedHeader({ alg: keys.active.alg, kid: keys.active.kid, typ: 'JWT' })
      .setSubject(subject.userId)
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setIssuedAt()
      .setExpirationTime(`${settings.ttlSeconds}s`)
      .sign(keys.active.key);
}

export type MintAccessToken = ReturnType<typeof accessTokenMinter>;
