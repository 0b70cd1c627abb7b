/**
 * ConsoleApi calls of the bed board (ROR+): the establishments of the referential, the
 * current figures of every unit in scope, a unit report from the quick form, a unit's
 * history, the ROR extract import, the exports and the freshness settings.
 *
 * Writes run the shared `unit.report` mutator on the local cache (shown at once, pending,
 * queued for the server); a local rejection (another establishment, implausible figures, a
 * jump needing confirmation) is answered with its French reason and code `rejected`, so the
 * form can ask the user to confirm or fix, and nothing is queued.
 */
import { randomUUID } from 'node:crypto';
import type { UnitReport } from '../../common/domain/beds/model';
import { bedsWire, type HistoryResult, type PictureResult } from '../../common/domain/beds/protocol';
import { unitTypeFromLabel } from '../../common/domain/beds/unitTypes';
import type { ImportPreview, UnitView } from '../../common/domain/beds/views';
import { unitWireRow, type PlaceWireRow, type UnitChangesWire, type UnitWireRow } from '../../common/domain/beds/wire';
import type { MutationReceipt } from '../../common/engine/calls';
import { fr } from '../../common/i18n/fr';
import { FINESS_ID, isWithin, type Territories } from '../../common/territory';
import type { ServiceContext } from '../context';
import { ApiError, queueMutation, type HandlerTable } from '../handlers';
import type { ActiveSession } from '../session/sessionManager';
import { AskRefused } from '../sync/syncClient';
import { heldBeds, withHolds } from '../../common/domain/transfers/holds';
import { exportFileName, unitsToCsv, unitsToHave } from './export';
import type { UnitChanges } from './queries';
import { bytesFromBase64, demoteLines, parseImport, type ImportedReport, type ParsedImport } from './import';

const DAY_MS = 86_400_000;
const DEFAULT_HISTORY_DAYS = 30;
const HISTORY_LIMIT = 5_000;

/** Where an establishment is, as every view of its units shows it. */
interface Place {
  establishmentName: string;
  establishmentShortName: string;
  city: string;
  dep: string;
  region: string;
  lat: number | null;
  lon: number | null;
}

/**
 * Builds unit views, looking each establishment's place up once (a national picture is
 * some 18,000 units in 3,000 establishments). Views are written field by field: one fixed
 * object shape, cheaper to build and to serialise than a spread.
 */
export function unitViews(t: Territories): (r: UnitReport & { pending: boolean }) => UnitView {
  const places = new Map<string, Place>();
  const placeOf = (finess: string): Place => {
    let p = places.get(finess);
    if (!p) {
      const e = t.establishment(finess);
      const dep = e ? t.departement(e.dep) : undefined;
      p = { establishmentName: e?.name ?? finess, establishmentShortName: e?.shortName ?? finess, city: e?.city ?? '', dep: e?.dep ?? '', region: dep?.region ?? '', lat: e?.lat ?? null, lon: e?.lon ?? null };
      places.set(finess, p);
    }
    return p;
  };
  return (r) => {
    const p = placeOf(r.finess);
    return {
      id: r.id,
      finess: r.finess,
      unitId: r.unitId,
      unitName: r.unitName,
      unitType: r.unitType,
      installed: r.installed,
      staffed: r.staffed,
      available: r.available,
      covidPos: r.covidPos,
      covidNeg: r.covidNeg,
      extra24h: r.extra24h,
      extra72h: r.extra72h,
      surge: r.surge,
      assignment: r.assignment,
      temporary: r.temporary,
      ror: r.ror,
      comment: r.comment,
      source: r.source,
      reportedBy: r.reportedBy,
      reportedRole: r.reportedRole,
      at: r.at,
      atKnown: r.atKnown,
      version: r.version,
      pending: r.pending,
      establishmentName: p.establishmentName,
      establishmentShortName: p.establishmentShortName,
      city: p.city,
      dep: p.dep,
      region: p.region,
      lat: p.lat,
      lon: p.lon,
    };
  };
}

/** The place of an establishment as a view shows it (`unitViews`), in the wire's order. */
function placeRow(t: Territories, finess: string): PlaceWireRow {
  const e = t.establishment(finess);
  const dep = e ? t.departement(e.dep) : undefined;
  return [finess, e?.name ?? finess, e?.shortName ?? finess, e?.city ?? '', e?.dep ?? '', dep?.region ?? '', e?.lat ?? null, e?.lon ?? null];
}

/**
 * `encodeUnitChanges` of the views of `c.units` (what `unitViews` would build), written
 * straight from the visible reports: no view object per unit in between, each
 * establishment's place looked up once. A national picture is ~18,000 units, which main
 * builds before the Lits board can show anything; the views' 31-field objects were built
 * only to be taken apart again into the wire's arrays.
 */
export function encodeVisibleUnits(c: UnitChanges, t: Territories): UnitChangesWire {
  const places = new Map<string, PlaceWireRow>();
  const rows = new Array<UnitWireRow>(c.units.length);
  for (let i = 0; i < c.units.length; i++) {
    const r = c.units[i];
    if (!places.has(r.finess)) places.set(r.finess, placeRow(t, r.finess));
    rows[i] = unitWireRow(r);
  }
  return { full: c.full, rows, places: [...places.values()], removed: c.removed, cursor: c.cursor };
}

/** The server's answer to `beds:history`, if it has the expected shape (each report is checked again before it is kept). */
function historyAnswer(data: unknown): HistoryResult | null {
  if (!data || typeof data !== 'object' || !Array.isArray((data as { reports?: unknown }).reports)) return null;
  return data as HistoryResult;
}

function pictureAnswer(data: unknown): PictureResult | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as { reports?: unknown; serverTime?: unknown };
  if (!Array.isArray(d.reports) || typeof d.serverTime !== 'string') return null;
  return d as PictureResult;
}

function reportArgs(r: ImportedReport, confirmJump: boolean): Record<string, unknown> {
  return {
    id: randomUUID(),
    finess: r.finess,
    unitType: r.unitType,
    unitId: r.unitId,
    unitName: r.unitName,
    observedAt: r.observedAt,
    installed: r.installed,
    staffed: r.staffed,
    available: r.available,
    covidPos: r.covidPos,
    covidNeg: r.covidNeg,
    extra24h: r.extra24h,
    extra72h: r.extra72h,
    surge: r.surge,
    assignment: r.assignment,
    temporary: r.temporary,
    ror: r.ror,
    comment: r.comment,
    source: 'import',
    confirmJump,
  };
}

/**
 * Reads and validates the whole file, then asks the store to dry-run every valid line
 * through the real mutator (the user's scope and role, exactly as the commit will apply
 * them); lines it would refuse move to the errors.
 */
function readExtract(s: ActiveSession, t: Territories, fileName: string, contentBase64: string): ParsedImport {
  const bytes = bytesFromBase64(contentBase64);
  if (!bytes) throw new ApiError('bad_args', fr.bedImport.unreadable);
  const parsed = parseImport(fileName, bytes, {
    establishment: (finess) => t.establishment(finess),
    current: (finess, unitId) => s.store.boards.beds.currentReport(finess, unitId),
  });
  const reasons = s.store.dryRun(
    parsed.reports.map((r) => ({ name: 'unit.report', args: reportArgs(r, true) })),
    s.actor,
  );
  const refused = new Map<number, string>();
  reasons.forEach((reason, i) => {
    if (reason !== null) refused.set(parsed.reports[i].line, reason);
  });
  return demoteLines(parsed, refused);
}

export function registerBedHandlers(table: HandlerTable, ctx: ServiceContext): void {
  const changed = (s: ActiveSession): void => {
    ctx.emit('data.changed', { entities: ['unit'] });
    ctx.emit('sync.status', s.sync.status());
    s.sync.requestPush();
  };

  table.register('beds.current', () => {
    const s = ctx.session.requireActive();
    const t = ctx.territories();
    return s.store.boards.beds.listUnits().map(unitViews(t));
  });

  table.register('beds.changes', ({ since }): UnitChangesWire => {
    const s = ctx.session.requireActive();
    const t = ctx.territories();
    return encodeVisibleUnits(s.store.boards.beds.unitChangesSince(since), t);
  });

  table.register('beds.report', (args): MutationReceipt => {
    const id = randomUUID();
    return queueMutation(
      ctx,
      'unit.report',
      {
        id,
        finess: args.finess,
        // The form sends a Vigie code; a ROR label is accepted too.
        unitType: unitTypeFromLabel(args.unitType)?.code ?? args.unitType,
        ...(args.unitId !== undefined ? { unitId: args.unitId } : {}),
        unitName: args.unitName ?? null,
        installed: args.installed,
        staffed: args.staffed,
        available: args.available,
        covidPos: args.covidPos ?? null,
        covidNeg: args.covidNeg ?? null,
        extra24h: args.extra24h ?? null,
        extra72h: args.extra72h ?? null,
        surge: args.surge ?? null,
        comment: args.comment ?? '',
        source: 'app',
        confirmJump: args.confirmJump ?? false,
      },
      ['unit'],
      id,
    );
  });

  table.register('beds.history', async ({ finess, unitType, unitId, days }) => {
    const s = ctx.session.requireActive();
    const code = unitTypeFromLabel(unitType)?.code;
    if (!code) throw new ApiError('bad_args', fr.beds.unknownUnitType(unitType));
    if (!FINESS_ID.test(finess)) throw new ApiError('bad_args', fr.bedHistory.badFiness(finess));
    const unit = unitId ?? code;
    const since = new Date(Date.now() - (days ?? DEFAULT_HISTORY_DAYS) * DAY_MS).toISOString();
    let complete = false;
    try {
      const answer = historyAnswer(await s.sync.ask(bedsWire.history, { finess, unitType: code, unitId: unit, since, limit: HISTORY_LIMIT }));
      if (answer) {
        // Keep only what answers this question: the cache must not learn other units from it.
        // (A server from before unit identity names no unit: its rows are the type's one unit.)
        const reports = answer.reports.filter(
          (r) => r && typeof r === 'object' && r.finess === finess && (r.unitId ?? r.unitType) === unit && typeof r.version === 'number' && typeof r.at === 'string',
        );
        // The user may have signed out while the server answered: their cache is closed then.
        if (!s.store.isOpen) throw new ApiError('not_logged_in', fr.api.notLoggedIn);
        s.store.boards.beds.cacheHistory(reports);
        complete = true;
      }
    } catch (err) {
      if (err instanceof AskRefused) throw new ApiError('rejected', err.message);
      throw err;
    }
    return { reports: s.store.boards.beds.cachedHistory(finess, unit, since, HISTORY_LIMIT), complete };
  });

  table.register('beds.picture', async ({ deps, at }) => {
    const s = ctx.session.requireActive();
    const t = ctx.territories();
    for (const d of deps ?? []) if (!t.departement(d)) throw new ApiError('bad_args', fr.bedPicture.unknownDep(d));
    const toView = unitViews(t);
    try {
      const answer = pictureAnswer(await s.sync.ask(bedsWire.picture, { ...(deps ? { deps } : {}), ...(at ? { at } : {}) }));
      if (answer) {
        const reports = answer.reports.filter((r) => r && typeof r === 'object' && typeof r.finess === 'string' && typeof r.unitId === 'string' && typeof r.at === 'string');
        if (!s.store.isOpen) throw new ApiError('not_logged_in', fr.api.notLoggedIn);
        // Kept with the history: offline, the same question is answered from what was seen.
        s.store.boards.beds.cacheHistory(reports);
        return { units: reports.map((r) => toView({ ...r, pending: false })), complete: true, serverTime: answer.serverTime };
      }
    } catch (err) {
      if (err instanceof AskRefused) throw new ApiError('rejected', err.message);
      throw err;
    }
    // Offline: what this cache knows, in the same scope the server would have answered.
    const wanted = deps ? new Set(deps) : null;
    const own = t.path(s.actor.territory) ?? '/';
    const inScope = (finess: string) => {
      const e = t.establishment(finess);
      if (!e) return false;
      if (wanted) return wanted.has(e.dep);
      const p = t.path(`E:${finess}`);
      return p !== null && isWithin(p, own);
    };
    const units = s.store.boards.beds.cachedPicture(at, inScope).map((r) => toView({ ...r, pending: false }));
    return { units, complete: false, serverTime: null };
  });

  table.register('beds.importPreview', ({ fileName, contentBase64 }): ImportPreview => {
    const s = ctx.session.requireActive();
    return readExtract(s, ctx.territories(), fileName, contentBase64).preview;
  });

  table.register('beds.importCommit', ({ fileName, contentBase64, validOnly, confirmJumps }) => {
    const s = ctx.session.requireActive();
    const { preview, reports } = readExtract(s, ctx.territories(), fileName, contentBase64);
    const badLines = new Set(preview.errors.map((e) => e.line)).size;
    if (badLines > 0 && !validOnly) throw new ApiError('rejected', fr.bedImport.hasErrors(badLines));
    const jumps = reports.filter((r) => r.jump).length;
    if (jumps > 0 && !confirmJumps) throw new ApiError('rejected', fr.bedImport.needsJumpConfirmation(jumps));
    if (reports.length === 0) throw new ApiError('rejected', fr.bedImport.nothingValid);
    // One local transaction: every valid line is queued, or none is.
    const result = s.store.mutateAll(
      reports.map((r) => ({ name: 'unit.report', args: reportArgs(r, r.jump && confirmJumps) })),
      s.actor,
    );
    if (!result.ok) throw new ApiError('rejected', fr.bedImport.lineRejected(reports[result.index].line, result.reason));
    changed(s);
    return { imported: reports.length, skipped: preview.lines - reports.length };
  });

  table.register('beds.export', ({ format, territory }) => {
    const s = ctx.session.requireActive();
    const t = ctx.territories();
    const scope = territory ?? s.actor.territory;
    const scopePath = t.path(scope);
    if (!scopePath) throw new ApiError('bad_args', fr.bedExport.unknownTerritory(scope));
    const now = Date.now();
    const listed = s.store.boards.beds.listUnits().filter((u) => {
      const p = t.path(`E:${u.finess}`);
      return p !== null && isWithin(p, scopePath);
    });
    // Beds held by accepted transfers are not available, in an export as on screen.
    const held = heldBeds(s.store.boards.transfers.listHolds(), now, listed);
    const units = listed.map(unitViews(t)).map((u) => (held.has(`${u.finess}:${u.unitId}`) ? withHolds(u, held) : u));
    if (format === 'csv') {
      const settings = s.store.boards.beds.bedSettings();
      return {
        fileName: exportFileName(scope, now, 'csv'),
        mimeType: 'text/csv;charset=utf-8',
        content: unitsToCsv(units, { now, staleAfterHours: settings.staleAfterHours, regionName: (code) => t.region(code)?.name ?? code }),
      };
    }
    return { fileName: exportFileName(scope, now, 'xml'), mimeType: 'application/xml', content: unitsToHave(units, new Date(now).toISOString()) };
  });

  table.register('beds.settings', () => ctx.session.requireActive().store.boards.beds.bedSettings());

  table.register('beds.setSettings', (settings) => {
    const s = ctx.session.requireActive();
    const saved = s.store.boards.beds.setBedSettings(settings);
    ctx.emit('data.changed', { entities: ['unit'] });
    return saved;
  });
}
