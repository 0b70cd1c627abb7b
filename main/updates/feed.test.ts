import { describe, expect, it } from 'vitest';
import { resolveUpdateFeed } from './feed';

describe('the update feed from the policy', () => {
  it('is off without an address, on the default channel', () => {
    expect(resolveUpdateFeed()).toMatchObject({ enabled: false, channel: 'latest', reason: expect.stringMatching(/aucune adresse/) });
    expect(resolveUpdateFeed({ url: '  ', channel: null })).toMatchObject({ enabled: false, channel: 'latest' });
  });

  it('takes an https folder and a channel, the folder ending with a slash', () => {
    expect(resolveUpdateFeed({ url: 'https://maj.ars.example/vigie', channel: 'beta' })).toEqual({ enabled: true, url: 'https://maj.ars.example/vigie/', channel: 'beta' });
    expect(resolveUpdateFeed({ url: 'http://127.0.0.1:8080/' })).toEqual({ enabled: true, url: 'http://127.0.0.1:8080/', channel: 'latest' });
  });

  it('refuses plain http off the loopback, credentials in the address (never repeated), and odd channels', () => {
    expect(resolveUpdateFeed({ url: 'http://maj.ars.example/' })).toMatchObject({ enabled: false, reason: expect.stringMatching(/https:\/\//) });
    const withCreds = resolveUpdateFeed({ url: 'https://admin:s3cret@maj.ars.example/' });
    expect(withCreds.enabled).toBe(false);
    expect(JSON.stringify(withCreds)).not.toContain('s3cret');
    expect(resolveUpdateFeed({ url: 'pas une adresse' }).enabled).toBe(false);
    for (const channel of ['../latest', 'Beta', 'latest.yml', 'a'.repeat(33)]) {
      expect(resolveUpdateFeed({ url: 'https://maj.ars.example/', channel })).toMatchObject({ enabled: false, reason: expect.stringMatching(/Canal de mise à jour invalide/) });
    }
  });
});
