/**
 * Demo accounts and each board's demo data, for local runs and integration tests
 * (`--demo`). Seeded content goes through the same push path as a user's (one system client
 * id per author), so it is in the change log and every client pulls it. Safe to run on every
 * start: each board seeds only what is missing.
 */
import type { SyncServerApp } from './app';
import type { DemoContext, DemoUser, ServerBoard } from './board';
import { serverBoards } from './boards';
import type { UserRecord } from './store/types';
import { createUser } from './users/createUser';
import type { Mutation } from '../../common/protocol';

export { createUser, type CreateUserInput } from './users/createUser';

export const DEMO_PASSWORD = 'demo-vigie';

export type { DemoUser };

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'national', role: 'national', displayName: 'Cellule nationale de crise' },
  { username: 'ars-idf', role: 'ars:11', displayName: 'Sophie Lambert' },
  { username: 'ars-bretagne', role: 'ars:53', displayName: 'Yann Le Goff' },
  { username: 'samu75', role: 'samu:75', displayName: 'Dr Marc Dubois' },
  { username: 'samu29', role: 'samu:29', displayName: 'Dr Anne Kerjean' },
  { username: 'pitie', role: 'establishment:750100125', displayName: 'Dr Nadia Benali' },
  { username: 'pma75', role: 'field:75-PMA-GARE-DE-LYON', displayName: 'Julien Martin' },
];

/** The system client id a seeding author writes through. */
export function seedClientId(username: string): string {
  return `seed-${username}`;
}

export interface SeedDemoOptions {
  /**
   * A known register feed key, bound to R:11 (ARS Île-de-France), for tests and the README;
   * default: `VIGIE_DEMO_FEED_KEY` from the environment. No key is created without it, so
   * no secret is ever committed.
   */
  feedKey?: string;
}

/**
 * Creates the demo users that do not exist yet, then lets every board seed what it lacks
 * (the event log when there is no event, the bed reports when there is none, the demo feed
 * key if asked and absent). Throws if a seeded mutation is refused.
 */
export async function seedDemo(app: SyncServerApp, options: SeedDemoOptions = { feedKey: process.env.VIGIE_DEMO_FEED_KEY }): Promise<void> {
  const users = new Map<string, UserRecord>();
  const demoUser = async (username: string, role: string, displayName: string): Promise<UserRecord> => {
    let user = users.get(username) ?? (await app.store.findUserByUsername(username));
    // The demo password is public and shorter than the policy allows: accepted for demo seeding only, explicitly.
    user ??= await createUser(app.store, app.territories, { username, role, displayName, password: DEMO_PASSWORD }, { passwordPolicy: 'demo-seeding' });
    users.set(username, user);
    return user;
  };
  for (const u of DEMO_USERS) await demoUser(u.username, u.role, u.displayName);
  const base: Omit<DemoContext<unknown>, 'own'> = {
    store: app.store,
    territories: app.territories,
    options: { ...options },
    demoUser,
    user(username) {
      const user = users.get(username);
      if (!user) throw new Error(`demo author ${username} missing`);
      return user;
    },
    seed: (author, mutations) => pushSeed(app, author, mutations),
  };
  const boardList: readonly ServerBoard[] = serverBoards;
  const stores: Readonly<Record<string, unknown>> = app.store.boards;
  for (const b of boardList) await b.seedDemo?.({ ...base, own: stores[b.board.name] });
}

async function pushSeed(app: SyncServerApp, author: UserRecord, mutations: Array<Pick<Mutation, 'name' | 'args' | 'at'>>): Promise<void> {
  const clientId = seedClientId(author.username);
  const last = await app.store.lastMutationId(clientId);
  // The demo replays a past: each push is received when its latest mutation was made (not
  // hours later at start-up, which would mark every seeded message as delivered late).
  const latest = Math.max(...mutations.map((m) => Date.parse(m.at)));
  const receivedAt = Number.isFinite(latest) && latest < Date.now() ? new Date(latest) : undefined;
  const reply = await app.pushAs(
    author.id,
    { clientId, mutations: mutations.map((m, i) => ({ ...m, clientId, mutationId: last + 1 + i })) },
    receivedAt,
  );
  if ('error' in reply) throw new Error(`demo seeding (${author.username}): ${reply.error.message}`);
  for (const result of reply.data.results) {
    if (result.status !== 'applied') throw new Error(`demo seeding (${author.username}): ${result.reason}`);
  }
}
