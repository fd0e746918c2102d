import Joi from 'joi';
import {
  SignJWT,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import type { AuthConfig } from './config.js';
import { AuthError } from './errors.js';
import { externalUserId } from './external-user-id.js';

/** Who a request or socket acts as; services take the sender from here, never from a payload. */
export interface Principal {
  userId: string;
  name: string;
  /** The sign-in session (refresh-token family) an identity-service token belongs to; what sign-out revokes. */
  sessionId?: string;
}

export interface TokenService {
  /**
   * Checks signature, algorithm, issuer, audience and expiry; throws `AuthError` (AUTH_MISSING, AUTH_INVALID,
   * AUTH_EXPIRED). ES256/EdDSA tokens of the identity service verify by its JWKS, an external provider's by
   * its JWKS, HS256 dev tokens only while dev sign-in is on.
   */
  verifyAccessToken(token: string | undefined | null): Promise<Principal>;
  /** Signs a short-lived access token for anyone; throws AUTH_DEV_SIGNIN_DISABLED unless dev sign-in is on. */
  mintDevToken(user: Principal): Promise<string>;
}

const DEV_ALGORITHM = 'HS256';
/** What the identity service signs with. */
export const IDENTITY_ALGORITHMS = ['ES256', 'EdDSA'];
/** What external providers commonly sign with (RS256 is the OIDC default). */
const EXTERNAL_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
/** A key set is fetched again at most this often when a token names an unknown `kid` (rotation). */
const JWKS_COOLDOWN_MS = 10_000;

/** The same id rule as the event contracts, so a user id from a token is safe in Redis keys and MongoDB filters. */
const principalSchema = Joi.object({
  sub: Joi.string()
    .min(1)
    .max(128)
    .pattern(/^[A-Za-z0-9._:-]+$/)
    .required(),
  name: Joi.string().trim().min(1).max(100).required(),
  sid: Joi.string()
    .pattern(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
}).unknown(true);

/** Which key and checks a token is verified with, chosen by its header and (unverified) issuer. */
interface Verification {
  key: Uint8Array | JWTVerifyGetKey;
  options: JWTVerifyOptions;
  external: boolean;
}

function remoteKeys(url: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url), { cooldownDuration: JWKS_COOLDOWN_MS, timeoutDuration: 5_000 });
}

export function createTokenService(config: AuthConfig): TokenService {
  const key = new TextEncoder().encode(config.secret);
  const ownKeys = config.jwksUrl ? remoteKeys(config.jwksUrl) : undefined;
  const external = config.externalIssuer;
  const externalKeys = external ? remoteKeys(external.jwksUrl) : undefined;
  const common = { clockTolerance: config.clockToleranceSeconds, requiredClaims: ['sub', 'exp', 'iat'] };

  const verificationFor = (token: string): Verification | undefined => {
    const { alg } = decodeProtectedHeader(token);
    if (alg === DEV_ALGORITHM) {
      if (!config.devSignIn) return undefined;
      const options = {
        ...common,
        algorithms: [DEV_ALGORITHM],
        issuer: config.issuer,
        audience: config.audience,
      };
      return { key, options, external: false };
    }
    if (external && externalKeys && decodeJwt(token).iss === external.issuer) {
      const options = {
        ...common,
        algorithms: EXTERNAL_ALGORITHMS,
        issuer: external.issuer,
        audience: external.audience,
      };
      return { key: externalKeys, options, external: true };
    }
    if (!ownKeys) return undefined;
    const options = {
      ...common,
      algorithms: IDENTITY_ALGORITHMS,
      issuer: config.issuer,
      audience: config.audience,
    };
    return { key: ownKeys, options, external: false };
  };

  return {
    async verifyAccessToken(token) {
      if (!token) throw new AuthError('AUTH_MISSING', 'an access token is required');
      let claims: Record<string, unknown>;
      let external = false;
      try {
        const verification = verificationFor(token);
        if (!verification) throw new AuthError('AUTH_INVALID', 'the access token is not valid');
        external = verification.external;
        ({ payload: claims } = await jwtVerify(
          token,
          verification.key as Parameters<typeof jwtVerify>[1],
          verification.options,
        ));
      } catch (error) {
        if (error instanceof errors.JWTExpired)
          throw new AuthError('AUTH_EXPIRED', 'the access token has expired');
        if (error instanceof AuthError) throw error;
        throw new AuthError('AUTH_INVALID', 'the access token is not valid', { cause: error });
      }
      if (external) return externalPrincipal(claims);
      const { value, error } = principalSchema.validate(claims);
      if (error) throw new AuthError('AUTH_INVALID', 'the access token does not name a valid user');
      return {
        userId: value.sub as string,
        name: value.name as string,
        ...(value.sid ? { sessionId: value.sid as string } : {}),
      };
    },

    async mintDevToken(user) {
      if (!config.devSignIn) throw new AuthError('AUTH_DEV_SIGNIN_DISABLED', 'dev sign-in is disabled');
      const { value, error } = principalSchema.validate({ sub: user.userId, name: user.name });
      if (error) throw new AuthError('AUTH_INVALID', `cannot mint a token: ${error.message}`);
      return new SignJWT({ name: value.name as string })
        .setProtectedHeader({ alg: DEV_ALGORITHM, typ: 'JWT' })
        .setSubject(value.sub as string)
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setIssuedAt()
        .setExpirationTime(`${config.accessTokenTtlSeconds}s`)
        .sign(key);
    },
  };
}

const externalClaims = Joi.object({
  iss: Joi.string().required(),
  sub: Joi.string().min(1).max(255).required(),
  name: Joi.string().trim().min(1).max(100),
  preferred_username: Joi.string().trim().min(1).max(100),
}).unknown(true);

/** An external provider's subject becomes the account id the identity service gave it (`externalUserId`). */
function externalPrincipal(claims: Record<string, unknown>): Principal {
  const { value, error } = externalClaims.validate(claims);
  if (error) throw new AuthError('AUTH_INVALID', 'the access token does not name a valid user');
  const userId = externalUserId(value.iss as string, value.sub as string);
  return { userId, name: (value.name ?? value.preferred_username ?? userId) as string };
}

/** The token in an `Authorization: Bearer <token>` header; AUTH_MISSING when there is none. */
export function bearerToken(header: string | undefined | null): string {
  const match = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) throw new AuthError('AUTH_MISSING', 'expected an "Authorization: Bearer <token>" header');
  return match[1];
}
