/** ConsoleApi calls of the session: who is signed in, login (password, then the second factor), logout here or everywhere, erasing the local data. */
import { ENTITY_NAMES } from '../../common/boards';
import type { ServiceContext } from '../context';
import type { HandlerTable } from '../handlers';

export function registerSessionHandlers(table: HandlerTable, ctx: ServiceContext): void {
  table.register('session.current', () => ctx.session.current());
  const signedIn = () => {
    ctx.emit('sync.status', ctx.session.syncStatus());
    ctx.emit('data.changed', { entities: ['rejected', ...ENTITY_NAMES] });
  };
  table.register('session.login', async ({ username, password }) => {
    const outcome = await ctx.session.login(username, password);
    if ('user' in outcome) signedIn();
    return outcome;
  });
  table.register('session.secondFactor', async ({ code }) => {
    const state = await ctx.session.secondFactor(code);
    signedIn();
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
  table.register('session.logoutEverywhere', async () => {
    await ctx.session.logoutEverywhere();
    return null;
  });
}
