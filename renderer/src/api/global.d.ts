import type { ConsoleApi } from '../../../common/api';
/** `window.vigie`: ConsoleApi as Electron's preload exposes it (absent in a plain browser). */

declare global {
  interface Window {
    vigie?: ConsoleApi;
  }
}

export {};
