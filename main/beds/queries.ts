/**
 * The bed board's queries over the client cache: the unit picture (whole, or only the units
 * changed since a view's cursor), a unit's current and cached history, and this
 * workstation's freshness settings. Visible = the server's rows with pending reports on top.
 */
import { FreshnessSettingsSchema } from '../../common/domain/beds/api';
import type { RorDetail, UnitReport } from '../../common/domain/beds/model';
import { DEFAULT_FRESHNESS, isEarlier, type FreshnessSettings } from '../../common/domain/beds/totals';
import type { LocalStore } from '../store/localStore';
import { UNIT_COLS, UNIT_VALUES, rowToUnit, unitToRow, type UnitRow } from './rows';
import { unitChanges } from './cache';
import { visibleUnit } from './tx';

/** A unit's visible current report: the server's, or a pending local one on top. */
export type VisibleUnit = UnitReport & { pending: boolean };

const META_BED_SETTINGS = 'bed_settings';

/** A row of UNIT_COLS followed by `pending`, as the driver returns it in raw mode. */
type UnitTuple = [
  string, string, string, string | null, string, number, number, number, number | null, number | null, number | null, number | null,
  number | null, string | null, number, string | null,
  string, string, string, string, string, number, number, number,
];
const AT = 20;

function tupleToUnit(r: UnitTuple): VisibleUnit {
  return {
    id: r[0],
    finess: r[1],
    unitId: r[2],
    unitName: r[3],
    unitType: r[4],
    installed: r[5],
    staffed: r[6],
    available: r[7],
    covidPos: r[8],
    covidNeg: r[9],
    extra24h: r[10],
    extra72h: r[11],
    surge: r[12],
    assignment: r[13] === 'covid+' || r[13] === 'covid-' ? r[13] : null,
    temporary: r[14] === 1,
    ror: r[15] ? (JSON.parse(r[15]) as RorDetail) : null,
    comment: r[16],
    source: r[17] === 'import' || r[17] === 'feed' ? r[17] : 'app',
    reportedBy: r[18],
    reportedRole: r[19],
    at: r[AT],
    atKnown: r[21] !== 0,
    version: r[22],
    pending: r[23] === 1,
  };
}

/** The pending tuple unless the server's report was observed later (a late import of old figures stays below). */
function visibleOf(pending: UnitTuple | undefined, server: UnitTuple | undefined): UnitTuple | undefined {
  if (!pending || !server) return pending ?? server;
  return isEarlier(pending[AT], server[AT]) ? server : pending;
}

/** Beyond this many changed units, one listing of the picture is cheaper than a lookup per unit. */
const FULL_LISTING_ABOVE = 4_000;

/** Units changed since a counter value (see `BedQueries.unitChangesSince`). */
export interface UnitChanges {
  full: boolean;
  units: VisibleUnit[];
  removed: Array<{ finess: string; unitId: string }>;
  cursor: number;
}

/** How long a picture listed ahead of time waits for its first ask before it is dropped. */
const PREPARED_FOR_MS = 60_000;

export class BedQueries {
  /**
   * The whole picture, listed once just after the cache opens, with the counter value it
   * matches: the first `unitChangesSince(0)` (each window's first load of the bed board)
   * takes it if nothing changed since, instead of listing then. Measured: a national
   * picture (18,000 units) took main 250-800 ms to list while the Lits board waited for it
   * (web host, loaded machine); listed at start-up, it is ready before the window asks.
   * Given once, or dropped after PREPARED_FOR_MS: never a second copy kept.
   */
  private prepared: { cursor: number; units: VisibleUnit[] } | null = null;

  constructor(private readonly engine: LocalStore) {
    // After the opening's own work (its caller may still be setting up the session).
    setTimeout(() => this.prepare(), 0).unref();
  }

  /** Lists the picture ahead of the first ask (see `prepared`). */
  private prepare(): void {
    if (!this.engine.isOpen) return;
    try {
      this.prepared = this.unitChangesSince(0);
    } catch {
      // Only a head start: the window's own ask lists the picture, and says what went wrong.
      return;
    }
    setTimeout(() => {
      this.prepared = null;
    }, PREPARED_FOR_MS).unref();
  }

  /** A unit's visible current report: the newest pending local one, unless the server's was observed later. */
  currentReport(finess: string, unitId: string): UnitReport | undefined {
    return visibleUnit(this.engine, finess, unitId);
  }

  /**
   * Every unit in the cache with its visible current report (a pending local one on top).
   * A national picture is some 18,000 units (live changes are read with `unitChangesSince`):
   * rows come back as arrays (no per-row object from the driver) and become views of one
   * fixed shape.
   */
  listUnits(): VisibleUnit[] {
    // With pending reports: each unit's newest one (by mutation), shown unless the server's
    // report was observed later; the server's rows of the other units.
    const sql = this.hasUnitOverlay()
      ? `WITH latest AS (
           SELECT ${UNIT_COLS} FROM ov_units o
           WHERE o.mutation_id = (SELECT max(x.mutation_id) FROM ov_units x WHERE x.finess = o.finess AND x.unit_id = o.unit_id)
         )
         SELECT ${UNIT_COLS}, 1 AS pending FROM latest l
           WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.finess = l.finess AND u.unit_id = l.unit_id AND julianday(u.at) > julianday(l.at))
         UNION ALL
         SELECT ${UNIT_COLS}, 0 AS pending FROM units u
           WHERE NOT EXISTS (SELECT 1 FROM latest l WHERE l.finess = u.finess AND l.unit_id = u.unit_id AND julianday(u.at) <= julianday(l.at))
         ORDER BY finess, unit_id`
      : `SELECT ${UNIT_COLS}, 0 AS pending FROM units ORDER BY finess, unit_id`;
    const rows = this.engine.stmt(sql).raw(true).all() as UnitTuple[];
    const out: VisibleUnit[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = tupleToUnit(rows[i]);
    return out;
  }

  /** The unit change counter's current value: the last change any unit had (0 before any). */
  unitCursor(): number {
    return this.engine.counterValue(unitChanges);
  }

  /**
   * What changed in the unit picture after `since` (a value of `unitCursor`): the units whose
   * visible report changed (a server row, a pending report, an overlay row gone), those that
   * are no longer visible at all, and the counter now. Read in one transaction, so the
   * cursor matches the answer. `full` is set when the answer is the whole picture instead:
   * asked from 0, from a counter this cache never gave (another cache file), or when so
   * much changed that one listing costs less than looking each unit up.
   */
  unitChangesSince(since: number): UnitChanges {
    const prepared = this.prepared;
    this.prepared = null;
    if (since <= 0 && prepared && prepared.cursor === this.unitCursor()) return { full: true, units: prepared.units, removed: [], cursor: prepared.cursor };
    return this.engine.db.transaction((): UnitChanges => {
      const cursor = this.unitCursor();
      if (since <= 0 || since > cursor) return { full: true, units: this.listUnits(), removed: [], cursor };
      // Changed: a server row stamped after `since`, or a unit a pending report moved after it.
      const keys = this.engine
        .stmt(
          `SELECT finess, unit_id FROM (SELECT finess, unit_id, seq FROM unit_changes WHERE seq > @since
             UNION ALL SELECT finess, unit_id, change_seq FROM units WHERE change_seq > @since)
           GROUP BY finess, unit_id ORDER BY max(seq)`,
        )
        .raw(true)
        .all({ since }) as Array<[string, string]>;
      if (keys.length > FULL_LISTING_ABOVE) return { full: true, units: this.listUnits(), removed: [], cursor };
      const pendingRow = this.engine.stmt(`SELECT ${UNIT_COLS}, 1 AS pending FROM ov_units WHERE finess = ? AND unit_id = ? ORDER BY mutation_id DESC LIMIT 1`).raw(true);
      const serverRow = this.engine.stmt(`SELECT ${UNIT_COLS}, 0 AS pending FROM units WHERE finess = ? AND unit_id = ?`).raw(true);
      const units: VisibleUnit[] = [];
      const removed: UnitChanges['removed'] = [];
      for (const [finess, unitId] of keys) {
        const row = visibleOf(pendingRow.get(finess, unitId) as UnitTuple | undefined, serverRow.get(finess, unitId) as UnitTuple | undefined);
        if (row) units.push(tupleToUnit(row));
        else removed.push({ finess, unitId });
      }
      return { full: false, units, removed, cursor };
    })();
  }

  private hasUnitOverlay(): boolean {
    return this.engine.stmt('SELECT 1 FROM ov_units LIMIT 1').get() !== undefined;
  }

  /** The server's current report of a unit, without the overlay (tests and diagnostics). */
  serverUnit(finess: string, unitId: string): UnitReport | undefined {
    const row = this.engine.stmt(`SELECT ${UNIT_COLS} FROM units WHERE finess = ? AND unit_id = ?`).get(finess, unitId) as UnitRow | undefined;
    return row ? rowToUnit(row) : undefined;
  }

  /** Keeps reports of a unit's history the server sent, so they can be shown offline later. */
  cacheHistory(reports: readonly UnitReport[]): void {
    const keep = this.engine.stmt(`INSERT INTO unit_history (${UNIT_COLS}) VALUES (${UNIT_VALUES}) ON CONFLICT(id) DO NOTHING`);
    this.engine.db.transaction(() => {
      for (const r of reports) keep.run(unitToRow(r));
    }).immediate();
  }

  /**
   * The cached history of a unit observed since `since` (ISO), newest observation first (equal
   * times: the later server version first), as the server answers: the first one is the
   * unit's current report, and a late report of old figures takes its place in time.
   */
  cachedHistory(finess: string, unitId: string, since: string, limit: number): UnitReport[] {
    const rows = this.engine.stmt(
      `SELECT ${UNIT_COLS} FROM unit_history WHERE finess = ? AND unit_id = ? AND julianday(at) >= julianday(?)
       ORDER BY julianday(at) DESC, version DESC LIMIT ?`,
    ).all(finess, unitId, since, limit) as UnitRow[];
    return rows.map(rowToUnit);
  }

  /**
   * What this cache knows of the picture at `at` (ISO; default: now) for the establishments
   * `inScope` accepts: each unit's latest report observed at or before `at`, among the
   * server's current rows and the history it keeps (pending local reports are the present,
   * not the past, and are left out). Offline, it is all there is; partial by nature.
   */
  cachedPicture(at: string | undefined, inScope: (finess: string) => boolean): UnitReport[] {
    const rows = this.engine
      .stmt(
        `SELECT ${UNIT_COLS} FROM (SELECT ${UNIT_COLS} FROM units UNION ALL SELECT ${UNIT_COLS} FROM unit_history)
         WHERE (@at IS NULL OR julianday(at) <= julianday(@at))`,
      )
      .all({ at: at ?? null }) as UnitRow[];
    const best = new Map<string, UnitReport>();
    for (const row of rows) {
      const r = rowToUnit(row);
      if (!inScope(r.finess)) continue;
      const key = `${r.finess}:${r.unitId}`;
      const held = best.get(key);
      const [t, h] = [Date.parse(r.at), held ? Date.parse(held.at) : -Infinity];
      if (!held || t > h || (t === h && r.version > held.version)) best.set(key, r);
    }
    return [...best.values()];
  }

  /** This workstation's freshness settings for the bed views (defaults until changed). */
  bedSettings(): FreshnessSettings {
    const raw = this.engine.getMeta(META_BED_SETTINGS);
    if (raw === null) return structuredClone(DEFAULT_FRESHNESS);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return structuredClone(DEFAULT_FRESHNESS);
    }
    const result = FreshnessSettingsSchema.safeParse(parsed);
    if (result.success) return result.data;
    // Settings of an earlier release (tension as occupancy percentages): the stale delay
    // still holds; tension is read on free beds now, from the defaults.
    const stale = FreshnessSettingsSchema.shape.staleAfterHours.safeParse((parsed as { staleAfterHours?: unknown } | null)?.staleAfterHours);
    return stale.success ? { ...structuredClone(DEFAULT_FRESHNESS), staleAfterHours: stale.data } : structuredClone(DEFAULT_FRESHNESS);
  }

  setBedSettings(settings: FreshnessSettings): FreshnessSettings {
    this.engine.setMeta(META_BED_SETTINGS, JSON.stringify(settings));
    return this.bedSettings();
  }
}
