/**
 * Where the workstation's server address comes from, in order: the policy (an IT
 * department's word is final), the command line or `VIGIE_SERVER_URL` (the web host, the
 * developer's `npm start`), the address chosen at the first-run screen; otherwise none, and
 * the first-run screen asks for it.
 */
import type { ServerSource } from '../../common/app/setup';
import type { WorkstationPolicy } from '../policy';

/** What the session manager is given while no address is known: a name that never resolves (RFC 6761), so nothing is ever sent anywhere by mistake. */
export const NO_SERVER_URL = 'https://vigie.invalid';

export function resolveServer(policy: WorkstationPolicy, configured: string | null, chosen: string | undefined): { url: string | null; source: ServerSource } {
  const fromPolicy = policy.serverUrl(null);
  if (fromPolicy) return { url: fromPolicy, source: 'policy' };
  if (configured) return { url: configured, source: 'configured' };
  if (chosen) return { url: chosen, source: 'chosen' };
  return { url: null, source: 'none' };
}
