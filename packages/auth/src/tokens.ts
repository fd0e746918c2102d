import Joi from 'joi';
import { SignJWT, errors, jwtVerify } from 'jose';
import type { AuthConfig } from './config.js';
import { AuthError } from './errors.js';

/** Who a request or socket acts as; services take the sender from here, never from a payload. */
export interface Principal {
  userId: string;
  name: string;
}

export interface TokenService {
  /** Checks signature, algorithm, issuer, audience and expiry; throws `AuthError` (AUTH_MISSING, AUTH_INVALID, AUTH_EXPIRED). */
  verifyAccessToken(token: string | undefined | null): Promise<Principal>;
  /** Signs a short-lived access token for anyone; throws AUTH_DEV_SIGNIN_DISABLED unless dev sign-in is on. */
  mintDevToken(user: Principal): Promise<string>;
}

const ALGORITHM = 'HS256';

/** The same id rule as the event contracts, so a user id from a token is safe in Redis keys and MongoDB filters. */
const principalSchema = Joi.object({
  sub: Joi.string()
    .min(1)
    .max(128)
    .pattern(/^[A-Za-z0-9._:-]+$/)
    .required(),
  name: Joi.string().trim().min(1).max(100).required(),
}).unknown(true);

export function createTokenService(config: AuthConfig): TokenService {
  const key = new TextEncoder().encode(config.secret);

  return {
    async verifyAccessToken(token) {
      if (!token) throw new AuthError('AUTH_MISSING', 'an access token is required');
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: config.issuer,
          audience: config.audience,
          clockTolerance: config.clockToleranceSeconds,
          requiredClaims: ['sub', 'exp', 'iat'],
        }));
      } catch (error) {
        if (error instanceof errors.JWTExpired)
          throw new AuthError('AUTH_EXPIRED', 'the access token has expired');
        throw new AuthError('AUTH_INVALID', 'the access token is not valid', { cause: error });
      }
      const { value, error } = principalSchema.validate(claims);
      if (error) throw new AuthError('AUTH_INVALID', 'the access token does not name a valid user');
      return { userId: value.sub as string, name: value.name as string };
    },

    async mintDevToken(user) {
      if (!config.devSignIn) throw new AuthError('AUTH_DEV_SIGNIN_DISABLED', 'dev sign-in is disabled');
      const { value, error } = principalSchema.validate({ sub: user.userId, name: user.name });
      if (error) throw new AuthError('AUTH_INVALID', `cannot mint a token: ${error.message}`);
      return new SignJWT({ name: value.name as string })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(value.sub as string)
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setIssuedAt()
        .setExpirationTime(`${config.accessTokenTtlSeconds}s`)
        .sign(key);
    },
  };
}

/** The token in an `Authorization: Bearer <token>` header; AUTH_MISSING when there is none. */
export function bearerToken(header: string | undefined | null): string {
  const match = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) throw new AuthError('AUTH_MISSING', 'expected an "Authorization: Bearer <token>" header');
  return match[1];
}
