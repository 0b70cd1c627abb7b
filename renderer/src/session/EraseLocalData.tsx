/**
 * « Se déconnecter et effacer les données locales »: asks main how many mutations are still
 * pending, says plainly what would be lost, and erases only once confirmed with that count
 * (main refuses if more are pending by then, and the dialog shows the new count).
 */
import { useState } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { api } from '../api';
import { forgetUserData } from '../app/wiring';
import { Modal } from '../beds/Dialogs';
import { useSession } from '../stores/session';

type Step = { kind: 'closed' } | { kind: 'checking' } | { kind: 'confirm'; pending: number; error: string | null } | { kind: 'erasing'; pending: number };

export function EraseLocalData() {
  const [step, setStep] = useState<Step>({ kind: 'closed' });
  const t = ui.eraseLocal;

  const open = async () => {
    setStep({ kind: 'checking' });
    const reply = await api.call('session.localData', {});
    setStep(reply.ok ? { kind: 'confirm', pending: reply.data.pending, error: null } : { kind: 'confirm', pending: 0, error: t.failed(reply.error.message) });
  };

  const erase = async (pending: number) => {
    setStep({ kind: 'erasing', pending });
    const reply = await api.call('session.eraseLocalData', { pendingSeen: pending });
    if (reply.ok) {
      setStep({ kind: 'closed' });
      useSession.getState().signedOut(t.done);
      forgetUserData();
      return;
    }
    // More were written meanwhile: show the new count and ask again.
    const again = await api.call('session.localData', {});
    setStep({ kind: 'confirm', pending: again.ok ? again.data.pending : pending, error: t.failed(reply.error.message) });
  };

  return (
    <>
      <h3>{t.title}</h3>
      <p>{t.hint}</p>
      <div className="modal-actions">
        <button type="button" className="btn btn-danger" data-testid="erase-local-open" disabled={step.kind !== 'closed'} onClick={() => void open()}>
          {t.button}
        </button>
      </div>
      {step.kind !== 'closed' && (
        <Modal title={t.confirmTitle} onClose={() => setStep({ kind: 'closed' })} testId="erase-local-dialog">
          {step.kind === 'checking' ? (
            <p className="muted">{t.checking}</p>
          ) : (
            <>
              {step.kind === 'confirm' && step.error && (
                <p className="form-error" role="alert" data-testid="erase-local-error">
                  {step.error}
                </p>
              )}
              <p role={step.pending > 0 ? 'alert' : undefined} data-testid="erase-local-warning">
                {step.pending > 0 ? t.pending(step.pending) : t.nonePending}
              </p>
              <div className="modal-actions">
                <button type="button" className="btn" data-testid="erase-local-cancel" onClick={() => setStep({ kind: 'closed' })}>
                  {t.cancel}
                </button>
                <button
                  type="button"
                  className="btn btn-danger"
                  data-testid="erase-local-confirm"
                  disabled={step.kind === 'erasing'}
                  onClick={() => void erase(step.pending)}
                >
                  {step.pending > 0 ? t.confirmPending(step.pending) : t.confirm}
                </button>
              </div>
            </>
          )}
        </Modal>
      )}
    </>
  );
}
