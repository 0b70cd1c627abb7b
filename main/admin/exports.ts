/**
 * Exports made on this workstation, reported to the sync server so that the audit trail
 * records them (`audit:exported`): the boards' exports are built here, from the local cache,
 * and the server would otherwise never know of them. The audit trail's own export reports
 * itself (`handlers.ts`). A report is best effort: offline, the export is not recorded
 * (docs/security.md, « Journal d'audit »).
 */
import { adminWire } from '../../common/admin/api';
import type { CallName } from '../../common/api';
import type { ServiceContext } from '../context';

/** The calls that produce a file of the cache's data, and how to read their format from the arguments. */
const BOARD_EXPORTS: Partial<Record<CallName, (args: Record<string, unknown>) => string>> = {
  'beds.export': (a) => String(a.format ?? ''),
  'stocks.export': (a) => String(a.format ?? ''),
};

/** A `HandlerTable` `afterCall` that reports the boards' exports. */
export function exportReporter(ctx: ServiceContext, log: (line: string) => void): (name: CallName, args: unknown) => void {
  return (name, args) => {
    const formatOf = BOARD_EXPORTS[name];
    if (!formatOf) return;
    const a = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>;
    const what = typeof a.view === 'string' ? `${name}:${a.view}` : name;
    let s;
    try {
      s = ctx.session.requireActive();
    } catch {
      return;
    }
    s.sync.ask(adminWire.exported, { what, format: formatOf(a).slice(0, 10) || 'inconnu' }).catch((err: unknown) => log(`export report failed: ${err instanceof Error ? err.message : String(err)}`));
  };
}
