/**
 * The renderer's one access to the main-process services: Electron's preload
 * (`window.vigie`) when present, otherwise the web host's bridge (browser mode, tests).
 */
import { createWebBridge } from './webBridge';
import type { ConsoleApi } from '../../../common/api';

export const api: ConsoleApi = (typeof window !== 'undefined' && window.vigie) || createWebBridge();
