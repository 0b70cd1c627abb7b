import { describe, expect, it } from 'vitest';
import { FINESS_NAME_MAX, fold, shortEstablishmentName, shortNamesFor } from '../../../common/establishmentNames';
import { testTerritories } from '../../support/referential';

describe('establishment short names', () => {
  it.each([
    // Sites of a multi-site institution: the site first, the network or institution after.
    ['GRP HOSP UNIVERSITAIRE PARIS OUEST SITE G POMPIDOU APHP', 'G. Pompidou (AP-HP)'],
    ['GRP HU PARIS NORD VAL DE SEINE SITE BICHAT APHP', 'Bichat (AP-HP)'],
    ['GRP HOSP UNIVERSITAIRE EST PARISIEN SITE SAINT ANTOINE APHP', 'Saint-Antoine (AP-HP)'],
    ['HOPITAL UNIVERSITAIRE SAINT LOUIS SITE LARIBOISERE APHP', 'Lariboisière (AP-HP)'],
    ['CENTRE HOSPITALIER DE MEAUX SITE SAINT FARON', 'Saint-Faron (CH de Meaux)'],
    ['CHRU BREST SITE HOPITAL LA CAVALE BLANCHE', 'Hôpital La Cavale Blanche (CHRU Brest)'],
    ['CHU DE NICE HOPITAL PASTEUR', 'Hôpital Pasteur (CHU de Nice)'],
    ['CHRU NANCY - HOPITAL CENTRAL', 'Hôpital Central (CHRU Nancy)'],
    ['HOPITAL DE RANGUEIL CHU TOULOUSE', 'Hôpital de Rangueil (CHU Toulouse)'],
    ['HOPITAL EDOUARD HERRIOT - HOSPICES CIVILS DE LYON', 'Édouard Herriot (HCL)'],
    ['APHM HOPITAL NORD', 'Hôpital Nord (AP-HM)'],
    ['CHI SITE D\'AIX EN PROVENCE', 'Aix-en-Provence (CHI)'],
    // Kinds become their abbreviations; accents and hyphens come back from the word lists.
    ['HOSPITAL UNIVERSITAIRE PITIE SALPETRIERE', 'Hôpital Pitié-Salpêtrière'],
    ['CENTRE HOSPITALIER INTERCOMMUNAL DE CORNOUAILLE QUIMPER', 'CHI de Cornouaille Quimper'],
    ["CENTRE HOSPITALIER  UNIVERSITAIRE D'ANGERS", "CHU d'Angers"],
    ['CENTRE HOSPITALIER REGIONAL  AVENUE CLEMENCEAU CAEN', 'CHR Avenue Clémenceau Caen'],
    ['C.H. DES PAYS DE MORLAIX', 'CH des Pays de Morlaix'],
    ['CH LA FÈRE', 'CH La Fère'],
    ['CENTRE DE LUTTE CONTRE LE CANCER INSTITUT CURIE', 'CLCC Institut Curie'],
    ['GROUPE HOSPITALIER PARIS SAINT JOSEPH', 'GH Paris Saint-Joseph'],
    ['HOPITAL PRIVE DE PARLY II', 'Hôpital privé de Parly II'],
    ['CLINIQUE MEDICO CHIRURGICALE SAINT FARON', 'Clinique médico-chirurgicale Saint-Faron'],
    ['POLYCLINIQUE DU PARC RAMBOT PROVENCALE', 'Polyclinique du Parc Rambot Provençale'],
    // Initials dotted (never « à »), elisions FINESS lost, company forms dropped.
    ['HOPITAL PRIVE A. TZANCK MOUGINS SOPHIA ANTIPOLIS', 'Hôpital privé A. Tzanck Mougins Sophia Antipolis'],
    ['CLINIQUE DE L ALMA', "Clinique de l'Alma"],
    ['SA CLINIQUE DU LOUVRE', 'Clinique du Louvre'],
    ['HOSPITALISATION A DOMICILE APHP PARIS', 'Hospitalisation à Domicile Paris (AP-HP)'],
  ])('%s → %s', (finess, short) => {
    expect(shortEstablishmentName(finess)).toBe(short);
  });

  it('drops the word the 60-character limit cut, keeps a whole last word and a closing parenthesis', () => {
    const cut = 'CENTRE HOSPITALIER REGIONAL UNIVERSITAIRE RENNES PONTCHAILLO';
    expect(cut).toHaveLength(FINESS_NAME_MAX);
    expect(shortEstablishmentName(cut)).toBe('CHRU Rennes');
    expect(shortEstablishmentName('CENTRE HOSPITALIER DE BIGORRE - ANTENNE CH BAGNERES DE BIGOR')).toBe('CH de Bigorre - Antenne CH Bagneres');
    expect(shortEstablishmentName('GROUPE HOSPITALIER UNIVERSITAIRE NECKER ENFANTS MALADES APHP')).toBe('Necker Enfants-Malades (AP-HP)');
    expect(shortEstablishmentName('CTRE HOPITALIER DE MELUN SITE SANTEPOLE (EX:CH MARC JACQUET)')).toBe('Santepole (CH de Melun)');
    // Shorter names are whole: nothing is dropped.
    expect(shortEstablishmentName('CHU DE NICE HOPITAL SAINT ROCH')).toBe('Hôpital Saint-Roch (CHU de Nice)');
  });

  it('tells apart establishments of one département whose short names meet, and names a bare kind by its city', () => {
    const short = shortNamesFor([
      { finess: '290030436', dep: '29', name: 'HOPITAL DE JOUR', city: 'BREST' },
      { finess: '290024090', dep: '29', name: 'HOPITAL DE JOUR', city: 'MORLAIX' },
      { finess: '290000001', dep: '29', name: 'HÔPITAL DE  JOUR', city: 'MORLAIX' },
      { finess: '560000001', dep: '56', name: 'HOPITAL DE JOUR', city: 'VANNES' },
      { finess: '280000134', dep: '28', name: 'CENTRE HOSPITALIER', city: 'NOGENT LE ROTROU' },
      { finess: '750000001', dep: '75', name: 'CLINIQUE SAINT LOUIS', city: 'PARIS' },
      { finess: '750000002', dep: '75', name: 'CLINIQUE ST LOUIS', city: 'PARIS' },
    ]);
    // Same FINESS name (spaces and accents aside): same short name, even in two cities.
    expect(short.get('290030436')).toBe('Hôpital de jour');
    expect(short.get('290024090')).toBe('Hôpital de jour');
    expect(short.get('290000001')).toBe('Hôpital de jour');
    expect(short.get('560000001')).toBe('Hôpital de jour');
    expect(short.get('280000134')).toBe('CH — Nogent le Rotrou');
    // Two FINESS names, one short name, one city: the FINESS number tells them apart.
    expect(short.get('750000001')).toBe('Clinique Saint-Louis — Paris — 750000001');
    expect(short.get('750000002')).toBe('Clinique Saint-Louis — Paris — 750000002');
  });

  it('on the whole referential: every name readable, none shared in a département unless the FINESS names are the same', () => {
    const t = testTerritories();
    const all = t.establishmentsIn();
    expect(all.length).toBeGreaterThan(2_000);
    const byDepAndShort = new Map<string, Set<string>>();
    let changed = 0;
    for (const e of all) {
      expect(e.shortName, e.finess).not.toBe('');
      // No name stays in capitals (acronyms and abbreviations aside).
      expect(e.shortName.split(/[\s'’()-]+/).filter((w) => w.length > 6 && w === w.toUpperCase() && /[A-Z]/.test(w)), e.name).toEqual([]);
      if (e.shortName !== e.name) changed++;
      const key = `${e.dep}|${e.shortName}`;
      const names = byDepAndShort.get(key) ?? new Set<string>();
      names.add(fold(e.name.replace(/\s+/g, ' ').trim()));
      byDepAndShort.set(key, names);
    }
    expect(changed).toBe(all.length);
    expect([...byDepAndShort].filter(([, names]) => names.size > 1)).toEqual([]);
    // Computed once at load, the FINESS name kept beside it.
    expect(t.establishment('750100232')).toMatchObject({ name: 'GRP HU PARIS NORD VAL DE SEINE SITE BICHAT APHP', shortName: 'Bichat (AP-HP)' });
    expect(t.establishment('750100125')?.shortName).toBe('Hôpital Pitié-Salpêtrière');
  });
});
