/** Account creation (CLI, demo seeding): validates before hashing, so a refusal changes nothing. */
import { fr } from '../../../common/i18n/fr';
import { parseRole, roleTerritory, type Territories } from '../../../common/territory';
import { hashPassword } from '../auth/password';
import { passwordProblem } from '../auth/passwordPolicy';
import type { AuditInput } from '../audit/store';
import type { ServerStore, UserRecord } from '../store/types';

export interface CreateUserInput {
  username: string;
  password: string;
  displayName: string;
  /** `national`, `ars:11`, `samu:75`, `establishment:<FINESS>`, `field:<post>` */
  role: string;
}

export interface CreateUserOptions {
  /**
   * `'demo-seeding'`: the demonstration accounts' public password (`demo-vigie`, 10
   * characters) is accepted although the password policy refuses it. Only `seedDemo` passes
   * it (the server's `--demo`); no CLI option or request reaches it.
   */
  passwordPolicy?: 'enforced' | 'demo-seeding';
  /** Recorded in the audit trail in the same transaction as the account (its subject: the new id). */
  audit?: AuditInput;
}

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

/** Throws an Error with a French message for a bad field, an unknown territory, a password the policy refuses (`passwordPolicy.ts`) or a taken username. */
export async function createUser(store: ServerStore, territories: Territories, input: CreateUserInput, options: CreateUserOptions = {}): Promise<UserRecord> {
  const username = input.username.trim();
  const displayName = input.displayName.trim();
  if (!USERNAME_PATTERN.test(username)) throw new Error(fr.server.badUsername);
  if (!displayName || displayName.length > 200) throw new Error(fr.server.badDisplayName);
  const role = parseRole(input.role);
  if (!role) throw new Error(fr.server.badRole(input.role));
  if (!territories.info(roleTerritory(role))) throw new Error(fr.server.unknownTerritory(input.role));
  if (options.passwordPolicy !== 'demo-seeding') {
    const problem = passwordProblem(input.password, username, input.role);
    if (problem) throw new Error(problem);
  }
  const user = { username, displayName, role: input.role, passwordHash: await hashPassword(input.password) };
  return options.audit ? store.insertUserAudited(user, options.audit) : store.insertUser(user);
}
