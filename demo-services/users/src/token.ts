/**
 * Signed session tokens: `v1.<payload>.<signature>`, base64url, the signature an HMAC-SHA256 of
 * `v1.<payload>` with the service's secret. Verification is constant-time and checks expiry.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token says about its bearer. */
export interface TokenClaims {
  /** User ID. */
  sub: string;
  /** Username. */
  name: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expires at, seconds since the epoch. */
  exp: number;
}

const VERSION = 'v1';

/** Env var holding the signing secret; a fixed development default applies when it is unset. */
export const TOKEN_SECRET_ENV = 'DEMO_TOKEN_SECRET';
export const DEV_TOKEN_SECRET = 'periscope-demo-development-secret';

/** Signs claims for `user`, valid for `ttlSeconds` from `now` (ms). */
export function signToken(secret: string, user: { id: string; username: string }, ttlSeconds = 3600, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const claims: TokenClaims = { sub: user.id, name: user.username, iat, exp: iat + ttlSeconds };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${VERSION}.${payload}.${signature(secret, payload)}`;
}

/** Why a token was refused. */
export type TokenProblem = 'malformed' | 'bad signature' | 'expired';

/** Verifies a token: its claims, or the reason it is refused. */
export function verifyToken(secret: string, token: string, now = Date.now()): { claims: TokenClaims } | { problem: TokenProblem } {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return { problem: 'malformed' };
  const [, payload, sig] = parts as [string, string, string];
  const expected = Buffer.from(signature(secret, payload), 'base64url');
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { problem: 'bad signature' };
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return { problem: 'malformed' };
  }
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return { problem: 'malformed' };
  if (claims.exp * 1000 <= now) return { problem: 'expired' };
  return { claims };
}

function signature(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`${VERSION}.${payload}`).digest('base64url');
}
