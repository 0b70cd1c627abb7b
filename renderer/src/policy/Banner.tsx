/**
 * The policy's banner, always on screen: « EXERCICE » (amber) or « CRISE RÉELLE » (red)
 * with the text the IT department chose, so no one mistakes a drill for the real thing.
 */
import './policy.css';
import { ui } from '../../../common/i18n/ui.fr';
import { usePolicy } from './store';

export function PolicyBanner() {
  const banner = usePolicy((s) => s.view.banner);
  if (!banner) return null;
  return (
    <div className={`policy-banner policy-banner-${banner.kind}`} role="status" aria-label={ui.policy.bannerLabel} data-testid="policy-banner" data-kind={banner.kind}>
      <strong>{ui.policy.bannerKind[banner.kind]}</strong>
      <span>{banner.text}</span>
    </div>
  );
}
