/**
 * The bed board's part of the sync server: its tables (reports, each unit's current one, feed
 * keys), its transaction slice, its store part, the `beds:history` socket event, the register
 * feed routes (JSON lines and FHIR Bundle) and its demo data.
 */
import { unitEntity } from '../../../common/domain/beds/entities';
import { bedsWire } from '../../../common/domain/beds/protocol';
import { defineServerBoard } from '../board';
import { seedBedsDemo } from './demo';
import { feedRoute } from './feedRoute';
import { fhirFeedRoute } from './fhirRoute';
import { FeedService } from './feedService';
import { unitHistory } from './history';
import { bedPicture } from './picture';
import { m003Beds } from './migrations/003-beds';
import { m004FeedKeys } from './migrations/004-feed-keys';
import { m006UnitReportsLatestOnly } from './migrations/006-unit-reports-latest-only';
import { m008FeedLedgersReserved } from './migrations/008-feed-ledgers-reserved';
import { m009UnitIdentityAndObservationTime } from './migrations/009-unit-identity-and-observation-time';
import { m010SurgeAndRorDetail } from './migrations/010-surge-and-ror-detail';
import { sqliteBedsTx } from './sqliteTx';
import { FEED_CLIENT_PREFIX, sqliteBedsStore } from './store';
import { bedsBoard } from '../../../common/domain/beds';

export const bedsServer = defineServerBoard({
  board: bedsBoard,
  migrations: [m003Beds, m004FeedKeys, m006UnitReportsLatestOnly, m008FeedLedgersReserved, m009UnitIdentityAndObservationTime, m010SurgeAndRorDetail],
  latest: { [unitEntity.name]: { table: 'unit_current', index: 'unit_current_version' } },
  sqlite: { slice: sqliteBedsTx, store: sqliteBedsStore },
  attach(ctx) {
    ctx.reserveClientIds(FEED_CLIENT_PREFIX);
    ctx.onSocket(bedsWire.history, (actor, raw) => unitHistory(ctx.own, ctx.territories, actor, raw));
    ctx.onSocket(bedsWire.picture, (actor, raw) => bedPicture(ctx.own, ctx.territories, actor, raw, ctx.now));
    // One feed service, two shapes of request: the JSON lines and the ROR's FHIR Bundle.
    const feed = new FeedService(ctx.store, ctx.territories, ctx.now, ctx.poke, ctx.log);
    ctx.route(feedRoute(ctx.own, feed));
    ctx.route(fhirFeedRoute(ctx.own, feed, ctx.log));
  },
  seedDemo: seedBedsDemo,
});
