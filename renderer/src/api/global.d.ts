/** `window.vigie`: ConsoleApi as Electron's preload exposes it (absent in a plain browser). */
import type { ConsoleApi } from '../../../common/api';

declare global {
  interface Window {
    vigie?: ConsoleApi;
  }
}

export {};
