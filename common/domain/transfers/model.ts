/**
 * The transfers board's rows (issue 8): an inter-hospital transfer of one pseudonymised
 * patient, from a request to the arrival, and the bed hold an accepted transfer places on
 * its destination unit. Runs anywhere.
 *
 * No name or national identifier is ever stored: the patient is an age band, a sex, a
 * weight class, a need and a few clinical flags. The free clinical summary is a row of its
 * own (`TransferSummary`), seen by the transfer's parties only.
 */
import { z } from 'zod';
import type { Territories, TerritoryKey } from '../../territory';
import { UnitIdSchema } from '../beds/model';

/** The steps of a transfer, in order (`annule` is reachable from any state before `arrive`). */
export const TRANSFER_STATES = ['brouillon', 'demande', 'propose', 'accepte', 'refuse', 'transport', 'en_route', 'arrive', 'annule'] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

export const URGENCIES = ['immediate', 'moins_6h', 'programmee'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const TRANSPORTS = ['smur', 'ambulance', 'helicoptere', 'avion', 'train', 'bateau'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** What the patient needs, and the bed unit types that meet it (codes of `beds/unitTypes.ts`). */
export const NEEDS = {
  rea_adulte: ['REA_MED', 'REA_CHIR', 'REA_MEDCHIR'],
  rea_pediatrique: ['REA_PED'],
  rea_neonatale: ['REA_NEONAT'],
  brules: ['REA_BRULES'],
  usc_adulte: ['USC_MED', 'USC_CHIR', 'USC_POLY'],
  usc_pediatrique: ['USC_PED'],
  usi_cardio: ['SI_USIC'],
  usi_neurovasculaire: ['SI_USINV'],
} as const satisfies Record<string, readonly string[]>;
export type Need = keyof typeof NEEDS;
export const NEED_CODES = Object.keys(NEEDS) as [Need, ...Need[]];

export const AGE_BANDS = ['0-28j', '1m-1a', '1-15', '16-40', '41-60', '61-75', '76+'] as const;
export const SEXES = ['F', 'M', 'X'] as const;
export const WEIGHT_CLASSES = ['<80', '80-120', '>120'] as const;
export const COVID_STATUSES = ['positif', 'negatif', 'inconnu'] as const;

/** A hold expires this long after it was placed, unless the patient arrives: the default of a workstation's setting (`TransferSettings`); the destination may choose 1–24 h. */
export const DEFAULT_HOLD_HOURS = 4;
export const MAX_HOLD_HOURS = 24;
export const SUMMARY_MAX = 2000;
/** A proposal still unanswered after this long is flagged and told to the requesting SAMU: the default of a workstation's setting (`TransferSettings`). */
export const UNANSWERED_AFTER_MINUTES = 30;
export const REASON_MAX = 500;

export const PatientSchema = z.strictObject({
  ageBand: z.enum(AGE_BANDS, { error: 'tranche d’âge inconnue' }),
  sex: z.enum(SEXES, { error: 'sexe attendu : F, M ou X' }),
  weightClass: z.enum(WEIGHT_CLASSES).nullable().default(null),
  need: z.enum(NEED_CODES, { error: 'besoin inconnu' }),
  covid: z.enum(COVID_STATUSES).default('inconnu'),
  ventilated: z.boolean().default(false),
  ecmo: z.boolean().default(false),
  isolation: z.boolean().default(false),
});
export type Patient = z.infer<typeof PatientSchema>;

/** One step of the timeline: the state reached, when, by whom, with an optional comment. */
export interface TransferStep {
  state: TransferState;
  at: string;
  by: string;
  byRole: string;
  comment: string;
}

export interface Transfer {
  id: string;
  /** What people say on the phone: « TR-7F3A91C2 ». */
  number: string;
  patient: Patient;
  originFiness: string;
  originUnitId: string | null;
  /** The requesting SAMU: the SAMU of the origin's département (`D:75`). */
  samu: TerritoryKey;
  urgency: Urgency;
  transport: Transport | null;
  destFiness: string | null;
  destUnitId: string | null;
  destUnitType: string | null;
  state: TransferState;
  /** The last refusal's or the cancellation's reason. */
  reason: string | null;
  /** The hold placed when accepted (its id), while the transfer holds a bed. */
  holdId: string | null;
  /**
   * When that hold expires, as placed: the requesting SAMU reads it here, since the hold
   * itself is outside its branch when the destination is in another département (absent
   * on transfers accepted before it was kept).
   */
  holdExpiresAt?: string | null;
  /** The mass evacuation it travels with (absent on transfers from before operations). */
  operationId?: string | null;
  steps: TransferStep[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

/**
 * A transfer's free clinical summary (pseudonymised: no name, no national identifier), kept
 * apart from the transfer so that only its parties receive it (`summaryParties`): the
 * transfer row reaches their ARS and the national cell too, this one does not.
 */
export interface TransferSummary {
  transferId: string;
  summary: string;
  /** The territories it is logged to (their private scopes), as of its last write. */
  parties: TerritoryKey[];
  updatedAt: string;
  updatedBy: string;
  /**
   * When the retention purge erased the text (`summary` is then ''): the row stays, as a
   * tombstone every party's cache receives, so the detail can say why there is no text.
   * Absent or null: not purged. A workstation older than the purge reads an empty summary.
   */
  purgedAt?: string | null;
  version: number;
}

/** A transfer in one of these states is finished: it moves no more (« refusé » is not: the SAMU proposes again or cancels). */
export const FINISHED_STATES = ['arrive', 'annule'] as const satisfies readonly TransferState[];

/** Days a finished transfer's clinical summary is kept before the server erases it (`--summary-retention-days`). */
export const DEFAULT_SUMMARY_RETENTION_DAYS = 30;

/**
 * When `t` finished: the time of the step that took it to its final state (arrived or
 * cancelled); null while it is not finished.
 */
export function finishedAt(t: Pick<Transfer, 'state' | 'steps' | 'updatedAt'>): string | null {
  if (!(FINISHED_STATES as readonly TransferState[]).includes(t.state)) return null;
  for (let i = t.steps.length - 1; i >= 0; i--) if (t.steps[i].state === t.state) return t.steps[i].at;
  return t.updatedAt;
}

/**
 * Who reads a transfer's clinical summary: the origin establishment, the requesting SAMU,
 * and once proposed the destination establishment and the destination's SAMU. Not their
 * ARS, not the national cell, not field posts, not other establishments. A destination that
 * was proposed and then replaced keeps what it had already received, and nothing more.
 */
export function summaryParties(t: Pick<Transfer, 'originFiness' | 'samu' | 'destFiness'>, territories: Pick<Territories, 'establishment'>): TerritoryKey[] {
  const parties: TerritoryKey[] = [`E:${t.originFiness}`, t.samu];
  if (t.destFiness) {
    parties.push(`E:${t.destFiness}`);
    const dep = territories.establishment(t.destFiness)?.dep;
    if (dep) parties.push(`D:${dep}`);
  }
  return [...new Set(parties)];
}

export const HOLD_STATES = ['active', 'released', 'arrived'] as const;
export type HoldState = (typeof HOLD_STATES)[number];

/**
 * A bed held on a destination unit for an accepted transfer (the ROR's « réservé »). It
 * carries no patient data: everyone who sees the unit sees its holds. Active until it
 * expires (`expiresAt`, no job needed: every reader compares with its clock), is released
 * (refusal after acceptance, cancellation) or the patient arrives; an arrived hold counts
 * as an occupied bed until the unit's next report observed after the arrival.
 */
export interface BedHold {
  id: string;
  transferId: string;
  finess: string;
  unitId: string;
  unitType: string;
  state: HoldState;
  placedAt: string;
  expiresAt: string;
  /** When it stopped being active (released or arrived). */
  endedAt: string | null;
  version: number;
}

const Id = z.uuid({ error: 'identifiant UUID attendu' });
const Finess = z.string().regex(/^[0-9][0-9AB][0-9]{7}$/, 'numéro FINESS à 9 caractères attendu');
const Comment = z.string().trim().max(REASON_MAX).default('');
const Reason = z.string().trim().min(3, 'motif requis (3 caractères au moins)').max(REASON_MAX);

export const TransferCreateArgs = z.strictObject({
  id: Id,
  patient: PatientSchema,
  summary: z.string().trim().max(SUMMARY_MAX).default(''),
  originFiness: Finess,
  originUnitId: UnitIdSchema.nullable().default(null),
  urgency: z.enum(URGENCIES, { error: 'urgence attendue : immédiate, < 6 h ou programmée' }),
  transport: z.enum(TRANSPORTS).nullable().default(null),
  /** Straight to « demandé » (default), or kept as a draft. */
  draft: z.boolean().default(false),
  comment: Comment,
});
export const TransferStepArgs = z.strictObject({ id: Id, comment: Comment });
/** A new text of the clinical summary (the origin establishment or the requesting SAMU). */
export const TransferSummaryArgs = z.strictObject({ id: Id, summary: z.string().trim().max(SUMMARY_MAX) });
export const TransferProposeArgs = z.strictObject({
  id: Id,
  destFiness: Finess,
  destUnitId: UnitIdSchema,
  transport: z.enum(TRANSPORTS).nullable().default(null),
  comment: Comment,
});
export const TransferAcceptArgs = z.strictObject({
  id: Id,
  /** The hold's id (made by the accepting workstation, so a replay is the same hold). */
  holdId: Id,
  holdHours: z.number().min(1).max(MAX_HOLD_HOURS).default(DEFAULT_HOLD_HOURS),
  comment: Comment,
});
export const TransferReasonArgs = z.strictObject({ id: Id, reason: Reason });
export const TransferOrganizeArgs = z.strictObject({
  id: Id,
  transport: z.enum(TRANSPORTS, { error: 'moyen de transport attendu' }),
  comment: Comment,
});

export type TransferCreateArgs = z.infer<typeof TransferCreateArgs>;

/** A mass evacuation's vehicle (2020: medicalised TGV, military aircraft, helicopters, ships). */
export const VEHICLES = ['tgv', 'avion', 'helicoptere', 'bateau'] as const;
export type Vehicle = (typeof VEHICLES)[number];
export const OPERATION_STATES = ['planifiee', 'reservee', 'annulee'] as const;
export type OperationState = (typeof OPERATION_STATES)[number];
export const MAX_OPERATION_PATIENTS = 60;
/** A medicalised TGV of 2020 ran 4 to 8 medical cars; aircraft, helicopters and ships have one cabin or a few. */
export const MAX_CARS = 12;
export const MAX_CABINS = 4;
export const MAX_PLACES_PER_CAR = 30;
export const MAX_LEGS = 6;
export const MAX_TEAM_SIZE = 30;

/** A place of a leg: a station, an airport, a port, with coordinates when road times are wanted from it. */
export const PlaceSchema = z.strictObject({
  name: z.string().trim().min(2, 'lieu requis').max(120),
  at: z.iso.datetime({ offset: true, error: 'date et heure ISO 8601 attendues' }),
  lat: z.number().min(-90).max(90).nullable().default(null),
  lon: z.number().min(-180).max(180).nullable().default(null),
});
export type Place = z.infer<typeof PlaceSchema>;

/** One leg of the journey: Mulhouse → Nantes, then Nantes → Angers (a stop where some patients alight). */
export const LegSchema = z.strictObject({ departure: PlaceSchema, arrival: PlaceSchema });
export type Leg = z.infer<typeof LegSchema>;

/**
 * The medical team of a car or cabin: a label and a head count, never a person's name
 * (« SMUR Strasbourg équipe 2 », 6). The label is read on the manifest by everyone who sees
 * the operation.
 */
export const TeamSchema = z.strictObject({
  label: z.string().trim().min(3, 'nom de l’équipe requis (3 caractères au moins)').max(80),
  size: z.number().int().min(1, 'une équipe compte au moins une personne').max(MAX_TEAM_SIZE),
});
export type Team = z.infer<typeof TeamSchema>;

/** A car of a TGV (« Voiture 3 »), or the cabin of an aircraft, helicopter or ship: its patient places and its team. */
export const CarSchema = z.strictObject({
  label: z.string().trim().min(1, 'nom de la voiture requis').max(40),
  places: z.number().int().min(1, 'une voiture a au moins une place').max(MAX_PLACES_PER_CAR),
  team: TeamSchema.nullable().default(null),
});
export type Car = z.infer<typeof CarSchema>;

/** Where a patient travels: car (index in `cars`), place (1-based) and the leg at whose arrival it alights (index in `legs`). */
export const SeatSchema = z.strictObject({
  transferId: Id,
  car: z.number().int().min(0),
  place: z.number().int().min(1),
  alightLeg: z.number().int().min(0),
});
export type Seat = z.infer<typeof SeatSchema>;

/** Who did something to an operation, and when. */
export interface OperationStamp {
  at: string;
  by: string;
  byRole: string;
}

/**
 * A mass evacuation (« opération »): transfers travelling together in one vehicle, over one
 * or more legs, into a receiving région. Carries no patient data (transfer ids, places and
 * team labels only): seen by everyone, like a timetable.
 *
 * Rows written before legs and cars (issue 8's first part) have only `departure`, `arrival`
 * and `capacity`: read them through `legsOf`, `carsOf` and `seatsOf` (`operation.ts`).
 */
export interface Operation {
  id: string;
  label: string;
  vehicle: Vehicle;
  /** The sum of the cars' places. */
  capacity: number;
  /** The first leg's departure and the last leg's arrival. */
  departure: Place;
  arrival: Place;
  legs?: Leg[];
  cars?: Car[];
  /** One per patient of `transferIds`. */
  seats?: Seat[];
  /** Boarding, per patient (a step of the operation: who, when). */
  boarded?: Array<OperationStamp & { transferId: string }>;
  cancelled?: (OperationStamp & { reason: string }) | null;
  /** `R:44`. */
  receivingRegion: string;
  transferIds: string[];
  state: OperationState;
  createdBy: string;
  createdByRole?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const OperationFields = {
  id: Id,
  label: z.string().trim().min(3, 'nom de l’opération requis').max(120),
  vehicle: z.enum(VEHICLES, { error: 'véhicule attendu : TGV, avion, hélicoptère ou bateau' }),
  legs: z.array(LegSchema).min(1, 'au moins un trajet').max(MAX_LEGS, `au plus ${MAX_LEGS} trajets`),
  cars: z.array(CarSchema).min(1, 'au moins une voiture ou cabine').max(MAX_CARS, `au plus ${MAX_CARS} voitures`),
  receivingRegion: z.string().regex(/^R:\d{2}$/, 'région attendue (R:44)'),
  transferIds: z.array(Id).min(1, 'au moins un patient').max(MAX_OPERATION_PATIENTS),
  /** Where each patient travels; omitted: placed in order, car by car, alighting at the last leg. */
  seats: z.array(SeatSchema).max(MAX_OPERATION_PATIENTS).nullable().default(null),
};

/**
 * An operation's creation. A mutation written by a workstation of the first part (one
 * departure, one arrival, a capacity) may still wait in an outbox: it reads as one leg and
 * one cabin of that capacity.
 */
export const OperationCreateArgs = z.preprocess((raw) => {
  if (typeof raw !== 'object' || raw === null || 'legs' in raw) return raw;
  const { departure, arrival, capacity, ...rest } = raw as Record<string, unknown>;
  return { ...rest, legs: [{ departure, arrival }], cars: [{ label: 'Cabine', places: capacity, team: null }] };
}, z.strictObject(OperationFields));
export type OperationCreateArgs = z.infer<typeof OperationCreateArgs>;
/** A re-plan of an operation whose beds are not held yet: the whole new shape (patients, cars, legs, places). */
export const OperationUpdateArgs = z.strictObject(OperationFields);
export const OperationHoldArgs = z.strictObject({
  id: Id,
  /** One line per patient of the operation: its destination unit and the hold's id. */
  assignments: z
    .array(z.strictObject({ transferId: Id, destFiness: Finess, destUnitId: UnitIdSchema, holdId: Id }))
    .min(1)
    .max(MAX_OPERATION_PATIENTS),
  holdHours: z.number().min(1).max(MAX_HOLD_HOURS).default(DEFAULT_HOLD_HOURS),
});
/** Patients boarded (one, or a whole car: the caller lists them). */
export const OperationBoardArgs = z.strictObject({ id: Id, transferIds: z.array(Id).min(1, 'au moins un patient').max(MAX_OPERATION_PATIENTS) });
export const OperationCancelArgs = z.strictObject({ id: Id, reason: Reason });
/** One patient taken out of the operation (its hold released): it goes back to the transfers to place. */
export const OperationReleaseArgs = z.strictObject({ id: Id, transferId: Id, reason: Reason });

/** « TR-7F3A91C2 » from the transfer's id. */
export function transferNumber(id: string): string {
  return `TR-${id.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
}
