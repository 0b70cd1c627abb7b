/**
 * This workstation's transfer delays (issue 8): how long an accepted bed is held by default,
 * and after how long a proposal is flagged and told to the requesting SAMU. Checked with the
 * same schema as main, each field with its own French reason; nothing is saved while one is wrong.
 */
import { useState } from 'react';
import { TransferSettingsSchema } from '../../../common/domain/transfers/api';
import { ui } from '../../../common/i18n/ui.fr';
import { Modal } from '../beds/Dialogs';
import { LockedNote, useLocked } from '../policy/Locked';
import { useTransfers } from './store';

type Field = 'holdHours' | 'unansweredAfterMinutes';

/** A typed number, or NaN for an empty or non-numeric field (« 4,5 » reads as 4.5). */
const numberOf = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.trim().replace(',', '.')));

export function TransferSettingsDialog({ onClose }: { onClose: () => void }) {
  const settings = useTransfers((s) => s.settings);
  const save = useTransfers((s) => s.saveSettings);
  const [hold, setHold] = useState(String(settings.holdHours));
  const [minutes, setMinutes] = useState(String(settings.unansweredAfterMinutes));
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const s = ui.transfers.settings;
  // A field the administrator policy locks is shown, disabled, at the policy's value.
  const locked: Record<Field, boolean> = { holdHours: useLocked('transfers', 'holdHours'), unansweredAfterMinutes: useLocked('transfers', 'unansweredAfterMinutes') };

  async function submit() {
    const parsed = TransferSettingsSchema.safeParse({ holdHours: numberOf(hold), unansweredAfterMinutes: numberOf(minutes) });
    if (!parsed.success) {
      const next: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as Field;
        next[field] ??= issue.message.charAt(0).toUpperCase() + issue.message.slice(1) + '.';
      }
      setErrors(next);
      return;
    }
    setErrors({});
    const err = await save(parsed.data);
    if (err) setError(err);
    else onClose();
  }

  const field = (id: Field, label: string, hint: string, value: string, set: (v: string) => void) => (
    <label className="field">
      <span>{label}</span>
      <input
        value={value}
        onChange={(e) => set(e.target.value)}
        inputMode="numeric"
        aria-invalid={errors[id] ? true : undefined}
        aria-describedby={`transfer-settings-${id}-hint`}
        data-testid={`transfer-settings-${id}`}
        disabled={locked[id]}
      />
      <LockedNote section="transfers" field={id} />
      <span id={`transfer-settings-${id}-hint`} className="muted small">
        {hint}
      </span>
      {errors[id] && (
        <span className="form-error" role="alert" data-testid={`transfer-settings-${id}-error`}>
          {errors[id]}
        </span>
      )}
    </label>
  );

  return (
    <Modal title={s.title} onClose={onClose} testId="transfer-settings">
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {field('unansweredAfterMinutes', s.unanswered, s.unansweredHint, minutes, setMinutes)}
        {field('holdHours', s.holdHours, s.holdHoursHint, hold, setHold)}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>
            {s.cancel}
          </button>
          <button type="submit" className="btn btn-primary" data-testid="transfer-settings-save">
            {s.save}
          </button>
        </div>
      </form>
    </Modal>
  );
}
