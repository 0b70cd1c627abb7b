/**
 * A settings field the policy may lock: the control is disabled and says who locked it.
 * The value shown is the one in force (main writes the policy's value over the user's).
 */
import type { ReactNode } from 'react';
import { ui } from '../../../common/i18n/ui.fr';
import { isLocked, usePolicy } from './store';

type Section = 'beds' | 'stocks' | 'transfers';

/** True when the field is locked; the dialogs disable their input with it. */
export function useLocked(section: Section, field: string): boolean {
  return usePolicy((s) => isLocked(s.view, section, field));
}

/** The line under a locked control (nothing when the field is the user's). */
export function LockedNote({ section, field, id }: { section: Section; field: string; id?: string }): ReactNode {
  const locked = useLocked(section, field);
  const organisation = usePolicy((s) => s.view.organisation);
  if (!locked) return null;
  return (
    <p className="locked-note small" id={id} data-testid={`locked-${section}-${field}`}>
      {ui.policy.locked(organisation ?? '')}
    </p>
  );
}
