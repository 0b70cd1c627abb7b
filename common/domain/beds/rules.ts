/** The plausibility rules of a unit's figures and the jump rule, shared by the form, the import, the feed and the mutator. */
import { fr } from '../../i18n/fr';
import { JUMP_CONFIRM_THRESHOLD, type Figures } from './model';

/**
 * The plausibility rules, as French sentences (empty when plausible). Used at entry in the
 * form, by the CSV import and the register feed, and by the mutator on both sides.
 */
export function figureErrors(f: Figures): string[] {
  const errors: string[] = [];
  if (f.available > f.staffed) errors.push(fr.beds.availableOverStaffed(f.available, f.staffed));
  if (f.staffed > f.installed) errors.push(fr.beds.staffedOverInstalled(f.staffed, f.installed));
  const occupied = (f.covidPos ?? 0) + (f.covidNeg ?? 0);
  if (f.covidPos != null || f.covidNeg != null) {
    if (occupied + f.available > f.staffed) errors.push(fr.beds.occupiedOverStaffed(occupied, f.available, f.staffed));
  }
  if (f.extra24h != null && f.extra72h != null && f.extra24h > f.extra72h) errors.push(fr.beds.extraOrder(f.extra24h, f.extra72h));
  return errors;
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
