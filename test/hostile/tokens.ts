/** Bearer tokens that must all be refused: forged, expired, unsigned, with a bad role or subject. */
import { SignJWT } from 'jose';
import { TEST_JWT_SECRET } from '../support/gatewayHarness';

const key = (secret: string) => new TextEncoder().encode(secret);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function badTokens(): Promise<Array<readonly [label: string, authorization: string]>> {
  const now = Math.floor(Date.now() / 1000);
  const signed = (claims: Record<string, unknown>, secret = TEST_JWT_SECRET) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(key(secret));
  return [
    ['garbage token', 'Bearer a.b.c'],
    ['not a bearer', 'Basic YWRtaW46YWRtaW4='],
    ['bearer without token', 'Bearer '],
    ['token of 12 KB', `Bearer ${'A'.repeat(6_000)}.${'B'.repeat(6_000)}.C`],
    ['signed with another secret', `Bearer ${await signed({ role: 'admin', sub: 'mallory' }, 'not-the-gateway-secret-at-all')}`],
    [
      'expired',
      `Bearer ${await new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('old')
        .setIssuedAt(now - 7200)
        .setExpirationTime(now - 3600)
        .sign(key(TEST_JWT_SECRET))}`,
    ],
    [
      'no expiry (exp)',
      `Bearer ${await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('forever').setIssuedAt(now).sign(key(TEST_JWT_SECRET))}`,
    ],
    ['alg none', `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ role: 'admin', sub: 'mallory', exp: now + 3600 })}.`],
    ['unknown role', `Bearer ${await signed({ role: 'root', sub: 'mallory' })}`],
    ['no subject', `Bearer ${await signed({ role: 'admin' })}`],
    ['subject of 1,000 characters', `Bearer ${await signed({ role: 'admin', sub: 'x'.repeat(1_000) })}`],
  ];
}
