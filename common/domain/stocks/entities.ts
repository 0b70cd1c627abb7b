/**
 * The stocks board's synced rows: stock lines. Pulls carry only each presentation's current
 * line per establishment (`latest`), never the history. A line is seen by its establishment's
 * branch: the establishment (its PUI), its SAMU, its ARS and the national cell.
 */
import { defineEntity } from '../../engine/entity';
import type { StockLine } from './model';
import { redeploymentEntity } from './redeployEntities';
import { allocationLineEntity, allocationRoundEntity } from './rounds';

export const stockLineEntity = defineEntity<StockLine>()('stockLine', {
  key: (l) => l.id,
  scope: (l) => `E:${l.finess}`,
  pull: 'latest',
});

export const stockEntities = [stockLineEntity, redeploymentEntity, allocationRoundEntity, allocationLineEntity] as const;
