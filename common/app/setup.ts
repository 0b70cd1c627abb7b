/**
 * The first-run screen's contract: where the server address comes from, and the
 * connection test's answer (built by `main/firstRun/`).
 */

/** Where this workstation's server address comes from: the policy, the command line or environment, the person at the first-run screen, or nowhere yet. */
export type ServerSource = 'policy' | 'configured' | 'chosen' | 'none';

export interface SetupState {
  serverUrl: string | null;
  source: ServerSource;
  /** True while no address is known: the first-run screen comes before the login. */
  needsServer: boolean;
  /** The organisation that fixed the address, when the policy did. */
  lockedBy: string | null;
}

export type ProbeCause = 'ok' | 'bad_url' | 'dns' | 'refused' | 'timeout' | 'unreachable' | 'tls' | 'fingerprint' | 'proxy' | 'http' | 'not_vigie' | 'other';

/** What the connection test found: the cause (tests, icons) and a French diagnosis a person can act on. */
export interface ProbeResult {
  ok: boolean;
  cause: ProbeCause;
  message: string;
  /** The server's protocol version when it answered as Vigie. */
  version: number | null;
}
