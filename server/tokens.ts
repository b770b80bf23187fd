/** Issues and verifies the gateway's JWT bearer tokens (HS256 with a shared secret, or a JWKS). */
import { SignJWT, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Actor } from '../application/actor';
import { ANONYMOUS } from '../application/actor';
import { UnauthenticatedError } from '../application/authorization';

export interface TokenClaims {
  readonly role: 'admin' | 'customer';
  /** The admin's or the customer's id. */
  readonly sub: string;
}

export interface AuthSettings {
  /** HS256 shared secret. */
  readonly jwtSecret: string | null;
  /** A JWKS URL (RS256/ES256 etc.), used instead of the secret when set. */
  readonly jwksUrl: string | null;
  readonly issuer: string | null;
  readonly audience: string | null;
}

export async function issueToken(
  secret: string,
  claims: TokenClaims,
  options: { expiresIn?: string; issuer?: string | null; audience?: string | null } = {},
): Promise<string> {
  let jwt = new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

const VERIFIED_TOKENS_KEPT = 10_000;

/** The auth scheme is case-insensitive (RFC 9110 §11.1): `bearer` and `BEARER` are `Bearer`. */
const BEARER = /^Bearer\s+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/i;

/** Who a request or connection acts as, and until when (epoch ms; null for anonymous). */
export interface Session {
  readonly actor: Actor;
  readonly expiresAt: number | null;
}

export class TokenExpiredError extends UnauthenticatedError {
  constructor() {
    super('The token has expired: get a fresh token and reconnect');
  }
}

/** Turns an Authorization header value into an actor: none → anonymous; a bad or expired token → UNAUTHENTICATED. */
export function createAuthenticator(settings: AuthSettings): (authorization: string | null | undefined) => Promise<Actor> {
  const authenticateSession = createSessionAuthenticator(settings);
  return async (authorization) => (await authenticateSession(authorization)).actor;
}

/**
 * Like createAuthenticator, and also says when the token expires, so that long-lived sessions
 * (WebSocket, SSE) can end with it. Every token must carry `exp`: one without would be valid forever.
 */
export function createSessionAuthenticator(settings: AuthSettings): (authorization: string | null | undefined) => Promise<Session> {
  const key: Uint8Array | JWTVerifyGetKey | null = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl))
    : settings.jwtSecret
      ? new TextEncoder().encode(settings.jwtSecret)
      : null;
  if (key === null) throw new Error('Authentication needs JWT_SECRET or JWT_JWKS_URL');
  const options = {
    ...(settings.jwksUrl ? {} : { algorithms: ['HS256'] }),
    ...(settings.issuer ? { issuer: settings.issuer } : {}),
    ...(settings.audience ? { audience: settings.audience } : {}),
    requiredClaims: ['exp'],
  };
  // A client sends the same token with every request: a verified token is remembered until it
  // expires (bounded, oldest out), so the signature is checked once, not per request.
  const verified = new Map<string, Session & { expiresAt: number }>();
  return async (authorization) => {
    if (authorization === null || authorization === undefined || authorization === '') return { actor: ANONYMOUS, expiresAt: null };
    const token = BEARER.exec(authorization.trim())?.[1];
    if (!token) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
    const known = verified.get(token);
    if (known && known.expiresAt > Date.now()) return known;
    let payload;
    try {
      payload = (await jwtVerify(token, key as Uint8Array, options)).payload;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new TokenExpiredError();
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp')
        throw new UnauthenticatedError('The token has no expiry (exp): tokens must expire');
      throw new UnauthenticatedError('The token is invalid or expired');
    }
    const { role, sub, exp } = payload;
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) throw new UnauthenticatedError('The token has no valid subject');
    if (role !== 'admin' && role !== 'customer') throw new UnauthenticatedError('The token has no valid role');
    if (typeof exp !== 'number') throw new UnauthenticatedError('The token has no expiry (exp): tokens must expire');
    const session = { actor: { role, id: sub } as Actor, expiresAt: exp * 1000 };
    if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
    verified.set(token, session);
    return session;
  };
}
