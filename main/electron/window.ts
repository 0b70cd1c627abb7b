/** The one main window: sandboxed, context-isolated, with the preload as its only bridge. */
import { BrowserWindow } from 'electron';
import { SECURE_WEB_PREFERENCES } from './policy';

export function createMainWindow(opts: { preload: string; url: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Vigie',
    backgroundColor: '#f4f5f7',
    webPreferences: {
      preload: opts.preload,
      ...SECURE_WEB_PREFERENCES,
      spellcheck: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(opts.url);
  return win;
}
