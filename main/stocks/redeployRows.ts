/** Reads of regional redeployments over the cache, pending state on top of the server's. */
import type { Redeployment } from '../../common/domain/stocks/redeployment';
import type { LocalStore } from '../store/localStore';
import { visibleData } from '../store/visibleRows';

/** Every move this cache holds, pending state on top; `finess` narrows to the moves giving from or bringing to it. */
export function visibleRedeployments(engine: LocalStore, finess?: string): Array<{ row: Redeployment; pending: boolean }> {
  return finess === undefined
    ? visibleData<Redeployment>(engine, 'redeployments', '1 = 1', [])
    : visibleData<Redeployment>(engine, 'redeployments', 'from_finess = ? OR to_finess = ?', [finess, finess]);
}
