/**
 * Electron preload (sandboxed): builds `window.vigie` from the ConsoleApi contract and
 * nothing more. Call names are allowlisted from `consoleCalls`, event names from
 * `EVENT_NAMES`; ipcRenderer itself is never exposed.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { fr } from '../common/i18n/fr';
import { EVENT_NAMES, isCallName, type CallArgs, type CallName, type CallResult, type ConsoleApi, type ConsoleEvents, type EventName } from '../common/api';
import { ipcChannels, type CallReply } from '../common/engine/calls';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}

ipcRenderer.on(ipcChannels.event, (_e: IpcRendererEvent, event: unknown, payload: unknown) => {
  if (!isEventName(event)) return;
  for (const l of [...(listeners.get(event) ?? [])]) l(payload);
});

const vigie = {
  call<K extends CallName>(name: K, args: CallArgs<K>): Promise<CallReply<CallResult<K>>> {
    if (!isCallName(name)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_call', message: fr.api.unknownCall(String(name)) } });
    }
    // Main validates the arguments and types the answer for this call name.
    return ipcRenderer.invoke(ipcChannels.call, name, args) as Promise<CallReply<CallResult<K>>>;
  },
  on<E extends EventName>(event: E, listener: (payload: ConsoleEvents[E]) => void): () => void {
    if (!isEventName(event) || typeof listener !== 'function') return () => undefined;
    const set = listeners.get(event) ?? new Set<(payload: unknown) => void>();
    const l = listener as (payload: unknown) => void;
    set.add(l);
    listeners.set(event, set);
    return () => {
      set.delete(l);
    };
  },
} satisfies ConsoleApi;

contextBridge.exposeInMainWorld('vigie', vigie);
