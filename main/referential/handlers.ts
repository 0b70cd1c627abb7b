/** ConsoleApi calls of the referential: regions and départements with their French labels. */
import type { ServiceContext } from '../context';
import type { HandlerTable } from '../handlers';

export function registerReferentialHandlers(table: HandlerTable, ctx: ServiceContext): void {
  table.register('referential.get', () => {
    const t = ctx.territories();
    return {
      regions: t.regionList().map((r) => ({ key: `R:${r.code}`, label: t.label(`R:${r.code}`) })),
      departements: t.departementList().map((d) => ({ key: `D:${d.code}`, label: t.label(`D:${d.code}`), region: d.region })),
    };
  });
}
