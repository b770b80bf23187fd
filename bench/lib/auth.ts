/**
 * The bench's credentials: a per-run HS256 secret handed to the gateway (JWT_SECRET) and an admin
 * bearer token signed with it (node:crypto only, no JWT library), sent with every request. A
 * gateway without authentication ignores the header.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const BENCH_JWT_SECRET = randomBytes(32).toString('hex');

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

export function adminToken(secret = BENCH_JWT_SECRET, subject = 'bench-admin'): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ role: 'admin', sub: subject, iat: now, exp: now + 12 * 3600 }));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

export const AUTH_HEADERS: Record<string, string> = { authorization: `Bearer ${adminToken()}` };
