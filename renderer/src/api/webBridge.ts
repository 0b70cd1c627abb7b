/**
 * ConsoleApi in a plain browser, through the web host's Socket.IO bridge. Browser code:
 * no Node module.
 *
 * The page is opened as `http://127.0.0.1:PORT/#token=…`. The token is taken from the
 * fragment, removed from the address bar (so it is not bookmarked or shared by accident)
 * and kept in sessionStorage so a reload of this tab still works.
 */
import { io, type Socket } from 'socket.io-client';
import { fr } from '../../../common/i18n/fr';
import { ipcChannels, WEB_BRIDGE_PATH, type CallReply } from '../../../common/engine/calls';
import type { SyncStatus } from '../../../common/app/api';
import { EVENT_NAMES, isCallName, type CallArgs, type CallName, type CallResult, type ConsoleApi, type ConsoleEvents, type EventName } from '../../../common/api';

export const TOKEN_STORAGE_KEY = 'vigie.bridgeToken';
/** Login may wait on the sync server (password hashing, network): allow it time. */
const CALL_TIMEOUT_MS = 30_000;
/**
 * After a lost connection, how long a call waits for the bridge to come back before it says
 * the local service does not answer: a blip (a sleeping laptop waking, the page's timers
 * jumping) reconnects within Socket.IO's first retry, about a second.
 */
const RECONNECT_GRACE_MS = 3_000;

interface BridgeServerEvents {
  [ipcChannels.event]: (event: string, payload: unknown) => void;
}
interface BridgeClientEvents {
  [ipcChannels.call]: (name: string, args: unknown, ack: (reply: CallReply<unknown>) => void) => void;
}

/**
 * Reads the bridge token from `#token=…` (then strips it from the address bar and keeps it
 * for reloads) or, failing that, from sessionStorage.
 */
export function takeBridgeToken(loc: Pick<Location, 'hash' | 'pathname' | 'search'>, hist: Pick<History, 'replaceState' | 'state'>, storage: Pick<Storage, 'getItem' | 'setItem'>): string | null {
  const params = new URLSearchParams(loc.hash.startsWith('#') ? loc.hash.slice(1) : loc.hash);
  const fromHash = params.get('token');
  if (fromHash) {
    storage.setItem(TOKEN_STORAGE_KEY, fromHash);
    params.delete('token');
    const rest = params.toString();
    hist.replaceState(hist.state, '', `${loc.pathname}${loc.search}${rest ? `#${rest}` : ''}`);
    return fromHash;
  }
  return storage.getItem(TOKEN_STORAGE_KEY);
}

export interface WebBridgeOptions {
  /** Defaults to the page's own origin. */
  url?: string;
  /** Defaults to the token of the page's address or of this tab's session. */
  token?: string | null;
}

function failure(code: 'unreachable' | 'auth' | 'unknown_call', message: string): CallReply<never> {
  return { ok: false, error: { code, message } };
}

/** True once the socket is connected, false if it is not within `ms`. */
function reconnected(s: Socket<BridgeServerEvents, BridgeClientEvents>, ms: number): Promise<boolean> {
  if (s.connected) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onConnect = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      s.off('connect', onConnect);
      resolve(false);
    }, ms);
    s.once('connect', onConnect);
  });
}

/**
 * What the status bar must say while the web host's own service is gone: offline, and why.
 * The page cannot know the sync server's state then; it must not keep showing « en ligne ».
 */
export function localServiceLost(last: SyncStatus | null): SyncStatus {
  return {
    state: 'offline',
    pending: last?.pending ?? 0,
    rejected: last?.rejected ?? 0,
    lastSyncAt: last?.lastSyncAt ?? null,
    serverUrl: last?.serverUrl ?? null,
    detail: fr.api.bridgeLost,
  };
}

/** Builds the bridge; it connects on the first call or subscription. */
export function createWebBridge(opts: WebBridgeOptions = {}): ConsoleApi {
  let socket: Socket<BridgeServerEvents, BridgeClientEvents> | null = null;
  let refused = false;
  let failedSinceConnect = false;
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  /** The last status main pushed, and whether the bridge has been lost since. */
  let lastStatus: SyncStatus | null = null;
  let lost = false;

  function dispatch(event: EventName, payload: unknown): void {
    if (event === 'sync.status') lastStatus = payload as SyncStatus;
    for (const l of [...(listeners.get(event) ?? [])]) l(payload);
  }

  function connect(): Socket<BridgeServerEvents, BridgeClientEvents> {
    if (socket) return socket;
    const token = opts.token !== undefined ? opts.token : takeBridgeToken(window.location, window.history, window.sessionStorage);
    const options = { path: WEB_BRIDGE_PATH, auth: { token: token ?? '' }, reconnectionDelayMax: 5_000 };
    const s: Socket<BridgeServerEvents, BridgeClientEvents> = opts.url ? io(opts.url, options) : io(options);
    s.on('connect', () => {
      failedSinceConnect = false;
      if (!lost) return;
      // Back: main's own status replaces the one this page made up.
      lost = false;
      void call('sync.status', {}).then((reply) => {
        if (reply.ok) dispatch('sync.status', reply.data);
      });
    });
    s.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      failedSinceConnect = true;
      // A refused token will not get better by retrying: stop, and say so on every call.
      if (err.data?.code === 'forbidden') {
        refused = true;
        s.disconnect();
      }
      markLost();
    });
    s.on('disconnect', () => {
      failedSinceConnect = true;
      markLost();
    });
    s.on(ipcChannels.event, (event, payload) => {
      if (!(EVENT_NAMES as readonly string[]).includes(event)) return;
      dispatch(event as EventName, payload);
    });
    socket = s;
    return s;
  }

  /** The web host's service is gone (stopped, crashed, refused us): the status bar says so. */
  function markLost(): void {
    const status = localServiceLost(lastStatus);
    lost = true;
    for (const l of [...(listeners.get('sync.status') ?? [])]) l(status);
  }

  async function call(name: string, args: unknown): Promise<CallReply<unknown>> {
    if (!isCallName(name)) return failure('unknown_call', fr.api.unknownCall(name));
    const s = connect();
    if (refused) return failure('auth', fr.api.bridgeRefused);
    // Before the first connection calls wait in Socket.IO's buffer; after a loss, they wait a
    // moment for the reconnection, then fail rather than hang.
    if (!s.connected && failedSinceConnect && !(await reconnected(s, RECONNECT_GRACE_MS))) {
      return failure('unreachable', fr.api.bridgeUnreachable);
    }
    try {
      return await s.timeout(CALL_TIMEOUT_MS).emitWithAck(ipcChannels.call, name, args);
    } catch {
      return refused ? failure('auth', fr.api.bridgeRefused) : failure('unreachable', fr.api.bridgeUnreachable);
    }
  }

  const api = {
    call<K extends CallName>(name: K, args: CallArgs<K>): Promise<CallReply<CallResult<K>>> {
      // The main side validated and typed the answer for this call name.
      return call(name, args) as Promise<CallReply<CallResult<K>>>;
    },
    on<E extends EventName>(event: E, listener: (payload: ConsoleEvents[E]) => void): () => void {
      connect();
      const set = listeners.get(event) ?? new Set<(payload: unknown) => void>();
      const l = listener as (payload: unknown) => void;
      set.add(l);
      listeners.set(event, set);
      return () => {
        set.delete(l);
      };
    },
  } satisfies ConsoleApi;
  return api;
}
