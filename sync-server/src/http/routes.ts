/**
 * The HTTP API: login, logout and health, and the routes boards add (the bed board's register
 * feed). Socket.IO shares the same server and answers its own path (`/socket.io/`) before
 * these routes see a request.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { describeZodError } from '../../../common/engine/mutation';
import { fr } from '../../../common/i18n/fr';
import type { AuthService } from '../auth/authService';
import { clientAddress, type TrustedProxies } from '../auth/clientAddress';
import type { HttpRoute } from '../board';
import { bearerToken } from '../auth/tokens';
import { errorText } from '../errors';
import type { LogFn } from '../log';
import type { AuditRecorder } from '../audit/recorder';
import { HttpError, readJsonBody, sendError, sendJson } from './json';
import { LoginRequestSchema, PROTOCOL_VERSION, syncHttp } from '../../../common/protocol';

export interface HttpDeps {
  auth: AuthService;
  /** Whose `X-Forwarded-For` is believed (`--trusted-proxy`); nobody's by default. */
  trustedProxies: TrustedProxies;
  /** Called after a logout so live sockets of that session are closed. */
  onLogout(tokenHash: string): void;
  log: LogFn;
  /** Records logins and failed logins in the audit trail. */
  audit?: AuditRecorder;
}

/** The engine's routes, then the boards': one route per path (a duplicate path throws at start-up). */
export function createHttpHandler(deps: HttpDeps, boardRoutes: readonly HttpRoute[]): RequestListener {
  const routes = new Map<string, HttpRoute>();
  const engineRoutes: HttpRoute[] = [
    { method: 'POST', path: syncHttp.login, handle: (req, res) => login(req, res, deps) },
    { method: 'POST', path: syncHttp.logout, handle: (req, res) => logout(req, res, deps) },
    { method: 'GET', path: syncHttp.health, handle: (req, res) => health(req, res) },
  ];
  for (const r of [...engineRoutes, ...boardRoutes]) {
    if (routes.has(r.path)) throw new Error(`HTTP route declared twice: ${r.path}`);
    routes.set(r.path, r);
  }
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.get(path);
    if (!route) {
      sendError(res, 404, { code: 'bad_request', message: fr.server.notFound });
      return;
    }
    if (req.method !== route.method) {
      sendError(res, 405, { code: 'bad_request', message: fr.server.methodNotAllowed }, { Allow: route.method });
      return;
    }
    route.handle(req, res).catch((err: unknown) => {
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
  const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], deps.trustedProxies);
  const outcome = await deps.auth.login(parsed.data.username, parsed.data.password, address);
  if (!outcome.ok) {
    // Neither the username typed nor the password: a refused login may carry either in the wrong field.
    deps.log(`login refused: ${outcome.status} ${outcome.error.code}`, { level: 'warn' });
    await deps.audit?.loginFailed(parsed.data.username, address, outcome.status);
    sendError(res, outcome.status, outcome.error, outcome.status === 429 ? { 'Retry-After': String(outcome.retryAfterSec) } : {});
    return;
  }
  deps.log('login', { userId: outcome.response.user.id, level: 'info' });
  await deps.audit?.login(outcome.response.user, address);
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
