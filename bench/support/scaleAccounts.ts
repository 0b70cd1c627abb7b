/**
 * The scale bench's workstations: who they are (a realistic mix of roles over the
 * referential) and their accounts and sessions, created through the store's own API.
 *
 * The session shortcut (bench only). A real login costs one argon2id verification (~20 ms
 * of CPU, ~3+ minutes for 10,000 on 2 cores) and nothing else that a poke depends on. So
 * the bench does what `AuthService.open` does after a correct password, without the
 * password: for each workstation it inserts one account (`insertUser`, with one argon2id
 * hash of a random password computed once: no one can log in with it), opens one login
 * (`createSessionFamily`, already bound to the workstation's own client id) and issues one
 * access token (`createSession`, stored as its SHA-256 digest like every token). The
 * handshake, the client-id binding, the scope and every push and poke are then exactly
 * the real ones: each workstation is its own account, its own login and its own client id
 * (a login belongs to one client id; nothing is shared).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { hashPassword } from '../../sync-server/src/auth/password';
import { hashToken, newSessionToken } from '../../sync-server/src/auth/tokens';
import { openStore } from '../../sync-server/src/app';
import { parseRole, privatePathOfRole, roleTerritory, type Territories } from '../../common/territory';
import { seededRandom } from '../../common/seeded';

/** One simulated workstation, as the bench and its workers know it. */
export interface Workstation {
  /** Index in the run's list (the key of every accounting table). */
  index: number;
  role: string;
  /** Its territory path (`/FR/R:11/D:75/E:750100125/`): what the scope rule tests. */
  path: string;
  /** Its private path (`privatePathOfRole`), null for none. */
  privatePath: string | null;
  clientId: string;
  /** Filled by `createSessions`. */
  token: string;
}

/** The plan's generator (mulberry32): the same plan for the same size and seed. */
export { seededRandom };

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * How `count` workstations split by role, roughly as the national service would: a few
 * national cells (0.2 %), the ARS (1 %, spread over the 18 regions), the SAMU (10 %, over
 * the 101 départements), and establishments for the rest (several workstations per
 * establishment, every establishment of the referential covered before any gets a second).
 */
export function roleMix(count: number): { national: number; ars: number; samu: number; establishment: number } {
  const national = Math.max(1, Math.round(count * 0.002));
  const ars = Math.max(1, Math.round(count * 0.01));
  const samu = Math.max(1, Math.round(count * 0.1));
  return { national, ars, samu, establishment: Math.max(0, count - national - ars - samu) };
}

/** The roles of `count` workstations (tokens and client ids are filled later). */
export function planWorkstations(territories: Territories, count: number, runId: string, seed = 1): Workstation[] {
  const random = seededRandom(seed);
  const mix = roleMix(count);
  const regions = shuffled(territories.regionList().map((r) => r.code), random);
  const deps = shuffled(territories.departementList().map((d) => d.code), random);
  const finess = shuffled(territories.establishmentsIn().map((e) => e.finess), random);
  const roles: string[] = [];
  for (let i = 0; i < mix.national; i++) roles.push('national');
  for (let i = 0; i < mix.ars; i++) roles.push(`ars:${regions[i % regions.length]}`);
  for (let i = 0; i < mix.samu; i++) roles.push(`samu:${deps[i % deps.length]}`);
  for (let i = 0; i < mix.establishment; i++) roles.push(`establishment:${finess[i % finess.length]}`);
  return roles.map((role, index) => {
    const parsed = parseRole(role);
    const path = parsed ? territories.path(roleTerritory(parsed)) : null;
    if (!parsed || !path) throw new Error(`bench: no territory for role ${role}`);
    return { index, role, path, privatePath: privatePathOfRole(parsed, path), clientId: `bench-${runId}-ws${index}`, token: '' };
  });
}

/** One writer: a national workstation (it may post on any territory and import bed reports for any establishment). */
export interface WriterAccount {
  clientId: string;
  token: string;
}

/**
 * Creates, in the store at `db` (the running server's: a SQLite file in WAL mode or a
 * PostgreSQL url), one account, one login bound to its client id and one access token per
 * workstation and per writer (see the header). Fills `token` in place. `accessTtlMs`: the
 * access tokens' life, long enough for the whole configuration (a socket is cut when its
 * token expires).
 */
export async function createSessions(
  db: string,
  territories: Territories,
  workstations: Workstation[],
  writerCount: number,
  runId: string,
  accessTtlMs = 60 * 60 * 1000,
): Promise<WriterAccount[]> {
  const store = openStore(db, territories);
  try {
    const passwordHash = await hashPassword(randomBytes(24).toString('base64url'));
    const now = new Date();
    const expires = new Date(now.getTime() + accessTtlMs);
    const loginEnd = new Date(now.getTime() + 24 * 60 * 60 * 1000);
    const open = async (username: string, role: string, clientId: string): Promise<string> => {
      const user = await store.insertUser({ username, displayName: `Poste de mesure ${username}`, role, passwordHash });
      const familyId = randomUUID();
      await store.createSessionFamily({ id: familyId, userId: user.id, clientId, createdAt: now.toISOString(), expiresAt: loginEnd.toISOString() });
      const token = newSessionToken();
      await store.createSession(hashToken(token), user.id, now, expires, familyId);
      return token;
    };
    // A few at a time: a PostgreSQL pool answers them in parallel; SQLite runs them one by one anyway.
    let next = 0;
    const lane = async () => {
      while (next < workstations.length) {
        const w = workstations[next++];
        w.token = await open(`bench-${runId}-${w.index}`, w.role, w.clientId);
      }
    };
    await Promise.all(Array.from({ length: 8 }, lane));
    const writers: WriterAccount[] = [];
    for (let i = 0; i < writerCount; i++) {
      const clientId = `bench-${runId}-writer${i}`;
      writers.push({ clientId, token: await open(`bench-${runId}-writer${i}`, 'national', clientId) });
    }
    return writers;
  } finally {
    await store.close();
  }
}
