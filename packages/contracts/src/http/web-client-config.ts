/**
 * What the web page reads from `GET /config.json` at start-up: one shape for
 * the gateway that serves it and the page that reads it.
 */
export interface WebClientConfig {
  /** Origin of the room service's API; empty: the page's own origin. */
  roomApiUrl: string;
  /** Whether `POST /v1/dev/token` signs anyone in (development only). */
  devSignIn: boolean;
  /** Origin of the identity service (accounts: sign up, sign in, profile); '' the page's own; absent: no accounts. */
  identityApiUrl?: string;
  /** Provider name on the "Sign in with …" button; absent: no single sign-on. */
  ssoLabel?: string;
}

export const WEB_CLIENT_CONFIG_PATH = '/config.json';
