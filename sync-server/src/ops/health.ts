/**
 * What a load balancer and a monitoring system ask a sync node, every second or so:
 *
 * - `GET /health`: the process lives and answers (200, `{"status":"ok"}`); no store access,
 *   no authentication. A failing health check means "restart it".
 * - `GET /ready`: this node should receive traffic: 200 when the store answers a trivial
 *   query within `READY_TIMEOUT_MS` (and every other probe, e.g. Redis, too) and the node is
 *   not draining; 503 with a French `reason` otherwise. Concurrent checks share one probe.
 * - `GET /metrics`: the Prometheus text, only to the addresses of `--metrics-allow`
 *   (default: loopback). A request relayed by a proxy is judged by the client it names in
 *   `X-Forwarded-For`, and only when that proxy is trusted (`--trusted-proxy`); one relayed
 *   by an unknown proxy is refused, so a load balancer on the same host cannot expose it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fr } from '../../../common/i18n/fr';
import { clientAddress, normaliseAddress, TrustedProxies } from '../auth/clientAddress';
import type { HttpRoute } from '../board';
import { sendError, sendJson } from '../http/json';
import type { Drain } from './drain';
import type { SyncMetrics } from './metrics';

/** How long a readiness probe may take before the node is declared not ready. */
export const READY_TIMEOUT_MS = 2_000;

/** One dependency `/ready` checks: resolves when it answers, rejects (or hangs) when not. */
export interface ReadyCheck {
  /** Named in the French `reason` (« base de données », « Redis »). */
  name: string;
  probe(): Promise<unknown>;
}

export type ReadyVerdict = { ready: true } | { ready: false; reason: string };

export class Readiness {
  private running: Promise<ReadyVerdict> | null = null;

  constructor(
    private readonly checks: readonly ReadyCheck[],
    private readonly drain: Drain,
    private readonly timeoutMs = READY_TIMEOUT_MS,
  ) {}

  check(): Promise<ReadyVerdict> {
    if (this.drain.isDraining) return Promise.resolve({ ready: false, reason: fr.ops.draining });
    this.running ??= this.probeAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async probeAll(): Promise<ReadyVerdict> {
    const verdicts = await Promise.all(this.checks.map((c) => this.probeOne(c)));
    const failed = verdicts.find((v) => v !== null);
    if (failed) return { ready: false, reason: failed };
    // A drain may have begun during the probes.
    if (this.drain.isDraining) return { ready: false, reason: fr.ops.draining };
    return { ready: true };
  }

  /** Null when the probe answered in time, the French reason otherwise. */
  private probeOne(check: ReadyCheck): Promise<string | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(fr.ops.probeTimeout(check.name, this.timeoutMs)), this.timeoutMs);
      let started: Promise<unknown>;
      try {
        started = check.probe();
      } catch (err) {
        started = Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      started.then(
        () => {
          clearTimeout(timer);
          resolve(null);
        },
        (err: unknown) => {
          clearTimeout(timer);
          resolve(fr.ops.probeFailed(check.name, err instanceof Error ? err.message : String(err)));
        },
      );
    });
  }
}

/** `--metrics-allow` entries (addresses, CIDR blocks, `loopback`) → the set; a French error names a bad entry. */
export function parseMetricsAllow(specs: readonly string[]): TrustedProxies {
  for (const spec of specs) {
    try {
      TrustedProxies.parse([spec]);
    } catch {
      throw new Error(fr.ops.badMetricsAllow(spec));
    }
  }
  return TrustedProxies.parse(specs);
}

/** Default of `--metrics-allow`. */
export const DEFAULT_METRICS_ALLOW: readonly string[] = ['loopback'];

export interface OpsRouteDeps {
  readiness: Readiness;
  metrics: SyncMetrics;
  metricsAllow: TrustedProxies;
  trustedProxies: TrustedProxies;
}

/** Whether this request may read `/metrics` (see the file's comment). */
export function metricsAllowed(req: IncomingMessage, allow: TrustedProxies, trustedProxies: TrustedProxies): boolean {
  const peer = normaliseAddress(req.socket.remoteAddress ?? '');
  const xff = req.headers['x-forwarded-for'];
  const relayed = xff !== undefined || req.headers.forwarded !== undefined;
  if (relayed && (!trustedProxies.isTrusted(peer) || xff === undefined)) return false;
  return allow.isTrusted(clientAddress(req.socket.remoteAddress, xff, trustedProxies));
}

export function opsRoutes(deps: OpsRouteDeps): HttpRoute[] {
  return [
    {
      method: 'GET',
      path: '/health',
      handle: async (_req: IncomingMessage, res: ServerResponse) => {
        sendJson(res, 200, { status: 'ok' });
      },
    },
    {
      method: 'GET',
      path: '/ready',
      handle: async (_req: IncomingMessage, res: ServerResponse) => {
        const verdict = await deps.readiness.check();
        if (verdict.ready) sendJson(res, 200, { status: 'ready' });
        else sendJson(res, 503, { status: 'unavailable', reason: verdict.reason });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handle: async (req: IncomingMessage, res: ServerResponse) => {
        if (!metricsAllowed(req, deps.metricsAllow, deps.trustedProxies)) {
          sendError(res, 403, { code: 'forbidden', message: fr.ops.metricsForbidden });
          return;
        }
        const text = await deps.metrics.text();
        res.writeHead(200, { 'Content-Type': deps.metrics.registry.contentType, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      },
    },
  ];
}
