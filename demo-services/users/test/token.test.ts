import { describe, expect, it } from 'vitest';
import { checkPassword, hashPassword } from '../src/passwords.ts';
import { signToken, verifyToken } from '../src/token.ts';

const user = { id: 'u1', username: 'ada' };

describe('session tokens', () => {
  it('verifies a token it signed and returns its claims', () => {
    const result = verifyToken('secret', signToken('secret', user));
    expect(result).toMatchObject({ claims: { sub: 'u1', name: 'ada' } });
  });

  it('refuses a token signed with another secret or with a changed payload', () => {
    const token = signToken('secret', user);
    expect(verifyToken('other', token)).toEqual({ problem: 'bad signature' });
    const [version, , sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'u2', name: 'grace', iat: 0, exp: 9e9 })).toString('base64url');
    expect(verifyToken('secret', `${version}.${forged}.${sig}`)).toEqual({ problem: 'bad signature' });
  });

  it('refuses an expired or malformed token', () => {
    const issued = Date.now() - 7200_000;
    expect(verifyToken('secret', signToken('secret', user, 3600, issued))).toEqual({ problem: 'expired' });
    expect(verifyToken('secret', 'not-a-token')).toEqual({ problem: 'malformed' });
  });
});

describe('password hashes', () => {
  it('match the password they were made from and nothing else', async () => {
    const stored = await hashPassword('analytical-engine');
    expect(stored).toMatch(/^scrypt\$/);
    expect(await checkPassword('analytical-engine', stored)).toBe(true);
    expect(await checkPassword('analytical-engin', stored)).toBe(false);
  });
});
