/**
 * Demo accounts and a small, realistic crisis event log, for local runs and integration
 * tests. Seeded content goes through the same push path as a user's (one system client id
 * per author), so it is in the change log and every client pulls it.
 */
import type { Mutation } from '../../common/protocol';
import type { MutationName } from '../../common/domain/mutators';
import type { EventOpenArgs, MessagePostArgs } from '../../common/domain/eventLog';
import type { SyncServerApp } from './app';
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
 * Creates the demo users that do not exist yet and, when the database has no event, the demo
 * event log. Safe to run on every start. Throws if a seeded mutation is refused.
 */
export async function seedDemo(app: SyncServerApp): Promise<void> {
  const users = new Map<string, UserRecord>();
  for (const u of DEMO_USERS) {
    const existing = await app.store.findUserByUsername(u.username);
    users.set(u.username, existing ?? (await createUser(app.store, app.territories, { ...u, password: DEMO_PASSWORD })));
  }
  if ((await app.store.countEvents()) > 0) return;

  const base = Date.now();
  for (const step of DEMO_STEPS) {
    const user = users.get(step.author);
    if (!user) throw new Error(`demo author ${step.author} missing`);
    const clientId = seedClientId(step.author);
    const mutation: Mutation = {
      clientId,
      mutationId: (await app.store.lastMutationId(clientId)) + 1,
      name: step.name,
      args: step.args,
      at: new Date(base - step.minutesAgo * 60_000).toISOString(),
    };
    const reply = await app.pushAs(user.id, { clientId, mutations: [mutation] });
    if ('error' in reply) throw new Error(`demo seeding (${step.name}): ${reply.error.message}`);
    const result = reply.data.results[0];
    if (result?.status !== 'applied') {
      throw new Error(`demo seeding (${step.name}): ${result?.status === 'rejected' ? result.reason : 'no result'}`);
    }
  }
}
