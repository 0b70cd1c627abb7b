/**
 * ConsoleApi calls of the « Administration » panel: the accounts the signed-in user
 * administers and the audit trail, both asked of the sync server over the session's socket
 * (`adminWire`). The server decides who may do what; main only relays, checks the shape of
 * the answers, and builds the audit export (CSV or XLSX with the stocks board's writers),
 * which it then reports to the server so that the export is itself audited.
 */
import { adminWire, AUDIT_EXPORT_MAX, AUDIT_PAGE_MAX, type AdminEvents, type AdminUser, type AuditPage, type AuditQuery, type AuditRow } from '../../common/admin/api';
import { fr } from '../../common/i18n/fr';
import type { ServiceContext } from '../context';
import { ApiError, type HandlerTable } from '../handlers';
import { AskRefused } from '../sync/syncClient';
import { parisTime } from '../beds/export';
import { tablesToXlsx, tableToCsv, type ExportTable } from '../stocks/export';

type AdminEvent = keyof AdminEvents;

/** Asks the server; offline is `unreachable`, a refusal `rejected` with the server's French message. */
async function ask<E extends AdminEvent>(ctx: ServiceContext, event: E, req: Parameters<AdminEvents[E]>[0]): Promise<unknown> {
  const s = ctx.session.requireActive();
  let data: unknown;
  try {
    data = await s.sync.ask(event, req);
  } catch (err) {
    if (err instanceof AskRefused) throw new ApiError('rejected', err.message);
    throw err;
  }
  if (data === null) throw new ApiError('unreachable', fr.admin.unreachable);
  return data;
}

function isUser(u: unknown): u is AdminUser {
  const x = u as Partial<AdminUser> | null;
  return !!x && typeof x.id === 'string' && typeof x.username === 'string' && typeof x.role === 'string' && typeof x.disabled === 'boolean';
}

function asUser(data: unknown): AdminUser {
  if (!isUser(data)) throw new ApiError('internal', fr.admin.badAnswer);
  return data;
}

function asPage(data: unknown): AuditPage {
  const p = data as Partial<AuditPage> | null;
  if (!p || !Array.isArray(p.rows) || typeof p.total !== 'number') throw new ApiError('internal', fr.admin.badAnswer);
  return p as AuditPage;
}

/** The export's table: one row per entry, newest first, times in Paris time. */
export function auditTable(rows: readonly AuditRow[]): ExportTable {
  const a = fr.admin;
  return {
    sheet: a.sheet,
    header: [...a.columns],
    rows: rows.map((r) => [r.seq, parisTime(r.at), a.kinds[r.kind] ?? r.kind, r.actorName, r.actorRole, r.actorId, r.subject, r.detail, r.prevHash, r.hash]),
  };
}

/** `journal-audit-2026-11-30-0415.csv` (Paris time). */
function exportFileName(now: Date, ext: 'csv' | 'xlsx'): string {
  const stamp = parisTime(now.toISOString()).replace(/[ :]/g, '-').replace(/-(\d\d)-(\d\d)$/, '-$1$2');
  return `journal-audit-${stamp}.${ext}`;
}

export function registerAdminHandlers(table: HandlerTable, ctx: ServiceContext): void {
  table.register('admin.users', async () => {
    const data = await ask(ctx, adminWire.users, {});
    if (!Array.isArray(data) || !data.every(isUser)) throw new ApiError('internal', fr.admin.badAnswer);
    return data;
  });
  table.register('admin.create', async (args) => asUser(await ask(ctx, adminWire.create, args)));
  table.register('admin.rename', async (args) => asUser(await ask(ctx, adminWire.rename, args)));
  table.register('admin.setDisabled', async (args) => asUser(await ask(ctx, adminWire.setDisabled, args)));
  table.register('audit.page', async (args) => asPage(await ask(ctx, adminWire.auditPage, args)));

  table.register('audit.export', async ({ format, ...filters }) => {
    const rows: AuditRow[] = [];
    for (let offset = 0; rows.length < AUDIT_EXPORT_MAX; offset += AUDIT_PAGE_MAX) {
      const q: AuditQuery = { ...filters, offset, limit: AUDIT_PAGE_MAX };
      const page = asPage(await ask(ctx, adminWire.auditPage, q));
      rows.push(...page.rows);
      if (page.rows.length < AUDIT_PAGE_MAX || offset + AUDIT_PAGE_MAX >= page.total) break;
    }
    const t = auditTable(rows.slice(0, AUDIT_EXPORT_MAX));
    const now = new Date();
    const contentBase64 =
      format === 'csv' ? Buffer.from(tableToCsv(t), 'utf8').toString('base64') : (await tablesToXlsx([t])).toString('base64');
    await ask(ctx, adminWire.exported, { what: 'audit.export', format, rows: t.rows.length });
    return {
      fileName: exportFileName(now, format),
      mimeType: format === 'csv' ? 'text/csv;charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      contentBase64,
      rows: t.rows.length,
    };
  });
}
