import { describe, expect, it } from 'vitest';
import { isLoopbackHost, normaliseFingerprint } from '../../../common/transport';

describe('isLoopbackHost', () => {
  it('accepts the names and addresses that only reach this machine', () => {
    for (const host of ['localhost', 'LOCALHOST', 'localhost.', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) expect(isLoopbackHost(host), host).toBe(true);
  });

  it('refuses every other host, every interface and look-alikes', () => {
    for (const host of ['', '0.0.0.0', '::', '[::]', '10.0.0.1', '192.168.1.10', '128.0.0.1', '127.0.0.256', '127.0.0', 'localhost.example.fr', 'vigie.ars.sante.fr', '::2', '::ffff:10.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe('normaliseFingerprint', () => {
  const canonical = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

  it('reads the forms a person copies: colons or not, any case, OpenSSL’s prefix', () => {
    expect(normaliseFingerprint(canonical)).toBe(canonical);
    expect(normaliseFingerprint(canonical.toLowerCase().replaceAll(':', ''))).toBe(canonical);
    expect(normaliseFingerprint(`sha256 Fingerprint=${canonical}`)).toBe(canonical);
    expect(normaliseFingerprint(` SHA256:${canonical.replaceAll(':', ' ')} `)).toBe(canonical);
  });

  it('refuses anything that is not 32 bytes of hex', () => {
    for (const text of ['', 'AB:CD', canonical.slice(3), `${canonical}:00`, canonical.replace('AB', 'GG'), 'sha1 Fingerprint=AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01'])
      expect(normaliseFingerprint(text), text).toBeNull();
  });
});
