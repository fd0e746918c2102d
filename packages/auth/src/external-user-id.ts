import { createHash } from 'node:crypto';

/**
 * The account id of a person from an external OpenID provider: derived from
 * the issuer and subject, so the identity service (which creates the account
 * on first sign-in) and every verifier of the provider's own access tokens
 * name the same user without a lookup. Within the contracts' id rule.
 */
export function externalUserId(issuer: string, subject: string): string {
  const digest = createHash('sha256').update(`${issuer}\n${subject}`).digest('base64url');
  return `oidc-${digest.slice(0, 32)}`;
}
