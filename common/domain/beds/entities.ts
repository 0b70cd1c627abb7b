/**
 * The bed board's synced rows: unit reports. Pulls carry only each unit's latest report
 * (`latest`), never the history, which is asked for on demand (`beds:history`).
 */
import { defineEntity } from '../../engine/entity';
import type { UnitReport } from './model';

/** A unit's figures are seen by its establishment's branch: the establishment, its SAMU, its ARS, national. */
export const unitEntity = defineEntity<UnitReport>()('unit', {
  key: (r) => r.id,
  scope: (r) => `E:${r.finess}`,
  pull: 'latest',
});

export const bedEntities = [unitEntity] as const;
