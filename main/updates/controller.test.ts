/**
 * The controller against a fake updater: electron-updater's `autoUpdater` cannot run here
 * (it needs the Electron binary and an installed app's app-update.yml), so the fake plays
 * its part, event for event, and records what the controller asks of it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UpdateStatus } from '../../common/app/api';
import { ApiError } from '../handlers';
import { UpdateController } from './controller';
import { resolveUpdateFeed } from './feed';
import { FakeUpdater } from './testSupport';

const FEED = resolveUpdateFeed({ url: 'https://maj.ars.example/vigie', channel: 'beta' });

function setup(opts: { pending?: number; feed?: ReturnType<typeof resolveUpdateFeed>; updater?: FakeUpdater | null } = {}) {
  const updater = opts.updater === undefined ? new FakeUpdater() : opts.updater;
  let pending = opts.pending ?? 0;
  const emitted: UpdateStatus[] = [];
  const errors: string[] = [];
  const controller = new UpdateController({
    updater,
    feed: opts.feed ?? FEED,
    pendingCount: () => pending,
    emit: (s) => emitted.push(s),
    onError: (d) => errors.push(d),
    checkEveryMs: 60_000,
  });
  return {
    updater: updater as FakeUpdater,
    controller,
    emitted,
    errors,
    setPending(n: number) {
      pending = n;
    },
  };
}

function downloaded(u: FakeUpdater, version = '0.2.0') {
  u.report({ type: 'checking' });
  u.report({ type: 'available', version });
  u.report({ type: 'progress', percent: 50 });
  u.report({ type: 'downloaded', version });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the update controller', () => {
  it('configures the feed and checks at start, then every interval, not once downloaded', () => {
    vi.useFakeTimers();
    const t = setup();
    t.controller.start();
    expect(t.updater.configured).toEqual([{ url: 'https://maj.ars.example/vigie/', channel: 'beta' }]);
    expect(t.updater.checks).toBe(1);
    vi.advanceTimersByTime(60_000);
    expect(t.updater.checks).toBe(2);
    downloaded(t.updater);
    vi.advanceTimersByTime(180_000);
    expect(t.updater.checks).toBe(2);
    t.controller.stop();
  });

  it('download → waiting for an empty outbox → offer → restart', () => {
    const t = setup({ pending: 2 });
    t.controller.start();
    downloaded(t.updater);
    expect(t.controller.status()).toMatchObject({ state: 'waiting', version: '0.2.0', pending: 2, channel: 'beta' });
    // Asked anyway (a stale button): refused with the count, nothing installed.
    expect(() => t.controller.restart()).toThrow(ApiError);
    expect(() => t.controller.restart()).toThrow(/2 opérations de ce poste n’ont pas encore été confirmées/);
    expect(t.updater.installs).toBe(0);

    t.setPending(1);
    t.controller.outboxChanged();
    expect(t.controller.status().state).toBe('waiting');
    t.controller.outboxChanged(0);
    expect(t.controller.status()).toMatchObject({ state: 'ready', pending: 0 });
    expect(t.emitted.map((s) => s.state)).toEqual(['checking', 'downloading', 'downloading', 'waiting', 'waiting', 'ready']);

    t.setPending(0);
    expect(t.controller.restart()).toMatchObject({ state: 'restarting' });
    expect(t.updater.installs).toBe(1);
    expect(t.emitted.at(-1)?.state).toBe('restarting');
  });

  it('re-reads the outbox at the click: a mutation written after the offer stops the restart', () => {
    const t = setup();
    t.controller.start();
    downloaded(t.updater);
    expect(t.controller.status().state).toBe('ready');
    t.setPending(1); // written, no sync.status seen yet
    expect(() => t.controller.restart()).toThrow(/1 opération de ce poste n’a pas encore été confirmée/);
    expect(t.updater.installs).toBe(0);
    expect(t.controller.status()).toMatchObject({ state: 'waiting', pending: 1 });
  });

  it('refuses a restart with nothing downloaded', () => {
    const t = setup();
    t.controller.start();
    expect(() => t.controller.restart()).toThrow(/Aucune mise à jour n’est prête/);
    expect(t.updater.installs).toBe(0);
  });

  it('reports a failed check once, in French, and the next check starts afresh', async () => {
    const t = setup();
    t.updater.nextCheck = async () => {
      t.updater.report({ type: 'error', detail: 'net::ERR_NAME_NOT_RESOLVED' });
      throw new Error('net::ERR_NAME_NOT_RESOLVED');
    };
    t.controller.start();
    await vi.waitFor(() => expect(t.controller.status().state).toBe('error'));
    expect(t.controller.status().detail).toBe('La mise à jour a échoué : net::ERR_NAME_NOT_RESOLVED');
    expect(t.errors).toEqual(['net::ERR_NAME_NOT_RESOLVED']);
    t.updater.report({ type: 'checking' });
    expect(t.controller.status()).toMatchObject({ state: 'checking', detail: null });
  });

  it('tells the renderer of outbox changes only while it shows the count', () => {
    const t = setup();
    t.controller.start();
    for (const n of [1, 2, 0]) t.controller.outboxChanged(n);
    expect(t.emitted).toEqual([]);
    downloaded(t.updater);
    t.emitted.length = 0;
    for (const n of [3, 2, 2]) t.controller.outboxChanged(n);
    expect(t.emitted.map((s) => [s.state, s.pending])).toEqual([
      ['waiting', 3],
      ['waiting', 2],
    ]);
  });

  it('is off without an updater or without a feed, says why, and never checks', () => {
    const noUpdater = setup({ updater: null });
    noUpdater.controller.start();
    expect(noUpdater.controller.status()).toMatchObject({ state: 'disabled', detail: expect.stringMatching(/pas une version installée/) });

    const noFeed = setup({ feed: resolveUpdateFeed({}) });
    noFeed.controller.start();
    expect(noFeed.updater.checks).toBe(0);
    expect(noFeed.updater.configured).toEqual([]);
    expect(noFeed.controller.status()).toMatchObject({ state: 'disabled', detail: expect.stringMatching(/aucune adresse/) });
    expect(() => noFeed.controller.restart()).toThrow(ApiError);
  });
});
