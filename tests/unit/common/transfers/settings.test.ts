import { describe, expect, it } from 'vitest';
import { DEFAULT_TRANSFER_SETTINGS, TransferSettingsSchema, transferCalls } from '../../../../common/domain/transfers/api';

const messages = (v: unknown) => {
  const r = TransferSettingsSchema.safeParse(v);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('transfer settings', () => {
  it('default to a 4-hour hold and 30 minutes before a proposal is unanswered', () => {
    expect(DEFAULT_TRANSFER_SETTINGS).toEqual({ holdHours: 4, unansweredAfterMinutes: 30 });
    expect(messages(DEFAULT_TRANSFER_SETTINGS)).toEqual([]);
  });

  it('accept a hold of 1 to 24 whole hours and a delay of 5 to 240 whole minutes', () => {
    for (const v of [
      { holdHours: 1, unansweredAfterMinutes: 5 },
      { holdHours: 24, unansweredAfterMinutes: 240 },
    ])
      expect(messages(v)).toEqual([]);
  });

  it('refuse anything else with a French reason per field', () => {
    expect(messages({ holdHours: 0, unansweredAfterMinutes: 30 })).toEqual(['holdHours: réservation d’une heure au moins']);
    expect(messages({ holdHours: 25, unansweredAfterMinutes: 30 })).toEqual(['holdHours: réservation de 24 heures au plus']);
    expect(messages({ holdHours: 2.5, unansweredAfterMinutes: 30 })).toEqual(['holdHours: nombre entier d’heures attendu']);
    expect(messages({ holdHours: 4, unansweredAfterMinutes: 4 })).toEqual(['unansweredAfterMinutes: délai de 5 minutes au moins']);
    expect(messages({ holdHours: 4, unansweredAfterMinutes: 241 })).toEqual(['unansweredAfterMinutes: délai de 240 minutes (4 heures) au plus']);
    expect(messages({ holdHours: 'quatre', unansweredAfterMinutes: 30 })).toEqual(['holdHours: durée de réservation attendue, en heures']);
    expect(messages({ holdHours: 4 })).toEqual(['unansweredAfterMinutes: délai attendu, en minutes']);
    expect(messages({ holdHours: 4, unansweredAfterMinutes: 30, extra: 1 })).toHaveLength(1);
  });

  it('are what the ConsoleApi call validates', () => {
    expect(transferCalls['transfers.setSettings'].args).toBe(TransferSettingsSchema);
  });
});
