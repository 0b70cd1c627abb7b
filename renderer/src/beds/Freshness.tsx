import { ui } from '../../../common/i18n/ui.fr';
import { ageText, totalFreshness } from './aggregate';
import { useBeds } from './store';
import type { BedTotal } from '../../../common/domain/beds/totals';

/** The "périmé" mark: an icon and the word, never the colour alone. */
export function StaleBadge() {
  const hours = useBeds((s) => s.settings.staleAfterHours);
  return (
    <span className="stale-badge" data-testid="stale-badge" title={ui.beds.staleTitle(hours)}>
      <span className="stale-icon" aria-hidden="true">
        ⚠
      </span>
      {ui.beds.stale}
    </span>
  );
}

/** A figure's age ("il y a 3 h"), with the "périmé" mark past the delay. */
export function Age({ at, stale }: { at: string | null; stale: boolean }) {
  const now = useBeds((s) => s.now);
  return (
    <span className={`age${stale ? ' is-stale' : ''}`} data-testid="age">
      {ageText(at, now)}
      {stale && <StaleBadge />}
    </span>
  );
}

/** A total's freshness: its stale count and its oldest update. */
export function TotalFreshness({ total }: { total: BedTotal }) {
  const now = useBeds((s) => s.now);
  return (
    <span className={`total-freshness${total.staleUnits ? ' has-stale' : ''}`} data-testid="total-freshness" data-stale-units={total.staleUnits}>
      {total.staleUnits > 0 && (
        <span className="stale-icon" aria-hidden="true">
          ⚠{' '}
        </span>
      )}
      {totalFreshness(total, now)}
    </span>
  );
}
