/** The plausibility rules of a unit's figures and the jump rule, shared by the form, the import, the feed and the mutator. */
import { fr } from '../../i18n/fr';
import { JUMP_CONFIRM_THRESHOLD, type Figures } from './model';

/**
 * The plausibility rules, as French sentences (empty when plausible). Used at entry in the
 * form, by the CSV import and the register feed, and by the mutator on both sides.
 */
export function figureErrors(f: Figures): string[] {
  const errors: string[] = [];
  const closed = f.ror?.closed ?? 0;
  if (f.available > f.staffed) errors.push(fr.beds.availableOverStaffed(f.available, f.staffed));
  // Beds can be staffed beyond the installed ones only as surge beds, said or inferred
  // (`surgeOf`); what the sender's own figures make impossible is refused.
  const open = f.installed - closed + surgeOf(f);
  if (f.staffed > open) errors.push(fr.beds.staffedOverOpen(f.staffed, f.installed, closed, f.surge ?? 0));
  if (closed > f.installed) errors.push(fr.beds.closedOverInstalled(closed, f.installed));
  if (f.ror?.closedReactivable !== undefined && f.ror.closedReactivable > closed) errors.push(fr.beds.reactivableOverClosed(f.ror.closedReactivable, closed));
  const occupied = (f.covidPos ?? 0) + (f.covidNeg ?? 0) + (f.ror?.occupied ?? 0);
  const reserved = f.ror?.reserved ?? 0;
  if (f.covidPos != null || f.covidNeg != null || f.ror?.occupied !== undefined || f.ror?.reserved !== undefined) {
    if (occupied + reserved + f.available > f.staffed) errors.push(fr.beds.occupiedOverStaffed(occupied + reserved, f.available, f.staffed));
  }
  if (f.extra24h != null && f.extra72h != null && f.extra24h > f.extra72h) errors.push(fr.beds.extraOrder(f.extra24h, f.extra72h));
  return errors;
}

/**
 * The surge beds of a report: as the sender said, or, when it said nothing, the staffed beds
 * beyond the open installed ones (installed − closed): in spring 2020 ICUs staffed beds well
 * beyond their declared capacity, and those are surge beds, not an error.
 */
export function surgeOf(f: Figures): number {
  if (f.surge != null) return f.surge;
  return Math.max(0, f.staffed - (f.installed - (f.ror?.closed ?? 0)));
}

/** The largest change, in beds, of installed / staffed / available from the previous report. */
export function jumpFrom(prev: Figures | undefined, next: Figures): number {
  if (!prev) return 0;
  return Math.max(
    Math.abs(next.installed - prev.installed),
    Math.abs(next.staffed - prev.staffed),
    Math.abs(next.available - prev.available),
  );
}

export function needsJumpConfirmation(prev: Figures | undefined, next: Figures): boolean {
  return jumpFrom(prev, next) > JUMP_CONFIRM_THRESHOLD;
}
