import { createAuthenticator, issueToken } from './tokens';

const secret = 'a-secret-for-the-token-unit-tests';
const authenticate = createAuthenticator({ jwtSecret: secret, jwksUrl: null, issuer: null, audience: null });

describe('authenticator', () => {
  it('reads the role and subject, and treats no header as anonymous', async () => {
    expect(await authenticate(`Bearer ${await issueToken(secret, { role: 'customer', sub: 'alice' })}`)).toEqual({ role: 'customer', id: 'alice' });
    expect(await authenticate(undefined)).toEqual({ role: 'anonymous' });
  });

  it('stops accepting a remembered token once it expires', async () => {
    const token = await issueToken(secret, { role: 'admin', sub: 'ops' }, { expiresIn: '2s' });
    expect(await authenticate(`Bearer ${token}`)).toEqual({ role: 'admin', id: 'ops' });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect(authenticate(`Bearer ${token}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
