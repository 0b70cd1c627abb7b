import { useEffect, useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import type { UpdateStatus } from '../../../common/app/api';
import { api } from '../api';
import './updateBanner.css';

/**
 * A discreet line under the header once an update of the desktop app is downloaded: the
 * offer « Redémarrer pour mettre à jour » while the outbox is empty, otherwise why it waits
 * (main/updates refuses the restart while mutations are unconfirmed, whatever is clicked).
 * Nothing shows while updates are off, idle, checking or downloading.
 */
export function UpdateBanner() {
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [hidden, setHidden] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const off = api.on('update.status', (s) => {
      setStatus(s);
      setRefusal(null);
    });
    void api.call('update.status', {}).then((reply) => {
      if (live && reply.ok) setStatus(reply.data);
    });
    return () => {
      live = false;
      off();
    };
  }, []);

  const restart = async () => {
    const reply = await api.call('update.restart', {});
    if (reply.ok) setStatus(reply.data);
    else setRefusal(reply.error.message);
  };

  return <UpdateBannerView status={status} refusal={refusal} hidden={hidden !== null && hidden === status?.version} onRestart={restart} onLater={() => setHidden(status?.version ?? null)} />;
}

export interface UpdateBannerViewProps {
  status: UpdateStatus | null;
  /** The main process's refusal of the last restart, in French. */
  refusal: string | null;
  /** « Plus tard » was chosen for this version (it comes back with the next start). */
  hidden: boolean;
  onRestart(): void;
  onLater(): void;
}

export function UpdateBannerView({ status, refusal, hidden, onRestart, onLater }: UpdateBannerViewProps) {
  const t = ui.update;
  if (!status || hidden || !status.version) return null;
  if (status.state !== 'ready' && status.state !== 'waiting' && status.state !== 'restarting') return null;
  return (
    <section className="update-banner" role="status" aria-label={t.label} data-testid="update-banner" data-state={status.state}>
      {status.state === 'ready' && (
        <>
          <span>{t.ready(status.version)}</span>
          <button type="button" className="update-restart" title={t.restartTitle} onClick={onRestart}>
            {t.restart}
          </button>
          <button type="button" className="update-later" onClick={onLater}>
            {t.dismiss}
          </button>
        </>
      )}
      {status.state === 'waiting' && <span>{t.waiting(status.version, status.pending)}</span>}
      {status.state === 'restarting' && <span>{t.restarting}</span>}
      {refusal && <span className="update-refusal">{refusal}</span>}
    </section>
  );
}
