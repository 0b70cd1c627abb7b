/**
 * The app's own scheme, `vigie://app/…`, serving the built renderer with the Content
 * Security Policy as a real header (file:// pages get no headers) and confined to the
 * renderer folder.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { contentSecurityPolicy, mimeType, resolveStaticFile, securityHeaders } from '../static/files';

import { APP_SCHEME, APP_SCHEME_PRIVILEGES } from './policy';

export { APP_ENTRY, APP_ORIGIN, APP_SCHEME } from './policy';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // standard + secure: a real origin for relative URLs and module scripts; corsEnabled: module scripts are fetched in cors mode.
    { scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES },
  ]);
}

export function serveAppScheme(rendererDir: string): void {
  const headers = securityHeaders(contentSecurityPolicy());
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app' || request.method !== 'GET') return new Response(null, { status: 404 });
    const file = resolveStaticFile(rendererDir, url.pathname);
    if (!file) return new Response(null, { status: 404, headers });
    const body = await readFile(file);
    return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': mimeType(file) } });
  });
}
