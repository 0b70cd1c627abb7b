/**
 * Finding and reading the administrator policy file.
 *
 * Decision (docs/policy.md): no file at the machine-wide location means an unmanaged
 * workstation (every setting is the user's). A file that exists but cannot be read, is not
 * JSON or breaks the schema stops start-up with a French message naming the file and the
 * field: a managed workstation must never run unmanaged in silence because of a typo.
 */
import { readFileSync } from 'node:fs';
import { join, win32, posix } from 'node:path';
import { PolicySchema, policyIssues, type Policy } from '../../common/app/policy';
import { fr } from '../../common/i18n/fr';

/** Environment variable naming another policy file (tests, a pilot): when set, the file must exist. */
export const POLICY_ENV = 'VIGIE_POLICY_FILE';

/** The machine-wide location of the policy for a platform (`process.platform`). */
export function policyLocation(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'win32') return win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Vigie', 'policy.json');
  if (platform === 'darwin') return posix.join('/Library', 'Application Support', 'Vigie', 'policy.json');
  return join('/etc', 'vigie', 'policy.json');
}

export interface LoadedPolicy {
  /** Null when the workstation is unmanaged (no file at the machine-wide location). */
  policy: Policy | null;
  /** The file read (or looked for, when absent). */
  file: string;
}

/** Thrown when a policy file exists but cannot be used; its message is for the person at the workstation. */
export class PolicyError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

export interface LoadPolicyOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** An explicit file (the web host's `--policy`): must exist, like the variable. */
  file?: string;
  readFile?: (file: string) => string;
}

/** Parses a policy's text; throws `PolicyError` naming `file` and the first wrong fields. */
export function parsePolicy(text: string, file: string): Policy {
  let raw: unknown;
  try {
    // A BOM is what Notepad writes: not a reason to refuse the file.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new PolicyError(fr.policy.notJson(file, err instanceof Error ? err.message : String(err)), file);
  }
  const parsed = PolicySchema.safeParse(raw);
  if (!parsed.success) throw new PolicyError(fr.policy.invalid(file, policyIssues(parsed.error)), file);
  return parsed.data;
}

/** Reads the policy in force: the explicit file, else `VIGIE_POLICY_FILE`, else the machine-wide location. */
export function loadPolicy(opts: LoadPolicyOptions = {}): LoadedPolicy {
  const env = opts.env ?? process.env;
  const read = opts.readFile ?? ((f: string) => readFileSync(f, 'utf8'));
  const override = opts.file ?? (env[POLICY_ENV]?.trim() || undefined);
  const file = override ?? policyLocation(opts.platform ?? process.platform, env);
  let text: string;
  try {
    text = read(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (override) throw new PolicyError(fr.policy.overrideMissing(file), file);
      return { policy: null, file };
    }
    throw new PolicyError(fr.policy.unreadable(file, code ?? (err instanceof Error ? err.message : String(err))), file);
  }
  return { policy: parsePolicy(text, file), file };
}
