/**
 * The event log's demo data: one crisis event (« Covid-19 — vague 1 ») with national,
 * regional and local messages, consignes and an acknowledgement, written by the demo users
 * through the same push path as a user's, so it is in the change log and every client pulls it.
 * Seeded once, when the database has no event.
 */
import type { EventOpenArgs, MessagePostArgs } from '../../../common/domain/eventlog/model';
import type { eventLogMutators } from '../../../common/domain/eventlog/mutators';
import type { DemoContext } from '../board';
import type { EventLogStore } from './store';

type EventLogMutation = keyof typeof eventLogMutators;

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

type Step = { author: string; minutesAgo: number } & (
  | { name: Extract<EventLogMutation, 'event.open'>; args: EventOpenArgs }
  | { name: Extract<EventLogMutation, 'message.post'>; args: MessagePostArgs }
  | { name: Extract<EventLogMutation, 'consigne.acknowledge'>; args: { messageId: string } }
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
      ackList: { kind: 'ars' },
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
      ackList: { kind: 'samu', region: '53' },
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

export async function seedEventLogDemo(ctx: DemoContext<EventLogStore>): Promise<void> {
  if ((await ctx.own.countEvents()) > 0) return;
  const base = Date.now();
  for (const step of DEMO_STEPS) {
    await ctx.seed(ctx.user(step.author), [{ name: step.name, args: step.args, at: new Date(base - step.minutesAgo * 60_000).toISOString() }]);
  }
}
