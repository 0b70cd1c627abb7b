/**
 * The quick form's drafts, pure: what the user typed over the current figures, parsed into
 * a report, checked with the shared plausibility rules, and the jumps that need a
 * confirmation. Tested in `draft.test.ts`.
 */
import { ui } from '../../../common/i18n/ui.fr';
import { JUMP_CONFIRM_THRESHOLD, UNIT_ID_MAX, type Figures } from '../../../common/domain/beds/model';
import { figureErrors } from '../../../common/domain/beds/rules';
import { unitType } from '../../../common/domain/beds/unitTypes';
import type { UnitView } from '../../../common/domain/beds/views';
import type { CallArgs } from '../../../common/api';

export const REQUIRED_FIELDS = ['installed', 'staffed', 'available'] as const;
export const OPTIONAL_FIELDS = ['surge', 'covidPos', 'covidNeg', 'extra24h', 'extra72h'] as const;
export type NumberField = (typeof REQUIRED_FIELDS)[number] | (typeof OPTIONAL_FIELDS)[number];
export type DraftField = NumberField | 'comment';

/** Only the fields the user changed; the others show the current figures. */
export type RowEdits = Partial<Record<DraftField, string>>;

export function shownValue(current: UnitView | undefined, edits: RowEdits | undefined, field: DraftField): string {
  const typed = edits?.[field];
  if (typed !== undefined) return typed;
  if (!current) return '';
  const v = current[field];
  return v === null || v === undefined ? '' : String(v);
}

/** Parses a bed count typed by a person ("12", " 3 "); null for empty, NaN for anything else. */
export function parseCount(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  return /^\d{1,4}$/.test(t) ? Number(t) : Number.NaN;
}

/**
 * Whether the user changed a row: a typed value that differs from the current figures (a
 * value typed back to what it was is no change). A unit with no figures yet is always new.
 */
export function isEdited(current: UnitView | undefined, edits: RowEdits | undefined): boolean {
  if (!current) return true;
  if (!edits) return false;
  return (Object.keys(edits) as DraftField[]).some((f) => {
    const typed = edits[f] ?? '';
    const was = shownValue(current, undefined, f);
    if (f === 'comment') return typed.trim() !== was.trim();
    const a = parseCount(typed);
    return a !== parseCount(was);
  });
}

/** A row of the form: an existing unit, or one the user is adding (its id is then its name, or its type's code). */
export interface FormUnit {
  unitType: string;
  unitId: string;
  unitName: string | null;
}

/**
 * The identity of a unit being added: its name, trimmed, is its id; without a name, its
 * type's code (one unit per type). Errors when the id is taken by another unit of the
 * establishment (`taken`: the ids of the other rows).
 */
export function addedUnit(unitTypeCode: string, name: string, taken: ReadonlySet<string>): { unit: FormUnit; error: string | null } {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  const unit: FormUnit = { unitType: unitTypeCode, unitId: trimmed || unitTypeCode, unitName: trimmed || null };
  if (trimmed.length > UNIT_ID_MAX) return { unit, error: ui.beds.form.nameTooLong(UNIT_ID_MAX) };
  if (!taken.has(unit.unitId)) return { unit, error: null };
  return { unit, error: trimmed ? ui.beds.form.nameTaken(trimmed) : ui.beds.form.nameNeeded(unitType(unitTypeCode)?.label ?? unitTypeCode) };
}

export interface ParsedRow {
  args: CallArgs<'beds.report'> | null;
  errors: string[];
}

/** The report a row would send, or why it cannot be sent (French sentences). */
export function parseRow(finess: string, unit: FormUnit, current: UnitView | undefined, edits: RowEdits | undefined): ParsedRow {
  const errors: string[] = [];
  const value = (f: NumberField) => parseCount(shownValue(current, edits, f));
  const nums: Partial<Record<NumberField, number | null>> = {};
  for (const f of [...REQUIRED_FIELDS, ...OPTIONAL_FIELDS]) {
    const v = value(f);
    if (Number.isNaN(v)) {
      errors.push(`${ui.beds.form[f]} : ${ui.beds.form.invalidNumber}`);
      continue;
    }
    if (v === null && (REQUIRED_FIELDS as readonly string[]).includes(f)) {
      errors.push(`${ui.beds.form[f]} : ${ui.beds.form.invalidNumber}`);
      continue;
    }
    nums[f] = v;
  }
  if (errors.length) return { args: null, errors };
  const figures: Figures = {
    installed: nums.installed ?? 0,
    staffed: nums.staffed ?? 0,
    available: nums.available ?? 0,
    covidPos: nums.covidPos ?? null,
    covidNeg: nums.covidNeg ?? null,
    extra24h: nums.extra24h ?? null,
    extra72h: nums.extra72h ?? null,
    surge: nums.surge ?? null,
  };
  const plausibility = figureErrors(figures);
  if (plausibility.length) return { args: null, errors: plausibility };
  return {
    args: {
      finess,
      unitType: unit.unitType,
      unitId: unit.unitId,
      unitName: unit.unitName,
      installed: figures.installed,
      staffed: figures.staffed,
      available: figures.available,
      covidPos: figures.covidPos,
      covidNeg: figures.covidNeg,
      extra24h: figures.extra24h,
      extra72h: figures.extra72h,
      surge: figures.surge,
      comment: shownValue(current, edits, 'comment').trim(),
    },
    errors: [],
  };
}

export interface Jump {
  field: (typeof REQUIRED_FIELDS)[number];
  from: number;
  to: number;
}

/** The figures that move by more than the threshold since the last report (what the confirmation lists). */
export function jumpsOf(current: UnitView | undefined, next: Figures): Jump[] {
  if (!current) return [];
  return REQUIRED_FIELDS.filter((f) => Math.abs(next[f] - current[f]) > JUMP_CONFIRM_THRESHOLD).map((f) => ({ field: f, from: current[f], to: next[f] }));
}
