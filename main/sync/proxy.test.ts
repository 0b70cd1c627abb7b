/**
 * The proxy decision of the main process's connections: the policy's bypass list read as
 * Chromium reads it, NO_PROXY read as curl reads it, Chromium's `resolveProxy` answers, and
 * the resolver built from the policy (loopback never proxied, system mode through Chromium
 * or the environment).
 */
import { describe, expect, it } from 'vitest';
import { fr } from '../../common/i18n/fr';
import { bypassMatches, noProxyMatches, parseChromiumProxyList, parseProxyUrl, ProxyError, proxyResolver, type ProxyRoute } from './proxy';

const https = (hostPort: string) => new URL(`https://${hostPort}/`);

function thrown(fn: () => unknown): ProxyError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProxyError);
    return err as ProxyError;
  }
  throw new Error('expected a ProxyError');
}

describe('the policy’s bypass list (Chromium’s simple rules)', () => {
  it('a wildcard or a leading dot takes the sub-domains, not the domain itself', () => {
    for (const rule of ['*.ars.fr', '.ars.fr']) {
      expect(bypassMatches([rule], https('vigie.ars.fr')), rule).toBe(true);
      expect(bypassMatches([rule], https('a.b.ars.fr')), rule).toBe(true);
      expect(bypassMatches([rule], https('ars.fr')), rule).toBe(false);
      expect(bypassMatches([rule], https('vigie.pars.fr')), rule).toBe(false);
      expect(bypassMatches([rule], https('ars.fr.evil.com')), rule).toBe(false);
    }
  });

  it('an exact host takes that host only, whatever the case', () => {
    expect(bypassMatches(['vigie.ars-idf.fr'], https('VIGIE.ars-idf.fr'))).toBe(true);
    expect(bypassMatches(['vigie.ars-idf.fr'], https('maj.vigie.ars-idf.fr'))).toBe(false);
    expect(bypassMatches(['vigie.ars-idf.fr'], https('vigie.ars-idf.fr.'))).toBe(true);
  });

  it('a * anywhere in the name, and * alone for every host', () => {
    expect(bypassMatches(['*vigie*'], https('srv-vigie-01.chu.fr'))).toBe(true);
    expect(bypassMatches(['*vigie*'], https('srv-01.chu.fr'))).toBe(false);
    expect(bypassMatches(['*'], https('anything.example'))).toBe(true);
  });

  it('a port or a scheme narrows a rule', () => {
    expect(bypassMatches(['vigie.ars.fr:8443'], https('vigie.ars.fr:8443'))).toBe(true);
    expect(bypassMatches(['vigie.ars.fr:8443'], https('vigie.ars.fr'))).toBe(false);
    expect(bypassMatches(['vigie.ars.fr:443'], https('vigie.ars.fr'))).toBe(true);
    expect(bypassMatches(['https://vigie.ars.fr'], https('vigie.ars.fr'))).toBe(true);
    expect(bypassMatches(['http://vigie.ars.fr'], https('vigie.ars.fr'))).toBe(false);
    expect(bypassMatches(['https://*.ars.fr'], new URL('wss://vigie.ars.fr/'))).toBe(true);
  });

  it('addresses and blocks: an address written in the url, never a name resolved', () => {
    expect(bypassMatches(['10.0.0.0/8'], https('10.20.30.40:4100'))).toBe(true);
    expect(bypassMatches(['10.0.0.0/8'], https('11.0.0.1'))).toBe(false);
    expect(bypassMatches(['10.0.0.0/8'], https('ten.example'))).toBe(false);
    expect(bypassMatches(['192.168.1.7'], https('192.168.1.7:4100'))).toBe(true);
    expect(bypassMatches(['192.168.1.7'], https('192.168.1.8'))).toBe(false);
    expect(bypassMatches(['fd00::/8'], https('[fd12::1]'))).toBe(true);
    expect(bypassMatches(['[fd12::1]'], https('[fd12:0::1]:4100'))).toBe(true);
    expect(bypassMatches(['[fd12::1]:8443'], https('[fd12::1]:4100'))).toBe(false);
  });

  it('<local> takes names without a dot; other <…> rules and blanks change nothing', () => {
    expect(bypassMatches(['<local>'], https('vigie:4100'))).toBe(true);
    expect(bypassMatches(['<local>'], https('vigie.ars.fr'))).toBe(false);
    expect(bypassMatches(['<-loopback>', ' ', ''], https('vigie.ars.fr'))).toBe(false);
    expect(bypassMatches([], https('vigie.ars.fr'))).toBe(false);
  });
});

describe('NO_PROXY (as curl reads it)', () => {
  it('a domain takes itself and its sub-domains, with or without a leading dot or *.', () => {
    for (const rule of ['ars.fr', '.ars.fr', '*.ars.fr']) {
      expect(noProxyMatches(rule, https('ars.fr')), rule).toBe(true);
      expect(noProxyMatches(rule, https('vigie.ars.fr')), rule).toBe(true);
      expect(noProxyMatches(rule, https('pars.fr')), rule).toBe(false);
    }
  });

  it('lists, ports, addresses, blocks and *', () => {
    expect(noProxyMatches('intranet, vigie.chu.fr:8443 ,10.0.0.0/8', https('vigie.chu.fr:8443'))).toBe(true);
    expect(noProxyMatches('vigie.chu.fr:8443', https('vigie.chu.fr'))).toBe(false);
    expect(noProxyMatches('intranet 10.0.0.0/8', https('10.1.2.3'))).toBe(true);
    expect(noProxyMatches('192.168.0.9', https('192.168.0.9:4100'))).toBe(true);
    expect(noProxyMatches('*', https('vigie.ars.fr'))).toBe(true);
    expect(noProxyMatches('', https('vigie.ars.fr'))).toBe(false);
  });
});

describe('Chromium’s resolveProxy answers', () => {
  it('keeps the first usable entry: DIRECT, PROXY (http) or HTTPS (proxy over TLS)', () => {
    expect(parseChromiumProxyList('DIRECT')).toEqual({ kind: 'direct' });
    expect(parseChromiumProxyList('')).toEqual({ kind: 'direct' });
    const proxied = parseChromiumProxyList('PROXY proxy.ars.fr:3128; DIRECT');
    expect(proxied).toEqual({ kind: 'proxy', proxy: { label: 'http://proxy.ars.fr:3128', host: 'proxy.ars.fr', port: 3128, tls: false } });
    expect(parseChromiumProxyList('HTTPS proxy.ars.fr:443')).toMatchObject({ kind: 'proxy', proxy: { host: 'proxy.ars.fr', port: 443, tls: true } });
    expect(parseChromiumProxyList('PROXY proxy.ars.fr')).toMatchObject({ kind: 'proxy', proxy: { port: 80, label: 'http://proxy.ars.fr:80' } });
    expect(parseChromiumProxyList('HTTPS [fd00::3]')).toMatchObject({ kind: 'proxy', proxy: { label: 'https://[fd00::3]:443' } });
    expect(parseChromiumProxyList('PROXY [fd00::3]:3128')).toMatchObject({ kind: 'proxy', proxy: { host: 'fd00::3', port: 3128, label: 'http://[fd00::3]:3128' } });
  });

  it('skips SOCKS and QUIC entries, and refuses a list with nothing usable, in French', () => {
    expect(parseChromiumProxyList('SOCKS5 socks.ars.fr:1080; PROXY proxy.ars.fr:3128')).toMatchObject({ kind: 'proxy', proxy: { host: 'proxy.ars.fr' } });
    expect(parseChromiumProxyList('SOCKS socks.ars.fr:1080;DIRECT')).toEqual({ kind: 'direct' });
    const err = thrown(() => parseChromiumProxyList('SOCKS5 socks.ars.fr:1080'));
    expect(err.kind).toBe('config');
    expect(err.message).toBe(fr.transport.proxyUnsupported('SOCKS5 socks.ars.fr:1080'));
  });
});

describe('a proxy address', () => {
  it('takes http(s) urls and bare host:port; credentials become a Basic header, never part of the label', () => {
    expect(parseProxyUrl('http://proxy.ars.fr:3128', 'x')).toEqual({ label: 'http://proxy.ars.fr:3128', host: 'proxy.ars.fr', port: 3128, tls: false });
    expect(parseProxyUrl('proxy.chu.fr:8080', 'x')).toMatchObject({ label: 'http://proxy.chu.fr:8080', port: 8080 });
    expect(parseProxyUrl('https://proxy.ars.fr', 'x')).toMatchObject({ port: 443, tls: true });
    const withUser = parseProxyUrl('http://agent%40chu:s%C3%A9cret@proxy.chu.fr:8080', 'HTTPS_PROXY');
    expect(withUser.label).toBe('http://proxy.chu.fr:8080');
    expect(withUser.authorization).toBe(`Basic ${Buffer.from('agent@chu:sécret').toString('base64')}`);
  });

  it('refuses another scheme or garbage, saying where it came from', () => {
    expect(thrown(() => parseProxyUrl('socks5://proxy:1080', 'HTTPS_PROXY')).message).toBe(fr.transport.proxyBadAddress('HTTPS_PROXY', 'socks5://proxy:1080'));
    expect(thrown(() => parseProxyUrl('http://', 'HTTPS_PROXY')).kind).toBe('config');
  });
});

describe('the resolver built from the policy', () => {
  const route = (r: ProxyRoute) => (r.kind === 'direct' ? 'direct' : r.proxy.label);

  it('fixed: the policy’s proxy, except the bypass list and loopback', async () => {
    const resolve = proxyResolver({ mode: 'fixed', url: 'http://proxy.ars.fr:3128', bypass: ['*.ars.fr'] });
    expect(route(await resolve(https('vigie.chu-brest.fr')))).toBe('http://proxy.ars.fr:3128');
    expect(route(await resolve(https('vigie.ars.fr')))).toBe('direct');
    for (const loopback of ['127.0.0.1:4100', 'localhost:4100', '[::1]:4100']) expect(route(await resolve(https(loopback))), loopback).toBe('direct');
  });

  it('direct: never a proxy, whatever the environment says', async () => {
    const resolve = proxyResolver({ mode: 'direct' }, { env: { HTTPS_PROXY: 'http://proxy:3128' } });
    expect(route(await resolve(https('vigie.ars.fr')))).toBe('direct');
  });

  it('system in the desktop app: asks Chromium for the url itself, not for loopback', async () => {
    const asked: string[] = [];
    const resolve = proxyResolver(
      { mode: 'system' },
      {
        system: (url) => {
          asked.push(url);
          return Promise.resolve(url.includes('intranet') ? 'DIRECT' : 'PROXY pac-proxy.ars.fr:8080; DIRECT');
        },
        env: { HTTPS_PROXY: 'http://ignored:1' },
      },
    );
    expect(route(await resolve(https('vigie.ars.fr:4443')))).toBe('http://pac-proxy.ars.fr:8080');
    expect(route(await resolve(https('vigie.intranet')))).toBe('direct');
    expect(route(await resolve(https('127.0.0.1:4100')))).toBe('direct');
    expect(asked).toEqual(['https://vigie.ars.fr:4443/', 'https://vigie.intranet/']);
  });

  it('system in the desktop app: a failed lookup is refused in French', async () => {
    const resolve = proxyResolver({ mode: 'system' }, { system: () => Promise.reject(new Error('session détruite')) });
    await expect(resolve(https('vigie.ars.fr'))).rejects.toThrow(fr.transport.proxyLookupFailed('session détruite'));
  });

  it('system without Chromium (web host): HTTPS_PROXY, https_proxy first, and NO_PROXY', async () => {
    const env = { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', NO_PROXY: '.chu.fr' };
    const resolve = proxyResolver({ mode: 'system' }, { env });
    expect(route(await resolve(https('vigie.ars.fr')))).toBe('http://lower:3128');
    expect(route(await resolve(https('vigie.chu.fr')))).toBe('direct');
    expect(route(await proxyResolver({ mode: 'system' }, { env: {} })(https('vigie.ars.fr')))).toBe('direct');
    await expect(proxyResolver({ mode: 'system' }, { env: { HTTPS_PROXY: 'ftp://x' } })(https('vigie.ars.fr'))).rejects.toThrow(fr.transport.proxyBadAddress('HTTPS_PROXY', 'ftp://x'));
  });
});
