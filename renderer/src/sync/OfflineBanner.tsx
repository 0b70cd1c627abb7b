import { useEffect, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { offlineDuration, useSync } from '../stores/sync';

/**
 * While offline, a line under the header says so, for how long and how much waits to leave
 * (« Hors ligne depuis 12 min · 2 en attente »): offline work must be seen, not guessed from a
 * dot in the status bar.
 */
export function OfflineBanner() {
  const since = useSync((s) => s.offlineSince);
  const pending = useSync((s) => s.status?.pending ?? 0);
  const detail = useSync((s) => s.status?.detail ?? null);
  const [now, setNow] = useState(() => new Date());

  useEffect(() => {
    if (!since) return;
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, [since]);

  if (!since) return null;
  return (
    <section className="offline-banner" role="status" aria-label={ui.sync.offlineLabel} data-testid="offline-banner">
      <strong>{ui.sync.offlineFor(offlineDuration(since, now), pending)}</strong>
      <span className="offline-detail">{detail ?? ui.sync.offlineHint}</span>
    </section>
  );
}
