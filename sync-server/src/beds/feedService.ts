/**
 * The register feed: external registers push unit reports with an API key bound to a
 * territory. Each line is checked (unit type from a code or a ROR label, establishment known
 * and inside the key's territory), then every accepted line goes through the same path as a
 * user's push: the `unit.report` mutator (`source: 'feed'`), exactly once under the key's own
 * client id, one transaction for the request, change log, pokes to every client in scope.
 */
import { timeOrderedUuid } from './reportId';
import { OBSERVED_AHEAD_MS, unitKey, type UnitReportArgs } from '../../../common/domain/beds/model';
import type { FeedRequest, FeedResult } from '../../../common/domain/beds/protocol';
import { defaultUnitId, resolveUnitLabel } from '../../../common/domain/beds/unitTypes';
import { VIA_FEED, type bedMutators } from '../../../common/domain/beds/mutators';
import { fr } from '../../../common/i18n/fr';
import { FINESS_ID, isWithin, type Territories } from '../../../common/territory';
import { errorText } from '../errors';
import type { ScopedChange, ServerStore } from '../store/types';
import { feedActor, feedClientId } from './feedKeys';
import type { FeedKeyRecord } from './store';
import type { Mutation } from '../../../common/protocol';

const UNIT_REPORT: keyof typeof bedMutators = 'unit.report';

/**
 * How a feed names a line in the reasons it gives (`index`: the line's position in the
 * request's `reports`, from 0). The JSON feed says « Ligne 3 »; the FHIR feed names the
 * Bundle entry the line came from, which is what its sender can find.
 */
export interface FeedWording {
  duplicateUnit(index: number, firstIndex: number): string;
  observedInFuture(index: number, observed: string, serverTime: string): string;
}

/** The JSON feed's wording: lines numbered from 1 in the order of `reports`. */
export const jsonFeedWording: FeedWording = {
  duplicateUnit: (index, firstIndex) => fr.feed.duplicateUnit(index + 1, firstIndex + 1),
  observedInFuture: (index, observed, serverTime) => fr.feed.observedInFuture(index + 1, observed, serverTime),
};

export class FeedService {
  constructor(
    private readonly store: ServerStore,
    private readonly territories: Territories,
    private readonly now: () => Date,
    private readonly poke: (changes: ScopedChange[]) => void,
    private readonly log: (line: string) => void,
  ) {}

  /** `req` is already validated against `FeedRequestSchema`. One result per line, in order. */
  async ingest(key: FeedKeyRecord, req: FeedRequest, wording: FeedWording = jsonFeedWording): Promise<FeedResult> {
    const results: FeedResult['results'] = new Array(req.reports.length);
    const actor = feedActor(key, this.territories);
    const keyPath = this.territories.path(key.territory);
    const now = this.now();
    const receivedAt = now.toISOString();
    const clientId = feedClientId(key);
    // The accepted lines with their establishment's path, in the order they are applied.
    const accepted: Array<{ index: number; path: string; mutation: Mutation }> = [];
    // Which line first named each unit of this request (a later line for it is refused).
    const firstLine = new Map<string, number>();
    const latestAllowed = now.getTime() + OBSERVED_AHEAD_MS;
    req.reports.forEach((r, index) => {
      const reject = (reason: string) => {
        results[index] = { index, status: 'rejected', reason };
      };
      const resolved = resolveUnitLabel(r.unitType);
      if (!resolved) return reject(fr.beds.unknownUnitType(r.unitType));
      const type = resolved.type;
      const marked = resolved.assignment !== null || resolved.temporary;
      const path = FINESS_ID.test(r.finess) ? this.territories.path(`E:${r.finess}`) : null;
      // The schema does not bound `finess`: echo a short prefix only.
      if (!path) return reject(fr.beds.unknownEstablishment(r.finess.slice(0, 20)));
      if (!actor || !keyPath || !isWithin(path, keyPath)) return reject(fr.feed.outOfTerritory(this.territories.label(`E:${r.finess}`)));
      // A register's clock ahead of ours: its line and our time, in the register's terms.
      if (r.at !== undefined && Date.parse(r.at) > latestAllowed) return reject(wording.observedInFuture(index, r.at, receivedAt));
      const unitId = r.unitId ?? defaultUnitId(resolved);
      const key = unitKey(r.finess, unitId);
      const first = firstLine.get(key);
      if (first !== undefined) return reject(wording.duplicateUnit(index, first));
      firstLine.set(key, index);
      const args: UnitReportArgs = {
        // Time-ordered: the request's new history rows share a few pages of the id index.
        id: timeOrderedUuid(now.getTime()),
        finess: r.finess,
        unitType: type.code,
        unitId,
        // A marked label (« Réanimation COVID19 + ») names the unit as well as its type.
        unitName: r.unitName ?? (marked ? r.unitType.trim().slice(0, 120) : null),
        installed: r.installed,
        staffed: r.staffed,
        available: r.available,
        covidPos: r.covidPos ?? null,
        covidNeg: r.covidNeg ?? null,
        extra24h: r.extra24h ?? null,
        extra72h: r.extra72h ?? null,
        surge: r.surge ?? null,
        assignment: r.assignment ?? resolved.assignment,
        temporary: r.temporary ?? resolved.temporary,
        ror: r.ror ?? null,
        comment: r.comment ?? '',
        observedAt: r.at ?? null,
      };
      // mutationId is a placeholder: the store numbers the lines inside its transaction.
      accepted.push({ index, path, mutation: { clientId, mutationId: 1, name: UNIT_REPORT, args, at: receivedAt } });
    });
    // Applied grouped by establishment (a stable sort: the sender's order within one): a unit
    // appears once per request, so the order between units changes nothing they store, and
    // the pokes, one per run of changes of one path (fanOut), are one per establishment
    // rather than up to one per line.
    accepted.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const mutations = accepted.map((a) => a.mutation);
    const lineOf = accepted.map((a) => a.index);
    if (actor && mutations.length) {
      // `unit.report` refuses before it writes: no savepoint per line (see ApplyInput).
      const outcome = await this.store.applyMutations({ clientId, actor, mutations, now, assignIds: true, via: VIA_FEED, rejectsBeforeWriting: true });
      outcome.results.forEach((res, k) => {
        const index = lineOf[k];
        results[index] =
          res.status === 'applied' ? { index, status: 'applied', version: res.version } : { index, status: 'rejected', reason: res.reason };
      });
      if (outcome.stop) {
        this.log(`feed ${key.label} (${key.id}) stopped: ${outcome.stop.code === 'internal' ? errorText(outcome.stop.cause) : outcome.stop.code}`);
        for (let k = outcome.results.length; k < lineOf.length; k++) {
          results[lineOf[k]] = { index: lineOf[k], status: 'rejected', reason: fr.feed.lineNotApplied };
        }
      }
      if (outcome.changes.length) {
        try {
          this.poke(outcome.changes);
        } catch (err) {
          this.log(`feed poke failed: ${errorText(err)}`);
        }
      }
    }
    return { results };
  }
}
