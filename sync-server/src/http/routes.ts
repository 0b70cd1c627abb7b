/**
 * The HTTP API: login (password, then the second factor or its enrolment), refresh, logout
 * (this workstation or everywhere) and health, and the routes boards add (the bed board's register
 * feed). Socket.IO shares the same server and answers its own path (`/socket.io/`) before
 * these routes see a request.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { describeZodError } from '../../../common/engine/mutation';
import { fr } from '../../../common/i18n/fr';
import type { AuthOutcome, AuthService } from '../auth/authService';
import { clientAddress, type TrustedProxies } from '../auth/clientAddress';
import type { HttpRoute } from '../board';
import { bearerToken } from '../auth/tokens';
import { errorText } from '../errors';
import type { LogFn } from '../log';
import type { AuditRecorder } from '../audit/recorder';
import type { LoginOutcome, LoginStep, SyncMetrics } from '../ops/metrics';
import { HttpError, readJsonBody, sendError, sendJson } from './json';
import type { z } from 'zod';
import {
  EnrolStartRequestSchema,
  LoginRequestSchema,
  LogoutRequestSchema,
  PROTOCOL_VERSION,
  RefreshRequestSchema,
  SecondFactorRequestSchema,
  syncHttp,
} from '../../../common/protocol';

export interface HttpDeps {
  auth: AuthService;
  /** Whose `X-Forwarded-For` is believed (`--trusted-proxy`); nobody's by default. */
  trustedProxies: TrustedProxies;
  log: LogFn;
  /** Records logins and failed logins in the audit trail. */
  audit?: AuditRecorder;
  /** Counts login steps by outcome (`vigie_logins_total`). */
  metrics?: Pick<SyncMetrics, 'login'>;
}

/** A refused login step's outcome label: throttled (429) or refused. */
function refusedOutcome(status: number): LoginOutcome {
  return status === 429 ? 'throttled' : 'refused';
}

/** The engine's routes, then the boards': one route per path (a duplicate path throws at start-up). */
export function createHttpHandler(deps: HttpDeps, boardRoutes: readonly HttpRoute[]): RequestListener {
  const routes = new Map<string, HttpRoute>();
  const engineRoutes: HttpRoute[] = [
    { method: 'POST', path: syncHttp.login, handle: (req, res) => login(req, res, deps) },
    { method: 'POST', path: syncHttp.loginTotp, handle: (req, res) => secondStep(req, res, deps, SecondFactorRequestSchema, (b, address) => deps.auth.verifySecondFactor(b.ticket, b.code, address, b.clientId), 'totp') },
    { method: 'POST', path: syncHttp.enrolStart, handle: (req, res) => secondStep(req, res, deps, EnrolStartRequestSchema, (b) => deps.auth.startEnrolment(b.ticket)) },
    { method: 'POST', path: syncHttp.enrolConfirm, handle: (req, res) => secondStep(req, res, deps, SecondFactorRequestSchema, (b, address) => deps.auth.confirmEnrolment(b.ticket, b.code, address, b.clientId), 'enrol') },
    { method: 'POST', path: syncHttp.refresh, handle: (req, res) => secondStep(req, res, deps, RefreshRequestSchema, (b) => deps.auth.refresh(b.refreshToken, b.clientId)) },
    { method: 'POST', path: syncHttp.logout, handle: (req, res) => logout(req, res, deps, false) },
    { method: 'POST', path: syncHttp.logoutAll, handle: (req, res) => logout(req, res, deps, true) },
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
  const outcome = await deps.auth.login(parsed.data.username, parsed.data.password, address, parsed.data.clientId);
  if (!outcome.ok) {
    // Neither the username typed nor the password: a refused login may carry either in the wrong field.
    deps.log(`login refused: ${outcome.status} ${outcome.error.code}`, { level: 'warn' });
    deps.metrics?.login('password', refusedOutcome(outcome.status));
    await deps.audit?.loginFailed(parsed.data.username, address, outcome.status);
    sendError(res, outcome.status, outcome.error, outcome.status === 429 ? { 'Retry-After': String(outcome.retryAfterSec) } : {});
    return;
  }
  const answer = outcome.response;
  deps.metrics?.login('password', 'user' in answer ? 'success' : 'second_factor');
  if ('user' in answer) {
    deps.log('login', { userId: answer.user.id, level: 'info' });
    await deps.audit?.login(answer.user, address);
  } else deps.log(`login: password accepted, second factor (${answer.secondFactor}) asked`, { level: 'info' });
  sendJson(res, 200, answer);
}

/** A JSON body checked by `schema`, then an `AuthService` step; its refusals keep their status (401, 409). */
async function secondStep<S extends z.ZodType, T>(
  req: IncomingMessage,
  res: ServerResponse,
  deps: HttpDeps,
  schema: S,
  step: (body: z.infer<S>, address: string) => Promise<AuthOutcome<T>>,
  /** A step that completes a login, counted in `vigie_logins_total`. */
  loginStep?: LoginStep,
): Promise<void> {
  const parsed = schema.safeParse(await readJsonBody(req));
  if (!parsed.success) {
    sendError(res, 400, { code: 'bad_request', message: fr.protocol.badPayload(describeZodError(parsed.error)) });
    return;
  }
  const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], deps.trustedProxies);
  const outcome = await step(parsed.data, address);
  if (!outcome.ok) {
    deps.log(`${(req.url ?? '').split('?')[0]} refused: ${outcome.status} ${outcome.error.code}`, { level: 'warn' });
    if (loginStep) deps.metrics?.login(loginStep, refusedOutcome(outcome.status));
    sendError(res, outcome.status, outcome.error);
    return;
  }
  // The second factor completed a login: audited as the login.
  const done = outcome.response;
  if (loginStep) deps.metrics?.login(loginStep, 'success');
  if (typeof done === 'object' && done !== null && 'user' in done) {
    const user = (done as { user: { id: string; displayName: string; role: string } }).user;
    await deps.audit?.login(user, address);
  }
  sendJson(res, 200, outcome.response);
}

/** Ends this login (`everywhere`: every login of the account); the sockets of what ended are cut at once (`AuthOptions.onRevoked`). */
async function logout(req: IncomingMessage, res: ServerResponse, deps: HttpDeps, everywhere: boolean): Promise<void> {
  const token = bearerToken(req.headers.authorization);
  // The refresh token may come too (JSON body): an access token expired minutes ago still ends its login.
  let refreshToken: string | undefined;
  if (!everywhere && (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    const body = LogoutRequestSchema.safeParse(await readJsonBody(req));
    if (!body.success) {
      sendError(res, 400, { code: 'bad_request', message: fr.protocol.badPayload(describeZodError(body.error)) });
      return;
    }
    refreshToken = body.data.refreshToken;
  }
  if (!token && !refreshToken) {
    sendError(res, 401, { code: 'unauthenticated', message: fr.protocol.unauthenticated });
    return;
  }
  if (everywhere) {
    // Needs a valid token: a stale one must not end the account's other sessions.
    if (!token || !(await deps.auth.logoutEverywhere(token))) {
      sendError(res, 401, { code: 'unauthenticated', message: fr.protocol.unauthenticated });
      return;
    }
  } else {
    // Idempotent: an unknown or expired token is already logged out.
    await deps.auth.logout(token, refreshToken);
  }
  sendJson(res, 200, { ok: true });
}

async function health(_req: IncomingMessage, res: ServerResponse): Promise<void> {
  sendJson(res, 200, { ok: true, version: PROTOCOL_VERSION });
}
