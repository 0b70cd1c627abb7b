/**
 * The IPC side of ConsoleApi: one handler for calls, one channel for pushed events. Calls
 * are accepted only from our window's top frame showing our own page.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { fr } from '../../common/i18n/fr';
import type { ConsoleServices } from '../services';
import { isTrustedIpcSender } from './policy';
import { ipcChannels, type CallReply } from '../../common/engine/calls';

export function registerIpc(opts: {
  services: ConsoleServices;
  getWindow(): BrowserWindow | null;
  isTrustedUrl(url: string): boolean;
}): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean => isTrustedIpcSender(event, opts.getWindow(), opts.isTrustedUrl);
  ipcMain.handle(ipcChannels.call, async (event, name: unknown, args: unknown): Promise<CallReply<unknown>> => {
    if (!trusted(event)) return { ok: false, error: { code: 'auth', message: fr.api.bridgeRefused } };
    return opts.services.dispatch(name, args);
  });
  const off = opts.services.on((event, payload) => {
    const win = opts.getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(ipcChannels.event, event, payload);
  });
  return () => {
    off();
    ipcMain.removeHandler(ipcChannels.call);
  };
}
