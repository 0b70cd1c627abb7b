// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../../common/app/api';
import { UpdateBannerView, type UpdateBannerViewProps } from './UpdateBanner';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const status = (over: Partial<UpdateStatus>): UpdateStatus => ({ state: 'idle', version: null, percent: null, pending: 0, channel: 'latest', detail: null, ...over });

describe('the update banner', () => {
  let host: HTMLDivElement;
  let root: Root;
  let restarts = 0;
  const render = (props: Partial<UpdateBannerViewProps>) =>
    act(() => root.render(<UpdateBannerView status={null} refusal={null} hidden={false} onRestart={() => restarts++} onLater={() => undefined} {...props} />));
  const banner = () => host.querySelector('[data-testid="update-banner"]');
  const button = () => [...host.querySelectorAll('button')].find((b) => b.textContent === 'Redémarrer pour mettre à jour') ?? null;

  beforeEach(() => {
    restarts = 0;
    host = document.createElement('div');
    document.body.append(host);
    root = createRoot(host);
  });
  afterEach(() => {
    act(() => root.unmount());
    host.remove();
  });

  it('shows nothing while updates are off, idle, checking or downloading', () => {
    for (const s of [status({ state: 'disabled', detail: 'off' }), status({}), status({ state: 'checking' }), status({ state: 'downloading', version: '0.2.0', percent: 40 })]) {
      render({ status: s });
      expect(banner()).toBeNull();
    }
  });

  it('offers « Redémarrer pour mettre à jour » once the outbox is empty', () => {
    render({ status: status({ state: 'ready', version: '0.2.0' }) });
    expect(banner()?.textContent).toContain('La version 0.2.0 de Vigie est prête.');
    act(() => button()?.click());
    expect(restarts).toBe(1);
  });

  it('says why it waits, with no button, while mutations are unconfirmed', () => {
    render({ status: status({ state: 'waiting', version: '0.2.0', pending: 3 }) });
    expect(button()).toBeNull();
    expect(banner()?.textContent).toMatch(/quand les 3 opérations en attente auront été confirmées par le serveur/);
    render({ status: status({ state: 'waiting', version: '0.2.0', pending: 1 }) });
    expect(banner()?.textContent).toMatch(/quand l’opération en attente aura été confirmée/);
  });

  it('shows main’s refusal, and hides when « Plus tard » was chosen', () => {
    render({ status: status({ state: 'ready', version: '0.2.0' }), refusal: 'Redémarrage refusé : 1 opération…' });
    expect(banner()?.textContent).toContain('Redémarrage refusé');
    render({ status: status({ state: 'ready', version: '0.2.0' }), hidden: true });
    expect(banner()).toBeNull();
  });
});
