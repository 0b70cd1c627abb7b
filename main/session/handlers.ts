/** ConsoleApi calls of the session: who is signed in, login, logout, erasing the local data. */
import { ENTITY_NAMES } from '../../common/boards';
import type { ServiceContext } from '../context';
import type { HandlerTable } from '../handlers';

export function registerSessionHandlers(table: HandlerTable, ctx: ServiceContext): void {
  table.register('session.current', () => ctx.session.current());
  table.register('session.login', async ({ username, password }) => {
    const state = await ctx.session.login(username, password);
    ctx.emit('sync.status', ctx.session.syncStatus());
    ctx.emit('data.changed', { entities: ['rejected', ...ENTITY_NAMES] });
    return state;
  });
  table.register('session.logout', async () => {
    await ctx.session.logout();
    return null;
  });
  table.register('session.localData', () => ctx.session.localData());
  table.register('session.eraseLocalData', async ({ pendingSeen }) => {
    await ctx.session.eraseLocalData(pendingSeen);
    return null;
  });
}
