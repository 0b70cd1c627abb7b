/**
 * The first-run screen's calls: where the address comes from (`setup.state`), the
 * connection test (`setup.test`) and the address chosen (`setup.setServer`, tested again
 * here: an address that does not answer as Vigie is never saved).
 */
import type { SetupState, ServerSource } from '../../common/app/setup';
import { fr } from '../../common/i18n/fr';
import type { ServiceContext } from '../context';
import { ApiError, type HandlerTable } from '../handlers';
import type { WorkstationPolicy } from '../policy';
import type { ProxyResolver } from '../sync/proxy';
import { parseServerAddress, probeServer, type ProbeOptions } from './probe';
import type { WorkstationFile } from './workstation';

export interface SetupDeps {
  policy: WorkstationPolicy;
  workstation: WorkstationFile;
  /** The address in force and where it comes from (kept by the services). */
  server: { url: string | null; source: ServerSource };
  /** The policy's proxy, as the session's connections take it (bypass list, system settings). */
  proxy: ProxyResolver;
  /** Tests: a shorter timeout. */
  probe?: Omit<ProbeOptions, 'fingerprint' | 'proxyUrl' | 'proxy'>;
}

export function setupState(deps: SetupDeps): SetupState {
  return {
    serverUrl: deps.server.url,
    source: deps.server.source,
    needsServer: deps.server.url === null,
    lockedBy: deps.server.source === 'policy' ? (deps.policy.policy?.organisation ?? null) : null,
  };
}

/** The connection test with what the policy says of the certificate and the proxy. */
export function probeWithPolicy(url: string, deps: SetupDeps) {
  return probeServer(url, { ...deps.probe, fingerprint: deps.policy.serverFingerprint(), proxy: deps.proxy });
}

export function registerSetupHandlers(table: HandlerTable, ctx: ServiceContext, deps: SetupDeps): void {
  table.register('setup.state', () => setupState(deps));
  table.register('setup.test', ({ url }) => probeWithPolicy(url, deps));
  table.register('setup.setServer', async ({ url }) => {
    if (deps.server.source === 'policy') throw new ApiError('rejected', fr.policy.serverLocked(deps.policy.policy?.organisation ?? ''));
    if (deps.server.source === 'configured') throw new ApiError('rejected', fr.firstRun.configured);
    const result = await probeWithPolicy(url, deps);
    if (!result.ok) throw new ApiError(result.cause === 'bad_url' ? 'bad_args' : 'unreachable', result.message);
    // The address as the test read it (`vigie.fr` → `https://vigie.fr`), without the health path.
    const parsed = parseServerAddress(url);
    if (!parsed) throw new ApiError('bad_args', fr.firstRun.badUrl);
    const chosen = `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
    ctx.session.setServerUrl(chosen);
    deps.workstation.update({ serverUrl: chosen });
    deps.server.url = chosen;
    deps.server.source = 'chosen';
    return setupState(deps);
  });
}
