/**
 * The password policy (docs/security.md, "Mots de passe"), in the spirit of ANSSI's guidance:
 * length before complexity, no composition rule (no forced digit or symbol), but refusal of
 * what an attacker tries first — the demonstration password, the username, usual words and
 * keyboard or digit runs. Applied wherever a password is chosen (account creation: CLI and
 * API); the demo seeding alone bypasses it, explicitly (`demo.ts`).
 *
 * No bundled list of leaked passwords: a policy of 12+ characters already excludes nearly all
 * of the commonest ones, and the structural rules below catch the long variants of them
 * ("motdepasse2024!", "azertyuiopqsdf", "123456789012") without shipping a list whose
 * provenance we could not vouch for.
 */
import { fr } from '../../../common/i18n/fr';
import { parseRole, type Role } from '../../../common/territory';

/** Every account. */
export const MIN_PASSWORD_LENGTH = 12;
/** National and ARS accounts: their scope is a region or the whole country. */
export const MIN_PASSWORD_LENGTH_WIDE_SCOPE = 16;
/** The login request accepts at most 256 characters (`LoginRequestSchema`): longer could never log in. */
export const MAX_PASSWORD_LENGTH = 256;

/** The demonstration accounts' password (`demo.ts`): public, so never acceptable for a real account. */
const DEMO_PASSWORD_TEXT = 'demo-vigie';

/**
 * Words that, with digits and punctuation around them, make the passwords tried first
 * (French and English usual choices, the product's and the domain's own names).
 */
const USUAL_WORDS = [
  'motdepasse',
  'password',
  'passw0rd',
  'azerty',
  'qwerty',
  'soleil',
  'bonjour',
  'doudou',
  'loulou',
  'marseille',
  'paris',
  'france',
  'admin',
  'administrateur',
  'secret',
  'vigie',
  'samu',
  'hopital',
  'crise',
  'changeme',
  'welcome',
  'bienvenue',
  'iloveyou',
  'jetaime',
];

/** Keyboard rows and ordered runs: a password made only of one of them (forwards or backwards) is refused. */
const RUNS = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'azertyuiopqsdfghjklmwxcvbn', 'qwertyuiopasdfghjklzxcvbnm', '&é"\'(-è_çà'];

export function minPasswordLength(role: Role | null): number {
  return role && (role.kind === 'national' || role.kind === 'ars') ? MIN_PASSWORD_LENGTH_WIDE_SCOPE : MIN_PASSWORD_LENGTH;
}

/** Lower-cased, accents removed: `Hôpital` and `hopital` are one word. */
function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function isRun(text: string): boolean {
  if (text.length < 4) return false;
  return RUNS.some((run) => {
    const cycle = run.repeat(Math.ceil(text.length / run.length) + 1);
    const backwards = [...cycle].reverse().join('');
    return cycle.includes(text) || backwards.includes(text);
  });
}

/** A few characters repeated (`aaaaaaaaaaaa`, `abcabcabcabc`, `121212121212`). */
function isRepetition(text: string): boolean {
  return new Set(text).size <= 3 || /^(.{1,4})\1+$/u.test(text);
}

/**
 * Null when `password` is acceptable for `username` in `roleText`; otherwise the French
 * reason, one a person can act on.
 */
export function passwordProblem(password: string, username: string, roleText: string): string | null {
  const role = parseRole(roleText);
  const min = minPasswordLength(role);
  const length = [...password].length;
  if (length < min) return fr.server.passwordTooShort(min, MIN_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH_WIDE_SCOPE);
  if (length > MAX_PASSWORD_LENGTH) return fr.server.passwordTooLong(MAX_PASSWORD_LENGTH);
  const text = folded(password);
  if (text.includes(DEMO_PASSWORD_TEXT)) return fr.server.passwordIsDemo;
  const user = folded(username.trim());
  if (user.length >= 3 ? text.includes(user) : text === user) return fr.server.passwordHasUsername;
  // What is left once digits, spaces and punctuation are taken away.
  const letters = text.replace(/[^\p{L}]/gu, '');
  const compact = text.replace(/\s/g, '');
  if (isRepetition(compact) || isRun(compact) || isRun(letters) || /^[\d\s./-]+$/.test(text) || USUAL_WORDS.includes(letters) || USUAL_WORDS.some((w) => letters === w + w)) {
    return fr.server.passwordPredictable;
  }
  return null;
}
