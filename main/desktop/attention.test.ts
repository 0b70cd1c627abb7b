/** The tray's words for what awaits action (the counts themselves: tests/integration/attention.test.ts). */
import { describe, expect, it } from 'vitest';
import { attentionText, NO_ATTENTION } from './attention';

describe('the tray tooltip', () => {
  it('says nothing awaits when nothing does', () => {
    expect(attentionText(NO_ATTENTION)).toBe('Vigie — rien en attente');
  });
  it('gives the total, then each kind that is not zero, in French plurals', () => {
    expect(attentionText({ urgent: 2, proposals: 0, expired: 1, total: 3 })).toBe(
      'Vigie — 3 éléments en attente d’action\n2 messages urgents non acquittés\n1 réservation expirée',
    );
    expect(attentionText({ urgent: 0, proposals: 1, expired: 0, total: 1 })).toBe('Vigie — 1 élément en attente d’action\n1 proposition de transfert reçue');
  });
});
