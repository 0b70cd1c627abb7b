/**
 * Short names of establishments, as a regulator reads them, from the FINESS names of the
 * referential ("GRP HU PARIS NORD VAL DE SEINE SITE BICHAT APHP" → « Bichat (AP-HP) »).
 * Pure; runs anywhere. The full FINESS name stays the reference (tooltips, exports, EDXL).
 *
 * The rules, in order:
 * 1. A name at the FINESS length limit (60 characters) was cut: its last word is dropped
 *    unless it is a word we know whole (an abbreviation, a word of the lists below, a
 *    closing parenthesis or quote), then any small word left dangling at the end.
 * 2. Kinds of establishment become their abbreviation: centre hospitalier → CH,
 *    … universitaire → CHU, … régional → CHR, … régional universitaire → CHRU,
 *    … intercommunal → CHI, … spécialisé → CHS, groupe hospitalier → GH, groupe
 *    hospitalier universitaire → GHU (with the FINESS spellings: CTRE HOSPI, GRP HOSP…).
 * 3. A network tag (APHP, APHM, Hospices civils de Lyon) becomes « (AP-HP) », « (AP-HM) »,
 *    « (HCL) » after the name, and the kind before a proper name is dropped (the tag says
 *    it is a hospital): "HOPITAL COCHIN TARNIER APHP" → « Cochin Tarnier (AP-HP) ».
 * 4. A site of a multi-site institution is named by the site, its institution in
 *    parentheses: "CENTRE HOSPITALIER DE MEAUX SITE SAINT FARON" → « Saint-Faron (CH de
 *    Meaux) », "CHU DE NICE HOPITAL PASTEUR" → « Hôpital Pasteur (CHU de Nice) ».
 * 5. Words in French title case, with their accents where the word list below knows them;
 *    small words (de, du, des, la, le, les, et, sur, en, au, aux, à, pour) in lower case
 *    except first; saints hyphenated (Saint-Antoine); initials dotted (G. Pompidou); "D"
 *    and "L" before a vowel elided (l'Alma); acronyms kept in capitals.
 *
 * Names identical after these rules inside one département are told apart by
 * `shortNamesFor` (city, then FINESS number).
 */

/** `fold`'s memory (declared first: the word lists below are built with `fold`). */
const folded = new Map<string, string>();

/** Length of the FINESS name field: a name this long was probably cut by the register. */
export const FINESS_NAME_MAX = 60;

/** Establishment types, first tokens (folded, upper case) → abbreviation. Longest first. */
const KIND_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['CENTRE HOSPITALIER REGIONAL UNIVERSITAIRE', 'CHRU'],
  ['CENTRE HOSPITALIER UNIVERSITAIRE', 'CHU'],
  ['CENTRE HOSPITALIER REGIONAL', 'CHR'],
  ['CENTRE HOSPITALIER INTERCOMMUNAL', 'CHI'],
  ['CENTRE HOSPITALIER INTERCO', 'CHI'],
  ['CTRE HOSPITALIER INTERCOMMUNAL', 'CHI'],
  ['CTRE HOSP INTERCOMMUNAL', 'CHI'],
  ['CH INTERCOMMUNAL', 'CHI'],
  ['CENTRE HOSPITALIER SPECIALISE', 'CHS'],
  ['CTRE HOSPI SPECIALISE', 'CHS'],
  ['CENTRE HOSPITALIER GENERAL', 'CH'],
  ['CENTRE HOSPITALIER', 'CH'],
  ['CTRE HOSPITALIER', 'CH'],
  ['CTRE HOPITALIER', 'CH'],
  ['CTRE HOSPI', 'CH'],
  ['CTRE HOSP', 'CH'],
  ['CENTRE HOSP', 'CH'],
  ['GRAND HOSP EST FRANCILIEN', 'GHEF'],
  ['C.H.', 'CH'],
  ['GROUPE HOSPITALIER UNIVERSITAIRE', 'GHU'],
  ['GROUPE HOSP UNIVERSITAIRE', 'GHU'],
  ['GRP HOSPITALIER UNIVERSITAIRE', 'GHU'],
  ['GRP HOSP UNIVERSITAIRES', 'GHU'],
  ['GRP HOSP UNIVERSITAIRE', 'GHU'],
  ['GRPE HOSP UNIVERSITAIRE', 'GHU'],
  ['GRP HOPITAL UNIVERSITAIRE', 'GHU'],
  ['GRP HU', 'GHU'],
  ['GROUPE HOSPITALIER', 'GH'],
  ['GROUPE HOPITALIER', 'GH'],
  ['GROUPEMENT HOSPITALIER', 'GH'],
  ['GROUPE HOSP', 'GH'],
  ['GRPE HOSPITALIER', 'GH'],
  ['GRP HOSPITALIER', 'GH'],
  ['GRP HOSP', 'GH'],
  ['GRPE HOSP', 'GH'],
  ['GPE HOSP', 'GH'],
  ['GRP HOPITAL', 'GH'],
  ['HOSPITAL UNIVERSITAIRE', 'HOPITAL'],
  ['HOPITAL UNIVERSITAIRE', 'HOPITAL'],
  ['CENTRE DE LUTTE CONTRE LE CANCER', 'CLCC'],
];

/** Institutions that own sites: a name starting with one of these may name a site after it. */
const INSTITUTIONS = new Set(['CH', 'CHU', 'CHR', 'CHRU', 'CHI', 'CHS', 'CHIC', 'CHUM', 'GH', 'GHU', 'GHT', 'GHBS', 'GHEF', 'APHP', 'APHM']);

/** Network tags → how they are written after the name. */
const NETWORK_TAGS: Readonly<Record<string, string>> = { APHP: 'AP-HP', 'AP-HP': 'AP-HP', APHM: 'AP-HM', 'AP-HM': 'AP-HM', HCL: 'HCL' };

/** Abbreviations kept as written (folded form → display form). */
const ABBREVIATIONS: Readonly<Record<string, string>> = Object.fromEntries(
  [
    'CH', 'CHU', 'CHR', 'CHRU', 'CHI', 'CHS', 'CHIC', 'CHUM', 'CHG', 'GH', 'GHU', 'GHT', 'GHBS', 'GHEF', 'GHH', 'GHRMSA', 'HIA', 'SSR',
    'MCO', 'HAD', 'SMUR', 'SAMU', 'CMP', 'CATTP', 'CMPP', 'HDJ', 'HJ', 'USLD', 'EHPAD', 'HCL', 'UDM', 'CLCC', 'IRM', 'PMI', 'CEGIDD',
    'CDAG', 'IOP', 'HCO', 'HNFC', 'MFME', 'MVF', 'SOS', 'PSY', 'USMP', 'UHSA', 'UHSI', 'UMD', 'CSAPA', 'CMPEA', 'SDIS', 'BMPM', 'TEP',
    'UHA', 'IME', 'MECS', 'CRF', 'ICO', 'IUCT', 'HBT', 'MTP', 'HEGP', 'II', 'III', 'IV', 'CHP',
  ].map((a) => [a, a]),
);

/**
 * Words whose accents the FINESS capitals lost, restored from a French word list (wfrench,
 * for common words) and by hand for place and person names; only words found in the
 * referential. Folded upper case → title-case display form.
 */
const ACCENTED: Readonly<Record<string, string>> = Object.fromEntries(
  (
    'Hôpital Hôpitaux Hôtel Unité Santé Juvénile Éducation Thérapeutique Thérapeutiques Réadaptation Château Séjour Régional Régionale ' +
    'Pôle Spécialisé Spécialisée Générale Général Dépistage Médical Médicale Médicaux Âgées Médecine Départemental Départementale ' +
    'Vallée Vallées Pédopsychiatrie Pénitentiaire Cancérologie Mère Père Radiothérapie Maternité Rééducation École Gériatrique ' +
    'Gériatrie Établissement Obstétrical Obstétrique Métropole Espérance Psychothérapie Proximité Cèdres Cèdre Société Siège ' +
    'Saisonnière Charité Océan Pré Lumière Allée Allées Pédiatrique Pédiatriques Pédiatrie Résidence Européen Hospitalière Évêque ' +
    'Miséricorde Médicalisée Mutualité Abbé Émeraude Crèche Nucléaire Mémorial Maréchal Région Hémodialyse Bénite Équipements Équipe ' +
    'Étape Américain Caraïbe Trinité Périnatal Périnatalité Impérial Vélodrome Sécurité Provençale Étang Étoile Détention ' +
    'Gérontologie Salée Clé Hépatites Départ Millénaire Téléphonique Clarté Pouponnière Aérodrome Chaussée Agglomération ' +
    'Chimiothérapie Éveil Activités Fraternité Hêtres Précoces Dépendances République Châtaigneraie Méditerranée Hématologie ' +
    'Stérilisation Bruyères Orthopédique Pédagogique Française Français Vertébrale Jésus Belvédère Communauté Mémoire Sémaphore ' +
    'Défense Floréal Prévention Réunion Aubépines Poètes Orchidées Nymphéas Péage Châtaigniers Buissonnière Sablonnière ' +
    'Forêt Côte Côtes Privé Privée René Léon Léonard André Hélène Thérèse Geneviève Élisabeth Émile Édouard Eugène Gérard ' +
    'Frédéric Clément Désiré Valéry Honoré Benoît Adèle Élise Bégin Laënnec François Françoise Jérôme Séverine Mérignac ' +
    'Pitié Salpêtrière Périne Lariboisière Grâce Debré Fère Nîmes Béziers Châteauroux Étienne Saône Rhône Isère Ariège ' +
    'Pyrénées Vendée Fréjus Hyères Sète Chambéry Orléans Évreux Évry Alès Périgueux Guéret Montélimar Béthune Mâcon Angoulême ' +
    'Alençon Fécamp Compiègne Armentières Liévin Montluçon Châlons Loudéac Ploërmel Châtellerault Châteaudun Châtillon ' +
    'Châteaulin Châteaubriant Épinal Épernay Sélestat Briançon Besançon Montbéliard Lunéville Dié Moûtiers Ambérieu Étampes ' +
    'Mézières Corbières Fougères Châtre Neufchâtel Verrière Sèvres Sèvre Médoc Plombières Condé Nicodème Phénicien Embarcadère ' +
    'Brèche Râpée Garancière Bretèche Ombrée Aubépine Lô Cévennes Gévaudan Médipôle Léman Auxerrois Boulogne Rouergue ' +
    'Émile Anglès Pézenas Lodève Agde Céret Prades Saint-Gaudens Lézignan Cœur Sœurs Œuvres Guémené Hénin Lévis Gisèle ' +
    'Joséphine Cécile Amélie Jérémie Ménilmontant Maïmonide Hôtel-Dieu Épône Élancourt Étoiles Pointe-à-Pitre Marie-Galante ' +
    'Zénith Samaritaine Guénin Ambroise Paré Hérault Léman Nérac Évian Crépy Céline Bénédicte Grégoire Médico Psychothérapique ' +
    'Gérontologique Spécialement Aménagée Folgoët Plouzané Médico-chirurgical Médico-chirurgicale Chirurgicale Psychiatrique ' +
    'Universitaire Universitaires Hospitalier Mutualiste Intercommunal Intercommunale Catholique Médico-psychologique Sélestat ' +
    'Psychogériatrie Clémenceau Dôle Réanimation Cardiologique Oncologique Neurologique Pneumologique Ophtalmologique Réseau ' +
    'Privés Privées Réadaptation Fonctionnelle Établissements Thérèse Vétérans Armées Légion Éloi Pédopsychiatrique Sœur'
  )
    .split(/\s+/)
    .filter((w) => w !== '')
    .map((w) => [fold(w), w]),
);

/** Misspellings of the FINESS extract that name a well-known place (folded → right). */
const MISSPELLINGS: Readonly<Record<string, string>> = {
  LARIBOISERE: 'Lariboisière',
  HOSPITAL: 'Hôpital',
  HOP: 'Hôpital',
  ACCEUIL: 'Accueil',
  PHOCEANNE: 'Phocéenne',
  POLYCLINQUE: 'Polyclinique',
  PLYCLINIQUE: 'Polyclinique',
};

/** Hyphenated names written with spaces in FINESS (folded words → display). */
const COMPOUNDS: ReadonlyArray<readonly [string[], string]> = [
  [['PITIE', 'SALPETRIERE'], 'Pitié-Salpêtrière'],
  [['HOTEL', 'DIEU'], 'Hôtel-Dieu'],
  [['NOTRE', 'DAME'], 'Notre-Dame'],
  [['FORT', 'DE', 'FRANCE'], 'Fort-de-France'],
  [['POINTE', 'A', 'PITRE'], 'Pointe-à-Pitre'],
  [['BASSE', 'TERRE'], 'Basse-Terre'],
  [['AIX', 'EN', 'PROVENCE'], 'Aix-en-Provence'],
  [['BOURG', 'EN', 'BRESSE'], 'Bourg-en-Bresse'],
  [['MARNE', 'LA', 'VALLEE'], 'Marne-la-Vallée'],
  [['SEINE', 'ET', 'MARNE'], 'Seine-et-Marne'],
  [['CROIX', 'ROUSSE'], 'Croix-Rousse'],
  [['ENFANTS', 'MALADES'], 'Enfants-Malades'],
  [['ILE', 'DE', 'FRANCE'], 'Île-de-France'],
  [['IL', 'DE', 'FRANCE'], 'Île-de-France'],
  [['COTE', "D'OR"], "Côte-d'Or"],
  [['COTE', 'D', 'OR'], "Côte-d'Or"],
  [['MEDICO', 'CHIRURGICAL'], 'Médico-chirurgical'],
  [['MEDICO', 'CHIRURGICALE'], 'Médico-chirurgicale'],
];

const COMPOUND_STARTS = new Set(COMPOUNDS.map(([words]) => words[0]!));

/** Small words, lower case unless first. */
const SMALL = new Map<string, string>([
  ['DE', 'de'],
  ['DU', 'du'],
  ['DES', 'des'],
  ['LA', 'la'],
  ['LE', 'le'],
  ['LES', 'les'],
  ['ET', 'et'],
  ['SUR', 'sur'],
  ['EN', 'en'],
  ['AU', 'au'],
  ['AUX', 'aux'],
  ['A', 'à'],
  ['POUR', 'pour'],
  ['SOUS', 'sous'],
]);

/** Whole words that may end a name at the length limit (besides the lists above). */
const WHOLE_WORDS = new Set(['NORD', 'SUD', 'EST', 'OUEST', 'CENTRE', 'BASE', 'PIERRES', 'TRESTEL', 'GAUDUCHEAU', 'NANTES', 'PARENTALITE', 'SAUMUROIS', 'SAUMUR', 'PARTIEL', 'GRAVES', 'NOUVELLE', 'GIGNAC', 'ELOI', 'TRAITEMENT', 'DENTAIRE', 'PAPIN', 'MARMOTAN', 'ENFANT', 'SPECIALISE', 'CONVALESCENCE', 'READAPTATION', 'ALENCON', 'ARMENTIERES', 'DOUAI', 'STRASBOURG', 'EUROPE', 'CHRISTOPHE', 'RESP', 'JUSTICE', 'GOLBEY', 'UROLOGIQUES', 'POISSY', 'MARTIN', 'SEGRE', 'PEDO-PSYCHIATRIE', 'MERLEBACH', 'PLANIFICATION']);

/**
 * Adjectives and common nouns that French writes in lower case inside a name (« Hôpital
 * privé », « Clinique générale », « Hôpital de jour »): folded forms.
 */
const LOWER_INSIDE = new Set(
  (
    'PRIVE PRIVEE PRIVES PRIVEES JOUR UNIVERSITAIRE UNIVERSITAIRES HOSPITALIER HOSPITALIERE MEDICAL MEDICALE CHIRURGICAL CHIRURGICALE ' +
    'MEDICO-CHIRURGICAL MEDICO-CHIRURGICALE PSYCHIATRIQUE MUTUALISTE SPECIALISE SPECIALISEE GERIATRIQUE PEDIATRIQUE PEDIATRIQUES ' +
    'INTERCOMMUNAL INTERCOMMUNALE DEPARTEMENTAL DEPARTEMENTALE THERAPEUTIQUE GENERAL GENERALE REGIONAL REGIONALE CATHOLIQUE EUROPEEN ' +
    'CARDIOLOGIQUE ONCOLOGIQUE NEUROLOGIQUE FONCTIONNELLE LOCAL DENTAIRE INTERNATIONAL INTERNATIONALE PEDAGOGIQUE'
  ).split(' '),
);

/** Words after which an article starts a place name (« Hôpital La Timone », « CH La Fère »). */
const KIND_WORDS = new Set(['HOPITAL', 'HOPITAUX', 'CLINIQUE', 'POLYCLINIQUE', 'INSTITUT', 'PRIVE', 'PRIVEE', 'CENTRE', 'SITE', 'RESIDENCE']);

const VOWELS = /[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸ]/;

/** Upper case without diacritics: how words are looked up (memoised: the referential repeats its words). */
export function fold(word: string): string {
  let f = folded.get(word);
  if (f === undefined) {
    f = word
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/Œ/gi, 'OE')
      .toUpperCase();
    if (folded.size < 20_000) folded.set(word, f);
  }
  return f;
}

/** The readable short name of one FINESS establishment name. */
export function shortEstablishmentName(finessName: string): string {
  let text = finessName.normalize('NFC').replace(/[’`]/g, "'").replace(/\s+/g, ' ').trim();
  if (text === '') return text;
  let tokens = tokenize(text);
  if (text.length >= FINESS_NAME_MAX && wasCut(text)) tokens = trimSeparators(tokens.slice(0, -1));
  // "SA CLINIQUE …", "SOCIETE ANONYME CLINIQUE …": the company form is not the name.
  if (fold(tokens[0] ?? '') === 'SA' && tokens.length > 1) tokens = tokens.slice(1);
  if (tokens.length > 2 && fold(tokens[0]!) === 'SOCIETE' && fold(tokens[1]!) === 'ANONYME') tokens = tokens.slice(2);
  tokens = abbreviateKinds(tokens);

  // Network tag (AP-HP, AP-HM, HCL), wherever it is.
  let tag: string | null = null;
  const hcl = findWords(tokens, ['HOSPICES', 'CIVILS', 'DE', 'LYON']);
  if (hcl >= 0 && tokens.length > 4) {
    tag = 'HCL';
    tokens = [...tokens.slice(0, hcl), ...tokens.slice(hcl + 4)];
  }
  const tagAt = tokens.findIndex((t) => NETWORK_TAGS[fold(t)] !== undefined);
  if (tag === null && tagAt >= 0 && tokens.length > 1) {
    tag = NETWORK_TAGS[fold(tokens[tagAt]!)]!;
    tokens = [...tokens.slice(0, tagAt), ...tokens.slice(tagAt + 1)];
  }
  tokens = trimSeparators(tokens);

  // A site of an institution: « Site (Institution) ».
  const split = siteSplit(tokens);
  if (split) {
    const [owner, site] = split;
    const siteText = formatWords(dropKindBeforeName(site, tag !== null));
    const ownerText = tag ?? formatWords(owner);
    return `${siteText} (${ownerText})`;
  }
  text = formatWords(tag ? dropKindBeforeName(tokens, true) : tokens);
  return tag ? `${text} (${tag})` : text;
}

/** Words, with " - " and ":" kept as separator tokens; parenthesised former names dropped. */
function tokenize(text: string): string[] {
  const cleaned = text
    .replace(/\(\s*EX\b[^)]*\)?/gi, ' ')
    .replace(/\s*:\s*/g, ' : ')
    .replace(/\s+-\s+|\s+-(?=\S)|(?<=\S)-\s+/g, ' - ')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')');
  return cleaned.split(' ').filter((t) => t !== '');
}

/** At the length limit, whether the last word was cut: it is not one we know whole. */
function wasCut(text: string): boolean {
  const last = text.slice(text.lastIndexOf(' ') + 1);
  if (/[)"]$/.test(last)) return false;
  const f = fold(last);
  return !(ABBREVIATIONS[f] !== undefined || NETWORK_TAGS[f] !== undefined || ACCENTED[f] !== undefined || SMALL.has(f) || WHOLE_WORDS.has(f));
}

function trimSeparators(tokens: string[]): string[] {
  let end = tokens.length;
  while (end > 1 && (isSeparator(tokens[end - 1]!) || SMALL.has(fold(tokens[end - 1]!)) || /^[DL]'?$/i.test(tokens[end - 1]!))) end--;
  let start = 0;
  while (start < end - 1 && isSeparator(tokens[start]!)) start++;
  return tokens.slice(start, end);
}

function isSeparator(t: string): boolean {
  return t === '-' || t === ':' || t === '/';
}

/** Replaces a leading kind ("CENTRE HOSPITALIER UNIVERSITAIRE", "GRP HOSP") by its abbreviation. */
function abbreviateKinds(tokens: string[]): string[] {
  const candidates = KIND_PREFIX_WORDS.get(fold(tokens[0] ?? ''));
  if (!candidates) return tokens;
  const ff = tokens.map(fold);
  for (const [words, abbr] of candidates) {
    if (words.every((w, i) => ff[i] === w)) return [abbr, ...tokens.slice(words.length)];
  }
  return tokens;
}

/** `KIND_PREFIXES` as words, by first word (in their order: longest first). */
const KIND_PREFIX_WORDS = new Map<string, Array<readonly [string[], string]>>();
for (const [prefix, abbr] of KIND_PREFIXES) {
  const words = prefix.split(' ');
  const list = KIND_PREFIX_WORDS.get(words[0]!) ?? [];
  list.push([words, abbr]);
  KIND_PREFIX_WORDS.set(words[0]!, list);
}

function findWords(tokens: string[], words: string[]): number {
  const folded = tokens.map(fold);
  for (let i = 0; i + words.length <= folded.length; i++) {
    if (words.every((w, j) => folded[i + j] === w)) return i;
  }
  return -1;
}

const SITE_KINDS = new Set(['HOPITAL', 'HOPITAUX', 'HOP', 'CLINIQUE', 'POLYCLINIQUE', 'CH', 'HOSPITAL']);

/**
 * Where a name says "institution, then site": "<institution …> SITE <site>", or an
 * institution abbreviation with at most three words (its city) then a hospital
 * ("CHU DE NICE HOPITAL PASTEUR", "CHRU NANCY - HOPITAL CENTRAL"). Null otherwise.
 */
function siteSplit(tokens: string[]): [string[], string[]] | null {
  const folded = tokens.map(fold);
  const institution = INSTITUTIONS.has(folded[0] ?? '') || folded[0] === 'HOPITAL';
  const siteAt = folded.findIndex((t, i) => i > 0 && (t === 'SITE' || t === ':SITE'));
  if (siteAt > 0 && institution) {
    const owner = trimSeparators(tokens.slice(0, siteAt));
    let site = tokens.slice(siteAt + 1);
    // "SITE DE CHATILLON", "SITE DE L'HOPITAL SAINT-JACQUES": the site's own name.
    while (site.length > 1 && /^(DE|DU|D'|D)$/.test(fold(site[0]!))) site = site.slice(1);
    if (site.length > 0 && /^[DL]'./.test(fold(site[0]!))) site = [site[0]!.slice(2), ...site.slice(1)];
    site = trimSeparators(site.filter((t) => fold(t) !== 'SITE'));
    if (site.length > 0 && owner.length > 0) return [owner, site];
    return null;
  }
  // "HOPITAL DE RANGUEIL CHU TOULOUSE", "HOPITAL CLAUDE HURIEZ DU CHR DE LILLE": the institution last.
  if (SITE_KINDS.has(folded[0] ?? '')) {
    const at = folded.findIndex((t, i) => i >= 2 && (t === 'CHU' || t === 'CHR' || t === 'CHRU'));
    if (at > 0 && folded.length - at <= 4) {
      const site = trimSeparators(tokens.slice(0, at));
      if (site.length > 1) return [tokens.slice(at), site];
    }
  }
  if (institution && folded[0] !== 'HOPITAL') {
    for (let i = 1; i <= Math.min(4, folded.length - 2); i++) {
      const t = folded[i]!;
      const next = folded[i + 1] ?? '';
      if (SITE_KINDS.has(t) && i > 1) return [trimSeparators(tokens.slice(0, i)), tokens.slice(i)];
      if (isSeparator(t) && SITE_KINDS.has(next)) return [trimSeparators(tokens.slice(0, i)), tokens.slice(i + 1)];
    }
  }
  return null;
}

/** With a network tag, "Hôpital X", "GHU X" says twice what it is: keep the proper name (not a lone "Nord"). */
function dropKindBeforeName(tokens: string[], tagged: boolean): string[] {
  if (!tagged || tokens.length < 2) return tokens;
  const first = fold(tokens[0]!);
  if (!['HOPITAL', 'HOSPITAL', 'HOPITAUX', 'GH', 'GHU', 'GROUPE', 'HOP'].includes(first)) return tokens;
  const rest = trimSeparators(tokens.slice(1));
  const lone = rest.length === 1 && ['NORD', 'SUD', 'EST', 'OUEST', 'CENTRAL'].includes(fold(rest[0]!));
  const startsSmall = rest.length > 0 && SMALL.has(fold(rest[0]!));
  return lone || startsSmall || rest.length === 0 ? tokens : rest;
}

/** Title case, accents, small words, saints, initials, elisions, compounds. */
function formatWords(tokens: string[]): string {
  const out: string[] = [];
  const ff = tokens.map(fold);
  for (let i = 0; i < tokens.length; i++) {
    const raw = tokens[i]!;
    const f = ff[i]!;
    const compound = COMPOUND_STARTS.has(f) ? COMPOUNDS.find(([words]) => words.every((w, j) => ff[i + j] === w)) : undefined;
    if (compound) {
      out.push(out.length > 0 && LOWER_INSIDE.has(fold(compound[1])) ? compound[1].toLowerCase() : compound[1]);
      i += compound[0].length - 1;
      continue;
    }
    // "SAINT ANTOINE", "ST LOUIS", "STE PERINE": one hyphenated name.
    const saint = f === 'SAINT' || f === 'ST' ? 'Saint' : f === 'SAINTE' || f === 'STE' ? 'Sainte' : null;
    const next = tokens[i + 1];
    if (saint && next !== undefined && !SMALL.has(fold(next)) && !isSeparator(next) && /^[A-ZÀ-Ý]/i.test(next)) {
      out.push(`${saint}-${word(next, false)}`);
      i++;
      continue;
    }
    // "D' ANGERS": an elision cut from its word.
    if ((f === "D'" || f === "L'") && next !== undefined && !isSeparator(next)) {
      out.push(`${out.length === 0 ? f.charAt(0) : f.charAt(0).toLowerCase()}'${word(next, false)}`);
      i++;
      continue;
    }
    // "D ACCUEIL", "L ALMA": the apostrophe FINESS lost.
    if ((f === 'D' || f === 'L') && next !== undefined && /^[AEIOUYH]/.test(fold(next)) && fold(next).length > 1 && !ABBREVIATIONS[fold(next)]) {
      out.push(`${f.toLowerCase()}'${word(next, false)}`);
      i++;
      continue;
    }
    const previous = fold(tokens[i - 1] ?? '');
    // "CH LA FÈRE": after an abbreviation, LA/LE/LES start a place name.
    const placeArticle = ['LA', 'LE', 'LES'].includes(f) && (ABBREVIATIONS[previous] !== undefined || KIND_WORDS.has(previous) || i === 0);
    const text = placeArticle ? title(f) : word(raw, out.length === 0);
    out.push(out.length > 0 && LOWER_INSIDE.has(f) ? text.toLowerCase() : text);
  }
  return out.join(' ').replace(/ ,/g, ',').replace(/\( /g, '(').replace(/ \)/g, ')');
}

/** One word: abbreviation, small word, initial, accents from the lists, else title case. */
function word(raw: string, first: boolean): string {
  if (isSeparator(raw)) return raw === ':' ? '—' : raw;
  // Keep surrounding punctuation: "(SAINT", "PIERRE)", "\"LES".
  const m = /^([("«]*)(.*?)([)"»,.]*)$/.exec(raw);
  const [, pre = '', core = '', post = ''] = m ?? [];
  if (core === '') return raw;
  if (core.includes('-') && core.length > 1) {
    const parts = core.split('-').map((p, i) => (p === '' ? p : word(p, first && i === 0)));
    return pre + parts.join('-') + post;
  }
  const elided = /^([DL])'(.+)$/i.exec(core);
  if (elided) return `${pre}${first ? elided[1]!.toUpperCase() : elided[1]!.toLowerCase()}'${word(elided[2]!, false)}${post}`;
  // "C.H.R", "C.H.G": a dotted abbreviation.
  if (/^(?:[A-Z]\.){1,}[A-Z]\.?$/i.test(core + post) && core.length > 1) return pre + fold(core + post).replace(/\./g, '');
  const f = fold(core);
  // A single letter with its dot is an initial ("A. TZANCK"), never « à ».
  if (/^[A-Z]$/.test(f) && post.startsWith('.')) return `${pre}${f}.${post.slice(1)}`;
  const abbr = ABBREVIATIONS[f] ?? NETWORK_TAGS[f];
  if (abbr) return pre + abbr + post;
  const small = SMALL.get(f);
  if (small) return pre + (first ? small.charAt(0).toUpperCase() + small.slice(1) : small) + post;
  // A single letter is an initial ("G POMPIDOU", "E. DURKHEIM").
  if (/^[A-Z]$/.test(f)) return `${pre}${f}.${post.replace(/^\./, '')}`;
  // No vowel and a few letters: an acronym ("HCO", "GHH").
  if (f.length >= 2 && f.length <= 5 && !VOWELS.test(f) && /^[A-Z]+$/.test(f)) return pre + f + post;
  if (/\d/.test(core)) return pre + core + post;
  return pre + (MISSPELLINGS[f] ?? ACCENTED[f] ?? title(core)) + post;
}

function title(w: string): string {
  const lower = w.toLowerCase();
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** What `shortNamesFor` needs of an establishment. */
export interface NamedEstablishment {
  finess: string;
  dep: string;
  name: string;
  city: string;
}

/**
 * The short name of every establishment, told apart inside each département: when two
 * establishments of one département with different FINESS names end with the same short
 * name, each gets its city (« Hôpital de jour — Morlaix »), and the FINESS number where the
 * city does not tell them apart either. Identical FINESS names stay identical.
 */
export function shortNamesFor(establishments: readonly NamedEstablishment[]): Map<string, string> {
  const short = new Map<string, string>();
  const groups = new Map<string, NamedEstablishment[]>();
  for (const e of establishments) {
    const s = shortEstablishmentName(e.name);
    short.set(e.finess, s);
    const key = `${e.dep}\u0000${s}`;
    const list = groups.get(key) ?? [];
    list.push(e);
    groups.set(key, list);
  }
  // A kind alone ("CENTRE HOSPITALIER" → « CH ») names nothing: its city says which.
  for (const e of establishments) {
    const s = short.get(e.finess)!;
    const city = cityName(e.city);
    if (ABBREVIATIONS[fold(s)] !== undefined && city !== '') short.set(e.finess, `${s} — ${city}`);
  }
  for (const list of groups.values()) {
    if (new Set(list.map((e) => sameName(e.name))).size < 2) continue;
    const withCity = (e: NamedEstablishment): string => {
      const s = short.get(e.finess)!;
      const city = cityName(e.city);
      return city === '' || fold(s).includes(fold(city)) ? s : `${s} — ${city}`;
    };
    const names = list.map(withCity);
    for (const [i, e] of list.entries()) {
      const mine = names[i]!;
      // Still shared with another FINESS name: add the FINESS number.
      const clash = list.some((o, j) => j !== i && names[j] === mine && sameName(o.name) !== sameName(e.name));
      short.set(e.finess, clash ? `${mine} — ${e.finess}` : mine);
    }
  }
  return short;
}

/** Two FINESS names are the same name when they differ only by spaces or accents. */
function sameName(name: string): string {
  return fold(name.replace(/\s+/g, ' ').trim());
}

/** A FINESS city ("ST POL DE LEON", "PARIS  04") as it is written. */
export function cityName(city: string): string {
  const tokens = city.replace(/\s+/g, ' ').trim().split(' ').filter((t) => t !== '' && !/^\d+$/.test(t));
  return tokens.length ? formatWords(tokens) : '';
}
