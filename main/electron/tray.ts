/**
 * The tray icon and the badge: how many things await action (`main/desktop/attention.ts`
 * counts them), with the detail in the tooltip; a click shows the window. Recounted after
 * every change the services announce (debounced) and every 30 s (a hold expires with no
 * change at all). Glue only: the counting is tested without Electron.
 */
import { app, Menu, nativeImage, Tray, type BrowserWindow } from 'electron';
import { fr } from '../../common/i18n/fr';
import { attentionText, gatherAttention, NO_ATTENTION, type AttentionCounts } from '../desktop/attention';
import type { ConsoleServices } from '../services';

/** A 16 px ring in the app's accent colour (no image file to package). */
const ICON = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAPUlEQVR42mNgoDbwXfz/Pz5MkWa8hhBjC041RDsRl1psmvE5m6ABhPw+EgwgOxDJjkaKExJVkjJVMhM5AADtW1PoBhgKoAAAAABJRU5ErkJggg==';
const RECOUNT_MS = 30_000;
const DEBOUNCE_MS = 500;

export interface TrayDeps {
  services: ConsoleServices;
  window(): BrowserWindow | null;
  /** Shows and focuses the window (creating it again if it was closed). */
  show(): void;
}

/** Installs the tray and the badge; returns the uninstall. */
export function installTray(deps: TrayDeps): () => void {
  const tray = new Tray(nativeImage.createFromDataURL(ICON));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: fr.desktop.trayOpen, click: () => deps.show() },
      { type: 'separator' },
      { label: fr.desktop.trayQuit, click: () => app.quit() },
    ]),
  );
  tray.on('click', () => deps.show());
  let last: AttentionCounts = NO_ATTENTION;
  const apply = (c: AttentionCounts) => {
    last = c;
    tray.setToolTip(attentionText(c));
    // macOS dock and Unity launchers; a no-op elsewhere. Windows shows the count in the tooltip.
    app.setBadgeCount(c.total);
  };
  apply(last);
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  const recount = () => {
    if (running) return;
    running = true;
    gatherAttention((name, args) => deps.services.dispatch(name, args))
      .then(apply, () => apply(last))
      .finally(() => {
        running = false;
      });
  };
  const off = deps.services.on((event) => {
    if (event === 'sync.status') return; // emitted at every write; data.changed follows the ones that matter
    if (timer) clearTimeout(timer);
    timer = setTimeout(recount, DEBOUNCE_MS);
  });
  const every = setInterval(recount, RECOUNT_MS);
  recount();
  return () => {
    off();
    clearInterval(every);
    if (timer) clearTimeout(timer);
    tray.destroy();
  };
}
