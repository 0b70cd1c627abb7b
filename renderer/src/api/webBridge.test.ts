import { describe, expect, it } from 'vitest';
import { localServiceLost, takeBridgeToken, TOKEN_STORAGE_KEY } from './webBridge';

function fakes(hash: string, stored: string | null = null) {
  const storage = new Map<string, string>(stored ? [[TOKEN_STORAGE_KEY, stored]] : []);
  const replaced: string[] = [];
  return {
    loc: { hash, pathname: '/', search: '' },
    hist: { state: null, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) },
    storage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
    storageMap: storage,
    replaced,
  };
}

describe('web bridge token', () => {
  it('takes the token from the fragment, strips it from the address bar and keeps it for reloads', () => {
    const f = fakes('#token=abc_DEF-123');
    expect(takeBridgeToken(f.loc, f.hist, f.storage)).toBe('abc_DEF-123');
    expect(f.replaced).toEqual(['/']);
    expect(f.storageMap.get(TOKEN_STORAGE_KEY)).toBe('abc_DEF-123');
  });

  it('keeps the rest of the fragment', () => {
    const f = fakes('#token=t1&board=eventlog');
    expect(takeBridgeToken(f.loc, f.hist, f.storage)).toBe('t1');
    expect(f.replaced).toEqual(['/#board=eventlog']);
  });

  it('after a reload (no fragment) uses the token kept for this tab, and leaves the address alone', () => {
    const f = fakes('', 'kept');
    expect(takeBridgeToken(f.loc, f.hist, f.storage)).toBe('kept');
    expect(f.replaced).toEqual([]);
  });

  it('has no token when neither the fragment nor the tab has one', () => {
    const f = fakes('#other=1');
    expect(takeBridgeToken(f.loc, f.hist, f.storage)).toBeNull();
  });
});

describe('web bridge when its local service is gone', () => {
  it('says offline and why, keeping what the page knew, never « en ligne »', () => {
    const last = { state: 'online' as const, pending: 2, rejected: 1, lastSyncAt: '2020-03-20T10:00:00.000Z', serverUrl: 'http://127.0.0.1:4100', detail: null };
    const s = localServiceLost(last);
    expect(s.state).toBe('offline');
    expect(s.detail).toMatch(/service local/i);
    expect({ ...s, state: last.state, detail: null }).toEqual(last);
    expect(localServiceLost(null)).toMatchObject({ state: 'offline', pending: 0, lastSyncAt: null });
  });
});
