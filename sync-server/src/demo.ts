/**
 * Demo accounts, a small, realistic crisis event log and a first picture of critical-care
 * beds, for local runs and integration tests. Seeded content goes through the same push
 * path as a user's (one system client id per author), so it is in the change log and every
 * client pulls it.
 */
import { randomUUID } from 'node:crypto';
import type { UnitReportArgs } from '../../common/domain/beds';
import type { Mutation } from '../../common/protocol';
import type { MutationName } from '../../common/domain/mutators';
import type { EventOpenArgs, MessagePostArgs } from '../../common/domain/eventLog';
import type { SyncServerApp } from './app';
import { apiKeyFromHeader, createFeedKey, hashFeedKey } from './feed/feedKeys';
import type { UserRecord } from './store/types';
import { createUser } from './users/createUser';

export { createUser, type CreateUserInput } from './users/createUser';

export const DEMO_PASSWORD = 'demo-vigie';

export interface DemoUser {
  username: string;
  role: string;
  displayName: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'national', role: 'national', displayName: 'Cellule nationale de crise' },
  { username: 'ars-idf', role: 'ars:11', displayName: 'Sophie Lambert' },
  { username: 'ars-bretagne', role: 'ars:53', displayName: 'Yann Le Goff' },
  { username: 'samu75', role: 'samu:75', displayName: 'Dr Marc Dubois' },
  { username: 'samu29', role: 'samu:29', displayName: 'Dr Anne Kerjean' },
  { username: 'pitie', role: 'establishment:750100125', displayName: 'Dr Nadia Benali' },
  { username: 'pma75', role: 'field:75-PMA-GARE-DE-LYON', displayName: 'Julien Martin' },
];

/** Fixed ids, so tests and scripts can name the seeded rows. */
export const DEMO_IDS = {
  event: '3f1c2a9e-6b1d-4c51-9a7e-0c0d19a20001',
  nationalConsigne: '3f1c2a9e-6b1d-4c51-9a7e-0c0d19a20002',
  idfInformation: '3f1c2a9e-6b1d-4c51-9a7e-0c0d19a20003',
  bretagneConsigne: '3f1c2a9e-6b1d-4c51-9a7e-0c0d19a20004',
  samu75Demande: '3f1c2a9e-6b1d-4c51-9a7e-0c0d19a20005',
  pitieUrgent: '3f1c2a9e-6b1d-4c51-9a7e-0c0d19a20006',
  samu29Information: '3f1c2a9e-6b1d-4c51-9a7e-0c0d19a20007',
  pmaInformation: '3f1c2a9e-6b1d-4c51-9a7e-0c0d19a20008',
} as const;

/** The system client id a seeding author writes through. */
export function seedClientId(username: string): string {
  return `seed-${username}`;
}

type Step = { author: string; minutesAgo: number } & (
  | { name: Extract<MutationName, 'event.open'>; args: EventOpenArgs }
  | { name: Extract<MutationName, 'message.post'>; args: MessagePostArgs }
  | { name: Extract<MutationName, 'consigne.acknowledge'>; args: { messageId: string } }
);

const post = (args: Omit<MessagePostArgs, 'eventId'>): MessagePostArgs => ({ eventId: DEMO_IDS.event, ...args });

const DEMO_STEPS: Step[] = [
  {
    author: 'national',
    minutesAgo: 180,
    name: 'event.open',
    args: {
      id: DEMO_IDS.event,
      title: 'Covid-19 — vague 1',
      description:
        'Épidémie de Covid-19 : suivi de la première vague, tension en réanimation et régulation des transferts inter-hospitaliers.',
      territory: 'FR',
    },
  },
  {
    author: 'national',
    minutesAgo: 170,
    name: 'message.post',
    args: post({
      id: DEMO_IDS.nationalConsigne,
      territory: 'FR',
      kind: 'consigne',
      priority: 'important',
      body:
        'Déclenchement du plan blanc dans tous les établissements de santé. Déprogrammation des activités chirurgicales non urgentes. ' +
        'Les établissements renseignent leurs lits de réanimation disponibles dans le ROR chaque jour avant 14 h.',
    }),
  },
  {
    author: 'ars-idf',
    minutesAgo: 150,
    name: 'consigne.acknowledge',
    args: { messageId: DEMO_IDS.nationalConsigne },
  },
  {
    author: 'ars-idf',
    minutesAgo: 140,
    name: 'message.post',
    args: post({
      id: DEMO_IDS.idfInformation,
      territory: 'R:11',
      kind: 'information',
      priority: 'info',
      body:
        'Ouverture de 120 lits de réanimation supplémentaires dans les établissements franciliens sous 48 h. ' +
        'Point de situation régional quotidien à 18 h en audioconférence.',
    }),
  },
  {
    author: 'ars-bretagne',
    minutesAgo: 120,
    name: 'message.post',
    args: post({
      id: DEMO_IDS.bretagneConsigne,
      territory: 'R:53',
      kind: 'consigne',
      priority: 'important',
      body:
        'Les SAMU bretons recensent leurs capacités d’accueil de patients franciliens en réanimation ' +
        '(lits, équipes de transport, créneaux d’hélicoptère) et les transmettent à l’ARS avant 12 h.',
    }),
  },
  {
    author: 'samu75',
    minutesAgo: 95,
    name: 'message.post',
    args: post({
      id: DEMO_IDS.samu75Demande,
      territory: 'D:75',
      kind: 'demande',
      priority: 'important',
      body:
        'Recherche de 4 lits de réanimation adulte pour des patients Covid intubés en attente aux urgences de Bichat. ' +
        'Merci aux établissements de signaler leurs disponibilités au SAMU 75.',
    }),
  },
  {
    author: 'pitie',
    minutesAgo: 60,
    name: 'message.post',
    args: post({
      id: DEMO_IDS.pitieUrgent,
      territory: 'D:75',
      kind: 'information',
      priority: 'urgent',
      body: 'Réanimation médicale saturée : plus aucun lit disponible. Toute admission doit être régulée par le SAMU 75.',
    }),
  },
  {
    author: 'samu29',
    minutesAgo: 40,
    name: 'message.post',
    args: post({
      id: DEMO_IDS.samu29Information,
      territory: 'D:29',
      kind: 'information',
      priority: 'info',
      body: 'Arrivée du TGV sanitaire en gare de Brest prévue à 15 h 40 : 6 patients, répartis entre le CHU de Brest et le CH de Quimper.',
    }),
  },
  {
    author: 'pma75',
    minutesAgo: 20,
    name: 'message.post',
    args: post({
      id: DEMO_IDS.pmaInformation,
      territory: 'D:75',
      kind: 'information',
      priority: 'info',
      body: 'PMA Gare de Lyon opérationnel : 2 médecins, 4 infirmiers, 10 places assises et 4 brancards. Liaison radio avec le SAMU 75.',
    }),
  },
];

/**
 * The establishments' own accounts for the seeded bed reports (same password as the demo
 * users; not listed at start-up to keep that line short). Pitié-Salpêtrière reports through
 * the `pitie` demo user.
 */
export const DEMO_BED_REPORTERS: readonly DemoUser[] = [
  { username: 'bichat', role: 'establishment:750100232', displayName: 'Cadre de santé — Réanimation, Bichat' },
  { username: 'saint-antoine', role: 'establishment:750100091', displayName: 'Cadre de santé — Réanimation, Saint-Antoine' },
  { username: 'hegp', role: 'establishment:750803447', displayName: 'Cadre de santé — Réanimation, HEGP' },
  { username: 'necker', role: 'establishment:750100208', displayName: 'Cadre de santé — Réanimation pédiatrique, Necker' },
  { username: 'mondor', role: 'establishment:940100027', displayName: 'Cadre de santé — Réanimation, Henri-Mondor' },
  { username: 'bicetre', role: 'establishment:940100043', displayName: 'Cadre de santé — Réanimation, Bicêtre' },
  { username: 'avicenne', role: 'establishment:930100037', displayName: 'Cadre de santé — Réanimation, Avicenne' },
  { username: 'ambroise-pare', role: 'establishment:920100013', displayName: 'Cadre de santé — Réanimation, Ambroise-Paré' },
  { username: 'beaujon', role: 'establishment:920100039', displayName: 'Cadre de santé — Réanimation, Beaujon' },
  { username: 'ch-versailles', role: 'establishment:780800256', displayName: 'Cadre de santé — Réanimation, CH de Versailles' },
  { username: 'ch-sud-francilien', role: 'establishment:910020254', displayName: 'Cadre de santé — Réanimation, CH Sud Francilien' },
  { username: 'ch-meaux', role: 'establishment:770000446', displayName: 'Cadre de santé — Réanimation, CH de Meaux' },
  { username: 'ch-pontoise', role: 'establishment:950000364', displayName: 'Cadre de santé — Réanimation, CH René-Dubos' },
  { username: 'chu-brest', role: 'establishment:290004324', displayName: 'Cadre de santé — Réanimation, CHU de Brest' },
  { username: 'ch-quimper', role: 'establishment:290000025', displayName: 'Cadre de santé — Réanimation, CH de Quimper' },
  { username: 'chu-rennes', role: 'establishment:350000741', displayName: 'Cadre de santé — Réanimation, CHU de Rennes' },
  { username: 'ch-saint-malo', role: 'establishment:350000147', displayName: 'Cadre de santé — Réanimation, CH de Saint-Malo' },
];

/** [unit type, installed, staffed, available, COVID+, COVID−, hours ago, comment?] */
type SeedUnit = [string, number, number, number, number | null, number | null, number, string?];

/**
 * A first report per unit, by the establishment's own account. Figures follow the ROR
 * Île-de-France synthesis of 2020-03-24 (tests/fixtures/beds): each département's available
 * beds here stay within its total there (Paris: 5 in réanimation médicale, 9 chirurgicale,
 * 12 médico-chirurgicale, 1 pédiatrique, 11 USINV…), availability is tight and a few units
 * are full. The units the ROR listed as "not reported" (Val-d'Oise) and a few others were
 * last reported 30 h ago, past the default 24 h, so the stale marking shows. Pitié's
 * réanimation médicale is left for the demo user's own first report (and the integration
 * tests that make it).
 */
const DEMO_BEDS: ReadonlyArray<{ author: string; finess: string; units: SeedUnit[] }> = [
  {
    author: 'pitie',
    finess: '750100125',
    units: [
      ['REA_CHIR', 16, 16, 2, 8, 6, 2, 'Deux sorties vers la SSPI prévues ce soir'],
      ['SI_USINV', 14, 12, 3, null, null, 3],
      ['SI_USIC', 16, 16, 1, null, null, 3],
      ['USC_POLY', 12, 10, 1, 5, 4, 5],
    ],
  },
  {
    author: 'bichat',
    finess: '750100232',
    units: [
      ['REA_MED', 20, 20, 3, 14, 3, 1, 'Trois lits libérés ce matin, aussitôt proposés au SAMU 75'],
      ['REA_CHIR', 14, 12, 1, 6, 5, 1],
      ['SI_USIC', 12, 12, 2, null, null, 4],
    ],
  },
  { author: 'saint-antoine', finess: '750100091', units: [['REA_MED', 12, 12, 2, 9, 1, 2], ['USC_MED', 8, 8, 1, 4, 3, 6]] },
  { author: 'hegp', finess: '750803447', units: [['REA_MEDCHIR', 30, 28, 4, 17, 7, 2], ['REA_CHIR', 12, 12, 3, 5, 4, 2], ['SI_USIC', 18, 16, 2, null, null, 3]] },
  { author: 'necker', finess: '750100208', units: [['REA_PED', 28, 26, 1, 2, 23, 4]] },
  { author: 'mondor', finess: '940100027', units: [['REA_MEDCHIR', 26, 26, 1, 19, 6, 1], ['REA_CHIR', 16, 16, 4, 6, 6, 1], ['USC_POLY', 10, 10, 2, 4, 4, 7]] },
  {
    author: 'bicetre',
    finess: '940100043',
    units: [
      ['REA_CHIR', 20, 18, 5, 7, 6, 2],
      ['REA_NEONAT', 12, 10, 2, 0, 8, 5],
      ['USC_PED', 6, 6, 0, 0, 6, 30],
    ],
  },
  {
    author: 'avicenne',
    finess: '930100037',
    units: [
      ['REA_MEDCHIR', 18, 18, 0, 15, 3, 1, 'Complet : transferts vers la grande couronne en cours'],
      ['SI_USIC', 10, 10, 2, null, null, 30],
    ],
  },
  { author: 'ambroise-pare', finess: '920100013', units: [['REA_MEDCHIR', 12, 12, 1, 8, 3, 3], ['USC_CHIR', 8, 8, 2, 2, 4, 3]] },
  { author: 'beaujon', finess: '920100039', units: [['REA_CHIR', 16, 16, 3, 6, 7, 2]] },
  {
    author: 'ch-versailles',
    finess: '780800256',
    units: [
      ['REA_MEDCHIR', 16, 14, 2, 9, 3, 4],
      ['SI_USIC', 8, 8, 3, null, null, 4],
      ['SI_NEONAT', 9, 9, 0, 0, 9, 6],
    ],
  },
  { author: 'ch-sud-francilien', finess: '910020254', units: [['REA_MEDCHIR', 20, 20, 2, 14, 4, 2], ['USC_POLY', 12, 12, 3, 5, 4, 2]] },
  { author: 'ch-meaux', finess: '770000446', units: [['REA_MEDCHIR', 14, 14, 3, 8, 3, 5], ['SI_USIC', 8, 8, 4, null, null, 5]] },
  { author: 'ch-pontoise', finess: '950000364', units: [['REA_MEDCHIR', 16, 16, 1, 11, 4, 30, 'Relevé non mis à jour depuis hier']] },
  {
    author: 'chu-brest',
    finess: '290004324',
    units: [
      ['REA_MEDCHIR', 30, 30, 9, 6, 15, 2, 'Capacité d’accueil de patients franciliens : 6 lits'],
      ['SI_USIC', 14, 14, 4, null, null, 3],
    ],
  },
  { author: 'ch-quimper', finess: '290000025', units: [['REA_MEDCHIR', 15, 15, 5, 3, 7, 2]] },
  { author: 'chu-rennes', finess: '350000741', units: [['REA_MED', 22, 22, 6, 7, 9, 1], ['REA_CHIR', 18, 18, 5, 3, 10, 1], ['USC_POLY', 12, 12, 4, 2, 6, 4]] },
  { author: 'ch-saint-malo', finess: '350000147', units: [['REA_MEDCHIR', 10, 10, 3, 2, 5, 30]] },
];

/** The label of the demo feed key created from `VIGIE_DEMO_FEED_KEY`. */
export const DEMO_FEED_KEY_LABEL = 'Registre de démonstration (ROR Île-de-France)';

export interface SeedDemoOptions {
  /**
   * A known register feed key, bound to R:11 (ARS Île-de-France), for tests and the README;
   * default: `VIGIE_DEMO_FEED_KEY` from the environment. No key is created without it, so
   * no secret is ever committed.
   */
  feedKey?: string;
}

/**
 * Creates the demo users that do not exist yet and, when the database has no event, the demo
 * event log; when it has no unit report, the demo bed reports; the demo feed key if asked
 * and absent. Safe to run on every start. Throws if a seeded mutation is refused.
 */
export async function seedDemo(app: SyncServerApp, options: SeedDemoOptions = { feedKey: process.env.VIGIE_DEMO_FEED_KEY }): Promise<void> {
  const users = new Map<string, UserRecord>();
  for (const u of DEMO_USERS) {
    const existing = await app.store.findUserByUsername(u.username);
    users.set(u.username, existing ?? (await createUser(app.store, app.territories, { ...u, password: DEMO_PASSWORD })));
  }
  if ((await app.store.countEvents()) === 0) await seedEventLog(app, users);
  if ((await app.store.countUnits()) === 0) await seedBeds(app, users);
  if (options.feedKey) await seedFeedKey(app, options.feedKey);
}

async function pushOne(app: SyncServerApp, user: UserRecord, author: string, mutations: Array<Omit<Mutation, 'clientId' | 'mutationId'>>): Promise<void> {
  const clientId = seedClientId(author);
  const last = await app.store.lastMutationId(clientId);
  const reply = await app.pushAs(user.id, {
    clientId,
    mutations: mutations.map((m, i) => ({ ...m, clientId, mutationId: last + 1 + i })),
  });
  if ('error' in reply) throw new Error(`demo seeding (${author}): ${reply.error.message}`);
  for (const result of reply.data.results) {
    if (result.status !== 'applied') throw new Error(`demo seeding (${author}): ${result.reason}`);
  }
}

async function seedEventLog(app: SyncServerApp, users: Map<string, UserRecord>): Promise<void> {
  const base = Date.now();
  for (const step of DEMO_STEPS) {
    const user = users.get(step.author);
    if (!user) throw new Error(`demo author ${step.author} missing`);
    await pushOne(app, user, step.author, [{ name: step.name, args: step.args, at: new Date(base - step.minutesAgo * 60_000).toISOString() }]);
  }
}

/** The establishments' own reports (source `app`), one push per establishment. */
async function seedBeds(app: SyncServerApp, users: Map<string, UserRecord>): Promise<void> {
  const base = Date.now();
  for (const u of DEMO_BED_REPORTERS) {
    const existing = await app.store.findUserByUsername(u.username);
    users.set(u.username, existing ?? (await createUser(app.store, app.territories, { ...u, password: DEMO_PASSWORD })));
  }
  for (const { author, finess, units } of DEMO_BEDS) {
    const user = users.get(author);
    if (!user) throw new Error(`demo author ${author} missing`);
    await pushOne(
      app,
      user,
      author,
      units.map(([unitType, installed, staffed, available, covidPos, covidNeg, hoursAgo, comment]) => {
        const name: MutationName = 'unit.report';
        const args: UnitReportArgs = { id: randomUUID(), finess, unitType, installed, staffed, available, covidPos, covidNeg, comment: comment ?? '' };
        return { name, args, at: new Date(base - hoursAgo * 3_600_000).toISOString() };
      }),
    );
  }
}

async function seedFeedKey(app: SyncServerApp, key: string): Promise<void> {
  if (!apiKeyFromHeader(`ApiKey ${key}`)) {
    throw new Error('VIGIE_DEMO_FEED_KEY: 16 to 200 characters among A–Z a–z 0–9 _ - expected');
  }
  if (await app.store.findFeedKey(hashFeedKey(key))) return;
  await createFeedKey(app.store, app.territories, { label: DEMO_FEED_KEY_LABEL, territory: 'R:11', key });
}
