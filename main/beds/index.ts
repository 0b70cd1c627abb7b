/** The bed board's part of the main process: its cache, slice, queries and handlers (import and export included). */
import { defineMainBoard } from '../board';
import { bedCache } from './cache';
import { registerBedHandlers } from './handlers';
import { m004Beds } from './migrations/004-beds';
import { m005UnitChanges } from './migrations/005-unit-changes';
import { m007UnitChangesByEngine } from './migrations/007-unit-changes-by-engine';
import { m009UnitIdentityAndObservationTime } from './migrations/009-unit-identity-and-observation-time';
import { m010SurgeAndRorDetail } from './migrations/010-surge-and-ror-detail';
import { BedQueries } from './queries';
import { cacheBedsTx } from './tx';
import { bedsBoard } from '../../common/domain/beds';

export const bedsMain = defineMainBoard({
  board: bedsBoard,
  migrations: [m004Beds, m005UnitChanges, m007UnitChangesByEngine, m009UnitIdentityAndObservationTime, m010SurgeAndRorDetail],
  entities: bedCache,
  slice: cacheBedsTx,
  queries: (engine) => new BedQueries(engine),
  register: registerBedHandlers,
});
