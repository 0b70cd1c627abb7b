/**
 * The HTTP API: login, logout, health, and the register feed. Socket.IO shares the same server and answers its own
 * path (`/socket.io/`) before these routes see a request.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { z } from 'zod';
import { describeZodError } from '../../../common/domain/mutation';
import { fr } from '../../../common/i18n/fr';
import { FeedRequestSchema, http, LoginRequestSchema, PROTOCOL_VERSION } from '../../../common/protocol';
import type { AuthService } from '../auth/authService';
import { authenticateFeedKey } from '../feed/feedKeys';
import type { FeedService } from '../feed/feedService';
import type { ServerStore } from '../store/types';
import { bearerToken } from '../auth/tokens';
import { errorText } from '../errors';
import { HttpError, MAX_FEED_BODY_BYTES, readJsonBody, sendError, sendJson } from './json';

/** zod's French messages, per call: the feed's validation details are read by the register's operators. */
const frenchIssues = z.locales.fr().localeError;

export interface HttpDeps {
  auth: AuthService;
  store: ServerStore;
  feed: FeedService;
  /** Called after a logout so live sockets of that session are closed. */
  onLogout(tokenHash: string): void;
  log(line: string): void;
}

type Handler = (req: IncomingMessage, res: ServerResponse, deps: HttpDeps) => Promise<void>;

const routes: Record<string, { method: string; handler: Handler }> = {
  [http.login]: { method: 'POST', handler: login },
  [http.logout]: { method: 'POST', handler: logout },
  [http.health]: { method: 'GET', handler: health },
  [http.feedUnitReports]: { method: 'POST', handler: feedUnitReports },
};

export function createHttpHandler(deps: HttpDeps): RequestListener {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = Object.prototype.hasOwnProperty.call(routes, path) ? routes[path] : undefined;
    if (!route) {
      sendError(res, 404, { code: 'bad_request', message: fr.server.notFound });
      return;
    }
    if (req.method !== route.method) {
      sendError(res, 405, { code: 'bad_request', message: fr.server.methodNotAllowed }, { Allow: route.method });
      return;
    }
    route.handler(req, res, deps).catch((err: unknown) => {
      if (err instanceof HttpError) {
        // Refused bodies are not drained: close the connection instead of reading the rest.
        sendError(res, err.status, err.wire, err.status === 413 ? { Connection: 'close' } : {});
        if (err.status === 413) req.resume();
        return;
      }
      deps.log(`http ${req.method} ${path}: ${errorText(err)}`);
      if (!res.headersSent) sendError(res, 500, { code: 'internal', message: fr.protocol.internal });
      else res.destroy();
    });
  };
}

async function login(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const body = await readJsonBody(req);
  const parsed = LoginRequestSchema.safeParse(body);
  if (!parsed.success) {
    sendError(res, 400, { code: 'bad_request', message: fr.protocol.badPayload(describeZodError(parsed.error)) });
    return;
  }
  const ip = req.socket.remoteAddress ?? 'unknown';
  const outcome = await deps.auth.login(parsed.data.username, parsed.data.password, ip);
  if (!outcome.ok) {
    sendError(res, outcome.status, outcome.error, outcome.status === 429 ? { 'Retry-After': '60' } : {});
    return;
  }
  sendJson(res, 200, outcome.response);
}

async function logout(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const token = bearerToken(req.headers.authorization);
  if (!token) {
    sendError(res, 401, { code: 'unauthenticated', message: fr.protocol.unauthenticated });
    return;
  }
  // Idempotent: an unknown or expired token is already logged out.
  deps.onLogout(await deps.auth.logout(token));
  sendJson(res, 200, { ok: true });
}

async function health(_req: IncomingMessage, res: ServerResponse): Promise<void> {
  sendJson(res, 200, { ok: true, version: PROTOCOL_VERSION });
}

/**
 * `POST /api/feed/unit-reports`: the key is checked before the body is read (401, nothing
 * read); a body that fails the schema is refused whole (400, nothing written); otherwise one
 * result per line.
 */
async function feedUnitReports(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const key = await authenticateFeedKey(deps.store, req.headers.authorization);
  if (!key) {
    sendError(res, 401, { code: 'unauthenticated', message: fr.feed.badKey }, { 'WWW-Authenticate': 'ApiKey' });
    return;
  }
  const body = await readJsonBody(req, MAX_FEED_BODY_BYTES);
  const parsed = FeedRequestSchema.safeParse(body, { error: frenchIssues });
  if (!parsed.success) {
    sendError(res, 400, { code: 'bad_request', message: fr.protocol.badPayload(describeZodError(parsed.error)) });
    return;
  }
  sendJson(res, 200, await deps.feed.ingest(key, parsed.data));
}
