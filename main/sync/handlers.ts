/** ConsoleApi calls of the sync: status, the mutations the server refused, dismissing one. */
import { fr } from '../../common/i18n/fr';
import type { ServiceContext } from '../context';
import { ApiError, type HandlerTable } from '../handlers';

export function registerSyncHandlers(table: HandlerTable, ctx: ServiceContext): void {
  table.register('sync.status', () => ctx.session.syncStatus());
  table.register('sync.rejected', () => ctx.session.requireActive().store.rejectedList());
  table.register('sync.dismiss', ({ mutationId }) => {
    const s = ctx.session.requireActive();
    if (!s.store.dismiss(mutationId)) throw new ApiError('bad_args', fr.api.nothingToDismiss);
    ctx.emit('data.changed', { entities: ['rejected'] });
    ctx.emit('sync.status', s.sync.status());
    return null;
  });
}
