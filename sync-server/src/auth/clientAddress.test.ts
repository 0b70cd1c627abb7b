import { describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { clientAddress, normaliseAddress, TrustedProxies } from './clientAddress';

describe('clientAddress', () => {
  const proxy = TrustedProxies.parse(['10.0.0.0/8', '2001:db8:1::/48', '192.0.2.10']);

  it('ignores X-Forwarded-For when no proxy is trusted: a client cannot choose its address', () => {
    expect(clientAddress('203.0.113.5', '198.51.100.1', TrustedProxies.none())).toBe('203.0.113.5');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(clientAddress('203.0.113.5', '198.51.100.1', proxy)).toBe('203.0.113.5');
  });

  it('takes the right-most untrusted address behind a trusted proxy, whatever the client wrote further left', () => {
    expect(clientAddress('10.1.2.3', '198.51.100.1', proxy)).toBe('198.51.100.1');
    // The client forged "1.1.1.1"; the proxy appended the real address.
    expect(clientAddress('10.1.2.3', '1.1.1.1, 198.51.100.1', proxy)).toBe('198.51.100.1');
    // Two trusted hops: the walk goes past both.
    expect(clientAddress('192.0.2.10', '1.1.1.1, 198.51.100.1, 10.9.9.9', proxy)).toBe('198.51.100.1');
  });

  it('reads several headers as one list and accepts ports and bracketed IPv6', () => {
    expect(clientAddress('10.1.2.3', ['1.1.1.1', '198.51.100.1:4711'], proxy)).toBe('198.51.100.1');
    expect(clientAddress('2001:db8:1::5', '[2001:DB8:2::7]:443', proxy)).toBe('2001:db8:2::7');
  });

  it('stops at an entry that is not an address, at the hop that wrote it', () => {
    expect(clientAddress('10.1.2.3', '198.51.100.1, nimportequoi', proxy)).toBe('10.1.2.3');
  });

  it('answers the left-most address when every hop is trusted, and the peer when the header is empty', () => {
    expect(clientAddress('10.1.2.3', '10.0.0.1, 10.0.0.2', proxy)).toBe('10.0.0.1');
    expect(clientAddress('10.1.2.3', ' , ', proxy)).toBe('10.1.2.3');
    expect(clientAddress('10.1.2.3', undefined, proxy)).toBe('10.1.2.3');
  });

  it('treats an IPv4 peer on a dual-stack socket as IPv4', () => {
    expect(normaliseAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientAddress('::ffff:10.1.2.3', '198.51.100.1', proxy)).toBe('198.51.100.1');
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.1', TrustedProxies.parse(['loopback']))).toBe('198.51.100.1');
    expect(clientAddress('::1', '198.51.100.1', TrustedProxies.parse(['loopback']))).toBe('198.51.100.1');
  });

  it('refuses a trusted-proxy entry that is not an address, a CIDR block or loopback, in French', () => {
    for (const bad of ['proxy.example.org', '10.0.0.0/33', '10.0.0.0/8/1', '2001:db8::/129', '10.0.0.0/x', ''])
      expect(() => TrustedProxies.parse([bad]), bad).toThrow(fr.server.badTrustedProxy(bad));
  });
});
