/**
 * The reinforcement room (salle de renfort) of a SAMU inside a crisis event (issue 7): the
 * posts opened for the surge (regulation desks, phone lines) and their shifts (who holds
 * each post, from when to when). In spring 2020 SAMU ran it inside their crisis event; here
 * it is rows of the event log board, written through the same mutators, outbox and sync as
 * messages, so it works offline and its history stays with the event's.
 *
 * Scope: every row of a room is scoped to `SR:<département>` (`reinforcementRoomOf`), a
 * territory just below the SAMU's that no role holds: the SAMU, its ARS and the national
 * level see it, the département's establishments and field posts do not. Only the SAMU of
 * the département writes it. Nothing is deleted: a post is closed, a shift cancelled, each
 * with who did it and when. Runs anywhere.
 */
import { z } from 'zod';
import type { TerritoryKey } from '../../territory';

export const ROOM_LABEL_MAX = 80;
export const ROOM_PERSON_MAX = 100;
export const ROOM_QUALIFICATION_MAX = 60;
/** A shift lasts at most this long (a 24 h guard is the longest a regulation desk runs). */
export const SHIFT_MAX_HOURS = 24;

/** What a post is for: a regulation desk, a phone line (the 15, a dedicated Covid line), anything else. */
export const RoomPostKind = z.enum(['regulation', 'phone', 'other']);
export type RoomPostKind = z.infer<typeof RoomPostKind>;

/** A post opened in a SAMU's reinforcement room for the surge. */
export interface RoomPost {
  id: string;
  eventId: string;
  /** The room's scope: `SR:<département>`. */
  room: TerritoryKey;
  label: string;
  kind: RoomPostKind;
  openedAt: string;
  openedBy: string;
  closedAt: string | null;
  closedBy: string | null;
  version: number;
}

/** Who holds a post for which shift (`startsAt` inclusive, `endsAt` exclusive). */
export interface RoomShift {
  id: string;
  postId: string;
  eventId: string;
  room: TerritoryKey;
  /** The person holding the post (name as the room writes it: « Dr Claire Martin »). */
  person: string;
  /** Their function (« médecin régulateur », « ARM », « interne »…), or ''. */
  qualification: string;
  startsAt: string;
  endsAt: string;
  assignedBy: string;
  assignedAt: string;
  cancelledAt: string | null;
  cancelledBy: string | null;
  version: number;
}

const Id = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'identifiant UUID attendu');
const Instant = z.iso.datetime({ offset: true, error: 'date et heure attendues (ISO 8601 avec fuseau)' });

export const RoomPostOpenArgs = z.strictObject({
  id: Id,
  eventId: Id,
  label: z
    .string()
    .trim()
    .min(1, 'nom du poste vide')
    .max(ROOM_LABEL_MAX, `le nom du poste dépasse ${ROOM_LABEL_MAX} caractères`),
  kind: RoomPostKind,
});
export const RoomPostCloseArgs = z.strictObject({ id: Id });
export const RoomShiftAssignArgs = z.strictObject({
  id: Id,
  postId: Id,
  person: z
    .string()
    .trim()
    .min(1, 'nom de la personne vide')
    .max(ROOM_PERSON_MAX, `le nom dépasse ${ROOM_PERSON_MAX} caractères`),
  qualification: z
    .string()
    .trim()
    .max(ROOM_QUALIFICATION_MAX, `la fonction dépasse ${ROOM_QUALIFICATION_MAX} caractères`)
    .default(''),
  startsAt: Instant,
  endsAt: Instant,
});
export const RoomShiftCancelArgs = z.strictObject({ id: Id });

/** True when two shifts share an instant (ends are exclusive: 08:00–20:00 then 20:00–08:00 do not overlap). */
export function shiftsOverlap(a: Pick<RoomShift, 'startsAt' | 'endsAt'>, b: Pick<RoomShift, 'startsAt' | 'endsAt'>): boolean {
  return Date.parse(a.startsAt) < Date.parse(b.endsAt) && Date.parse(b.startsAt) < Date.parse(a.endsAt);
}

/**
 * Who holds a post at `now` and who is expected next: among the shifts not cancelled, the
 * one running at `now`, and the first one starting after `now`.
 */
export function postStatus<S extends Pick<RoomShift, 'startsAt' | 'endsAt' | 'cancelledAt'>>(
  shifts: readonly S[],
  now: number,
): { current: S | null; next: S | null } {
  let current: S | null = null;
  let next: S | null = null;
  for (const s of shifts) {
    if (s.cancelledAt) continue;
    const start = Date.parse(s.startsAt);
    if (start <= now && now < Date.parse(s.endsAt)) current = s;
    else if (start > now && (!next || start < Date.parse(next.startsAt))) next = s;
  }
  return { current, next };
}
