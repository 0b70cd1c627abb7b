/** ConsoleApi calls of the referential: regions and départements with their French labels, establishments of a territory. */
import type { EstablishmentOption } from '../../common/app/api';
import { fr } from '../../common/i18n/fr';
import type { Establishment } from '../../common/territory';
import type { ServiceContext } from '../context';
import { ApiError, type HandlerTable } from '../handlers';

function option(e: Establishment): EstablishmentOption {
  return { finess: e.finess, name: e.name, city: e.city, dep: e.dep, lat: e.lat, lon: e.lon };
}

export function registerReferentialHandlers(table: HandlerTable, ctx: ServiceContext): void {
  table.register('referential.get', () => {
    const t = ctx.territories();
    return {
      regions: t.regionList().map((r) => ({ key: `R:${r.code}`, label: t.label(`R:${r.code}`) })),
      departements: t.departementList().map((d) => ({ key: `D:${d.code}`, label: t.label(`D:${d.code}`), region: d.region, neighbours: t.neighboursOf(d.code) })),
    };
  });

  table.register('referential.establishments', ({ territory }) => {
    const t = ctx.territories();
    const key = territory ?? 'FR';
    if (!t.info(key)) throw new ApiError('bad_args', fr.reject.territoryUnknown(key));
    return t.establishmentsIn(key).map(option);
  });
}
