/**
 * The stocks board's import and export handlers (issue 9).
 *
 * Import: the whole file is read (`parseStockImport`), then every valid line is dry-run as
 * the `stock.report` it becomes, with the user's role, exactly as the commit will apply it
 * (a PUI imports for its own establishment, the national cell for any: the mutator decides);
 * lines it would refuse move to the errors. The commit queues every report in one local
 * transaction: all or none. With errors, nothing is imported unless the user keeps the
 * valid lines.
 *
 * Export: the board view (the same computation as `stocks.board`) as CSV or XLSX.
 */
import { randomUUID } from 'node:crypto';
import { parseStockImport, type StockImportResult } from '../../common/domain/stocks/importCsv';
import { importReports, stockImportLookups, type ImportedReport } from '../../common/domain/stocks/importApply';
import type { StockImportPreview } from '../../common/domain/stocks/ioApi';
import type { StocksBoardView } from '../../common/domain/stocks/api';
import { fr } from '../../common/i18n/fr';
import { bytesFromBase64 } from '../beds/import';
import type { ServiceContext } from '../context';
import { ApiError, type HandlerTable } from '../handlers';
import type { ActiveSession } from '../session/sessionManager';
import { pivotByRegion } from '../../renderer/src/stocks/rows';
import { gridTable, pivotTable, stockExportFileName, tableToCsv, tablesToXlsx } from './export';
import { loadMainProducts } from './products';

const parisDay = (ms: number): string => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(new Date(ms));

interface CheckedImport {
  preview: StockImportPreview;
  reports: ImportedReport[];
}

/**
 * Reads the file, builds its reports and (with `dryRun`) dry-runs them: refused reports' lines
 * become errors. Without it, only the file's own checks are made (a commit of a clean file
 * finds a refusal in its own transaction, at half the cost).
 */
function checkImport(s: ActiveSession, ctx: ServiceContext, fileName: string, contentBase64: string, comment: string, dryRun = true): CheckedImport {
  const bytes = bytesFromBase64(contentBase64);
  if (!bytes) throw new ApiError('bad_args', fr.stockIo.unreadable);
  const parsed: StockImportResult = parseStockImport(bytes, stockImportLookups(loadMainProducts(), ctx.territories()), { today: parisDay(Date.now()) });
  const errors = new Map<number, string[]>(parsed.errors.map((e) => [e.line, [...e.reasons]]));
  let reports = importReports(parsed.rows, randomUUID, comment || fr.stockIo.defaultComment(fileName));
  if (dryRun && reports.length > 0) {
    const reasons = s.store.dryRun(
      reports.map((r) => ({ name: 'stock.report', args: r.args })),
      s.actor,
    );
    reports = reports.filter((r, i) => {
      const reason = reasons[i];
      if (reason === null) return true;
      for (const line of r.lines) errors.set(line, [...(errors.get(line) ?? []), reason]);
      return false;
    });
  }
  const valid = reports.reduce((n, r) => n + r.lines.length, 0);
  return {
    reports,
    preview: {
      fileName,
      encoding: parsed.encoding,
      separator: parsed.separator,
      dataLines: parsed.dataLines,
      valid,
      reports: reports.length,
      establishments: new Set(reports.map((r) => r.args.finess)).size,
      fileErrors: parsed.fileErrors,
      errors: [...errors].sort((a, b) => a[0] - b[0]).map(([line, reasons]) => ({ line, reasons })),
      warnings: parsed.warnings,
    },
  };
}

function boardView(table: HandlerTable): Promise<StocksBoardView> {
  return table.dispatch('stocks.board', {}).then((reply) => {
    if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message);
    return reply.data as StocksBoardView;
  });
}

export function registerStockIoHandlers(table: HandlerTable, ctx: ServiceContext): void {
  table.register('stocks.importPreview', ({ fileName, contentBase64 }) => {
    const s = ctx.session.requireActive();
    return checkImport(s, ctx, fileName, contentBase64, '').preview;
  });

  table.register('stocks.importCommit', ({ fileName, contentBase64, validOnly, comment }) => {
    const s = ctx.session.requireActive();
    const queue = (checked: CheckedImport) => {
      const { preview, reports } = checked;
      if (preview.fileErrors.length > 0) throw new ApiError('rejected', preview.fileErrors.join(' '));
      if (preview.errors.length > 0 && !validOnly) throw new ApiError('rejected', fr.stockImport.hasErrors(preview.errors.length));
      if (reports.length === 0) throw new ApiError('rejected', fr.stockIo.nothingValid);
      // One local transaction: every report is queued, or none is.
      return s.store.mutateAll(
        reports.map((r) => ({ name: 'stock.report', args: r.args })),
        s.actor,
      );
    };
    // A clean file is checked once: the mutator's refusals surface in the commit's own
    // transaction. A file with errors is checked as the preview did (its count, its valid lines).
    let checked = checkImport(s, ctx, fileName, contentBase64, comment, false);
    let dryRan = false;
    if (checked.preview.errors.length > 0) {
      checked = checkImport(s, ctx, fileName, contentBase64, comment, true);
      dryRan = true;
    }
    let result = queue(checked);
    if (!result.ok && validOnly && !dryRan) {
      // Some report is refused and the user keeps the valid lines: find them as the preview did.
      checked = checkImport(s, ctx, fileName, contentBase64, comment, true);
      result = queue(checked);
    }
    if (!result.ok) throw new ApiError('rejected', fr.stockImport.lineRejected(checked.reports[result.index].lines[0], result.reason));
    const { preview } = checked;
    ctx.emit('data.changed', { entities: ['stockLine'] });
    ctx.emit('sync.status', s.sync.status());
    s.sync.requestPush();
    return { imported: preview.valid, skipped: preview.dataLines - preview.valid, reports: checked.reports.length };
  });

  table.register('stocks.export', async ({ view, format }) => {
    const board = await boardView(table);
    const t = view === 'grid' ? gridTable(board) : pivotTable(board.molecules, pivotByRegion(board.rows, board.thresholds));
    const name = stockExportFileName(view, Date.now(), format);
    if (format === 'csv') return { fileName: name, mimeType: 'text/csv;charset=utf-8', contentBase64: Buffer.from(tableToCsv(t), 'utf8').toString('base64') };
    return { fileName: name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', contentBase64: (await tablesToXlsx([t])).toString('base64') };
  });
}
