/**
 * The bed board's part of ConsoleApi: its calls (current picture and its live changes, a
 * report from the quick form, a unit's history, the ROR extract import, exports, freshness
 * settings) and the views the renderer receives.
 */
import { z } from 'zod';
import { call, returns, NoArgs, type MutationReceipt } from '../../engine/calls';
import type { FreshnessSettings } from './totals';
import type { ExportFile, ImportPreview, UnitHistory, UnitPicture, UnitView } from './views';
import type { UnitChangesWire } from './wire';

const ImportFile = {
  fileName: z.string().min(1).max(255),
  /** The file's raw bytes, base64 (the encoding is detected: UTF-8 with or without BOM, else Latin-1). */
  contentBase64: z.string().max(28_000_000, 'fichier trop volumineux (20 Mo au plus)'),
};

const bedCount = z.number().int();
export const FreshnessSettingsSchema = z.strictObject({
  staleAfterHours: z.number().min(1).max(24 * 14),
  thresholds: z.strictObject({
    fewFree: z.number({ error: 'nombre de lits attendu' }).int('nombre entier de lits attendu').min(0, 'un nombre de lits ne peut pas être négatif').max(50, 'au plus 50 lits par unité'),
  }),
});

export const bedCalls = {
  'beds.current': call(NoArgs, returns<UnitView[]>()),
  /**
   * What changed in the unit picture since `since` (0: everything), for views kept up to
   * date live; compact on the wire (`decodeUnitChanges` gives the views back).
   */
  'beds.changes': call(z.strictObject({ since: z.number().int().min(0) }), returns<UnitChangesWire>()),
  'beds.report': call(
    z.strictObject({
      finess: z.string(),
      unitType: z.string(),
      /** The unit inside the establishment (default: the type's code, one unit per type); a new id declares a new unit. */
      unitId: z.string().max(60).optional(),
      unitName: z.string().max(120).nullable().optional(),
      installed: bedCount,
      staffed: bedCount,
      available: bedCount,
      covidPos: bedCount.nullable().optional(),
      covidNeg: bedCount.nullable().optional(),
      extra24h: bedCount.nullable().optional(),
      extra72h: bedCount.nullable().optional(),
      /** Surge beds opened beyond the installed ones (absent with staffed > installed: the excess). */
      surge: bedCount.nullable().optional(),
      comment: z.string().max(500).optional(),
      confirmJump: z.boolean().optional(),
    }),
    returns<MutationReceipt>(),
  ),
  'beds.history': call(
    z.strictObject({ finess: z.string(), unitType: z.string(), unitId: z.string().max(60).optional(), days: z.number().int().min(1).max(90).optional() }),
    returns<UnitHistory>(),
  ),
  /** The figures of some départements (default: the user's scope) at an instant (default: now). */
  'beds.picture': call(
    z.strictObject({
      deps: z.array(z.string().max(3)).min(1).max(120).optional(),
      at: z.iso.datetime({ offset: true, error: 'date et heure ISO 8601 attendues' }).optional(),
    }),
    returns<UnitPicture>(),
  ),
  'beds.importPreview': call(z.strictObject(ImportFile), returns<ImportPreview>()),
  'beds.importCommit': call(
    z.strictObject({ ...ImportFile, validOnly: z.boolean(), confirmJumps: z.boolean() }),
    returns<{ imported: number; skipped: number }>(),
  ),
  'beds.export': call(
    z.strictObject({ format: z.enum(['csv', 'edxl-have']), territory: z.string().max(60).optional() }),
    returns<ExportFile>(),
  ),
  'beds.settings': call(NoArgs, returns<FreshnessSettings>()),
  'beds.setSettings': call(FreshnessSettingsSchema, returns<FreshnessSettings>()),
} as const;
