import { describe, expect, it } from 'vitest';
import { createAdminTokenAuthorize, type HandlerAction } from '../src/index.js';

const TOKEN = 'a'.repeat(8) + 'secret-admin-token';
const request = (authorization?: string) => ({ method: 'POST', url: '/', headers: authorization === undefined ? {} : { authorization } });

describe('createAdminTokenAuthorize', () => {
  it('lets reads through and asks every change for the bearer token', () => {
    const authorize = createAdminTokenAuthorize(TOKEN);
    for (const action of ['available', 'list', 'status', 'installed', 'events'] as HandlerAction[]) expect(authorize(request(), action)).toBe(true);
    for (const action of ['start', 'pause', 'resume', 'cancel', 'forget', 'remove', 'export', 'import'] as HandlerAction[]) {
      expect(authorize(request(), action), action).toBe(false);
      expect(authorize(request(`Bearer ${TOKEN}`), action), action).toBe(true);
    }
  });

  it('refuses a wrong, partial or differently shaped token', () => {
    const authorize = createAdminTokenAuthorize(TOKEN);
    for (const header of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`, 'Bearer', `Bearer ${TOKEN} extra`]) {
      expect(authorize(request(header), 'start'), header).toBe(false);
    }
    expect(authorize(request(`bearer  ${TOKEN}`), 'start')).toBe(true);
  });

  it('protects reads too when asked, and refuses a short token up front', () => {
    expect(createAdminTokenAuthorize(TOKEN, { protectReads: true })(request(), 'list')).toBe(false);
    expect(() => createAdminTokenAuthorize('short')).toThrow(/16 characters/);
  });
});
