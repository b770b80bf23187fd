import { SignJWT, decodeJwt } from 'jose';
import { TokenExpiredError, createAuthenticator, createSessionAuthenticator, issueToken } from './tokens';

const secret = 'a-secret-for-the-token-unit-tests';
const authenticate = createAuthenticator({ jwtSecret: secret, jwksUrl: null, issuer: null, audience: null });

describe('authenticator', () => {
  it('reads the role and subject, and treats no header as anonymous', async () => {
    expect(await authenticate(`Bearer ${await issueToken(secret, { role: 'customer', sub: 'alice' })}`)).toEqual({
      role: 'customer',
      id: 'alice',
    });
    expect(await authenticate(undefined)).toEqual({ role: 'anonymous' });
  });

  it('stops accepting a remembered token once it expires', async () => {
    const token = await issueToken(secret, { role: 'admin', sub: 'ops' }, { expiresIn: '2s' });
    expect(await authenticate(`Bearer ${token}`)).toEqual({ role: 'admin', id: 'ops' });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect(authenticate(`Bearer ${token}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('token rules (issue 11)', () => {
  it('issues tokens that expire (GraphiQL’s dev token and npm run token use issueToken)', async () => {
    expect(decodeJwt(await issueToken(secret, { role: 'admin', sub: 'ops' })).exp).toEqual(expect.any(Number));
  });

  it('refuses a token without exp, and reads the scheme case-insensitively', async () => {
    const forever = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('ops')
      .sign(new TextEncoder().encode(secret));
    await expect(authenticate(`Bearer ${forever}`)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/exp/),
    });
    const token = await issueToken(secret, { role: 'customer', sub: 'alice' });
    for (const scheme of ['bearer', 'BEARER', 'Bearer'])
      expect(await authenticate(`${scheme} ${token}`)).toEqual({ role: 'customer', id: 'alice' });
  });

  it('tells an expired token apart, and gives sessions their expiry', async () => {
    const session = createSessionAuthenticator({ jwtSecret: secret, jwksUrl: null, issuer: null, audience: null });
    const token = await issueToken(secret, { role: 'admin', sub: 'ops' }, { expiresIn: '1h' });
    expect((await session(`Bearer ${token}`)).expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(await session(undefined)).toEqual({ actor: { role: 'anonymous' }, expiresAt: null });
    const expired = await issueToken(secret, { role: 'admin', sub: 'ops' }, { expiresIn: '-1m' });
    await expect(session(`Bearer ${expired}`)).rejects.toBeInstanceOf(TokenExpiredError);
  });
});
