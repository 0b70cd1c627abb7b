import { describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH_WIDE_SCOPE, passwordProblem } from './passwordPolicy';

const short = (min: number) => fr.server.passwordTooShort(min, MIN_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH_WIDE_SCOPE);

describe('password policy', () => {
  it('asks 12 characters of every account and 16 of national and ARS accounts', () => {
    expect(passwordProblem('onze-caract', 'jdupont', 'samu:75')).toBe(short(12));
    expect(passwordProblem('girafe bleue lundi', 'jdupont', 'samu:75')).toBeNull();
    expect(passwordProblem('girafe bleue', 'jdupont', 'field:75-PMA-GARE-DE-LYON')).toBeNull();
    expect(passwordProblem('girafe bleue', 'jdupont', 'national')).toBe(short(16));
    expect(passwordProblem('girafe bleue', 'jdupont', 'ars:11')).toBe(short(16));
    expect(passwordProblem('girafe bleue du lundi', 'jdupont', 'ars:11')).toBeNull();
  });

  it('counts characters, not UTF-16 units, and refuses what the login request could not carry', () => {
    expect(passwordProblem('été à l’hôpital', 'jdupont', 'samu:75')).toBeNull();
    expect(passwordProblem('x'.repeat(MAX_PASSWORD_LENGTH + 1), 'jdupont', 'samu:75')).toBe(fr.server.passwordTooLong(MAX_PASSWORD_LENGTH));
  });

  it('refuses the public demonstration password, even inside a longer one', () => {
    expect(passwordProblem('demo-vigie-2024!', 'jdupont', 'samu:75')).toBe(fr.server.passwordIsDemo);
    expect(passwordProblem('MaDEMO-VIGIE-perso', 'jdupont', 'samu:75')).toBe(fr.server.passwordIsDemo);
  });

  it('refuses a password that contains the username, whatever its case or accents', () => {
    expect(passwordProblem('jdupont-2024-ok!', 'jdupont', 'samu:75')).toBe(fr.server.passwordHasUsername);
    expect(passwordProblem('mon JDupont préféré', 'jdupont', 'samu:75')).toBe(fr.server.passwordHasUsername);
    expect(passwordProblem('élodie est là ce soir', 'elodie', 'samu:75')).toBe(fr.server.passwordHasUsername);
  });

  it('refuses usual words dressed with digits, keyboard and digit runs, repetitions, dates and numbers', () => {
    for (const predictable of [
      'motdepasse2024!',
      'MotDePasse123456',
      'Password2024!!',
      'azertyuiopqsdf',
      'azerty123456789',
      '123456789012',
      '0987654321098',
      'abcdefghijklm',
      'aaaaaaaaaaaaaa',
      'abcabcabcabc',
      '121212121212',
      '01/02/1980 06 12',
      'Soleil!Soleil!',
    ])
      expect(passwordProblem(predictable, 'jdupont', 'samu:75'), predictable).toBe(fr.server.passwordPredictable);
  });

  it('accepts passphrases and random passwords without asking for digits or symbols', () => {
    for (const good of ['cheval correct pile agrafe', 'lentement vers le phare', 'Xq9#vT2!mLp4wZ', 'quatorze lapins'])
      expect(passwordProblem(good, 'jdupont', 'samu:75'), good).toBeNull();
  });
});
