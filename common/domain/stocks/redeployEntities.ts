/**
 * A regional redeployment is seen by the branches of its giver and of its receiver (their
 * SAMU, their ARS, the national cell), as a transfer is: logged once per branch. Both are in
 * one région, so its ARS sees every move; another région's sees none. Every state is kept in
 * the change log (`log` pull): the tracking list is the history.
 */
import { defineEntity } from '../../engine/entity';
import type { Redeployment } from './redeployment';

export const redeploymentEntity = defineEntity<Redeployment>()('redeployment', {
  key: (r) => r.id,
  scope: (r) => [`E:${r.from}`, `E:${r.to}`],
  pull: 'log',
});
