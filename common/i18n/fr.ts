/** A wait in words: `1 seconde`, `45 secondes`, `2 minutes` (rounded up to the minute past 90 s). */
function waitText(seconds: number): string {
  if (seconds <= 90) return seconds <= 1 ? '1 seconde' : `${seconds} secondes`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/**
 * Every French string a user can read that comes from common code, the main process or the
 * sync server (rejection reasons, validation errors, labels). The renderer's own strings
 * live beside this file in `ui.fr.ts`. An English translation follows the same shape.
 */
export const fr = {
  territory: {
    country: 'France (niveau national)',
    region: (name: string) => `ARS ${name}`,
    departement: (code: string, name: string) => `SAMU ${code} — ${name}`,
    field: (id: string) => `Poste de terrain ${id}`,
    room: (dep: string) => `Salle de renfort du SAMU ${dep}`,
  },
  level: { national: 'National', regional: 'Régional', local: 'Local' } as Record<string, string>,
  kind: { information: 'Information', consigne: 'Consigne', demande: 'Demande' } as Record<string, string>,
  priority: { info: 'Info', important: 'Important', urgent: 'Urgent' } as Record<string, string>,
  role: {
    national: 'Cellule nationale',
    ars: 'ARS',
    samu: 'SAMU',
    establishment: 'Établissement',
    field: 'Poste de terrain',
  } as Record<string, string>,
  reject: {
    invalidArgs: (details: string) => `Données invalides : ${details}`,
    unknownMutation: (name: string) => `Opération inconnue : « ${name} ».`,
    eventExists: 'Un évènement porte déjà cet identifiant.',
    eventNotFound: 'Évènement introuvable (il n’est pas dans votre périmètre ou n’existe pas).',
    eventClosed: 'Cet évènement est clos : on ne peut plus y écrire.',
    eventAlreadyClosed: 'Cet évènement est déjà clos.',
    cannotOpenEvent: 'Seuls la cellule nationale, les ARS et les SAMU ouvrent ou clôturent un évènement.',
    territoryOutOfScope: (label: string) => `Le territoire « ${label} » est hors de votre périmètre.`,
    territoryUnknown: (key: string) => `Territoire inconnu : ${key}.`,
    messageExists: 'Un message porte déjà cet identifiant.',
    messageOutsideEvent: 'Le territoire du message doit être celui de l’évènement ou l’un de ses sous-territoires.',
    messageNotFound: 'Message introuvable (il n’est pas dans votre périmètre ou n’existe pas).',
    otherEvent: 'Le message visé appartient à un autre évènement.',
    replacesNotConsigne: 'Seule une consigne peut remplacer une consigne.',
    alreadyReplaced: 'Cette consigne a déjà été remplacée : remplacez la version en vigueur.',
    replaceSameTerritory: 'Une nouvelle version de consigne doit s’adresser au même territoire.',
    notConsigne: 'Seules les consignes appellent un accusé de réception.',
    ackReplaced: 'Cette consigne a été remplacée : accusez réception de la nouvelle version.',
    ackAlready: (label: string) => `${label} a déjà accusé réception de cette consigne.`,
    ackOwn: 'L’auteur d’une consigne n’en accuse pas réception.',
    ackNotAddressee: 'Cette consigne ne s’adresse pas à votre territoire.',
    ackNotListed: (list: string) => `Votre poste n’est pas sur la liste des accusés attendus de cette consigne (${list}).`,
    correctOnlyOwn: (author: string) => `Seul le poste qui a écrit ce message (${author}) peut le corriger : répondez-lui par un nouveau message.`,
  },
  /** The transfers board (issue 8): steps, states and refusals, as a regulator reads them. */
  transfers: {
    state: {
      brouillon: 'brouillon',
      demande: 'demandé',
      propose: 'proposé',
      accepte: 'accepté',
      refuse: 'refusé',
      transport: 'transport organisé',
      en_route: 'en route',
      arrive: 'arrivé',
      annule: 'annulé',
    } as Record<string, string>,
    step: {
      submit: 'envoyer la demande',
      propose: 'proposer une destination',
      accept: 'accepter',
      refuse: 'refuser',
      organize: 'organiser le transport',
      depart: 'marquer le départ',
      arrive: 'marquer l’arrivée',
      cancel: 'annuler',
    } as Record<string, string>,
    party: { origin: 'l’établissement d’origine', samu: 'le SAMU demandeur', destination: 'l’établissement de destination' } as Record<string, string>,
    wrongState: (step: string, state: string) => `${step.charAt(0).toUpperCase()}${step.slice(1)} : impossible, le transfert est « ${state} ».`,
    notYourStep: (step: string, who: string) => `${step.charAt(0).toUpperCase()}${step.slice(1)} : seul ${who} le peut.`,
    notFound: 'Transfert introuvable (il n’est pas dans votre périmètre ou n’existe pas).',
    exists: 'Ce transfert existe déjà.',
    notOriginSide: 'Seuls l’établissement d’origine et le SAMU de son département peuvent demander un transfert.',
    summaryNotOriginSide: 'Seuls l’établissement d’origine et le SAMU demandeur peuvent modifier le résumé clinique.',
    summaryClosed: (state: string) => `Le transfert est « ${state} » : son résumé clinique ne se modifie plus.`,
    /** Who erased a summary whose retention ran out (the tombstone's author, the audit entry's actor when the server's timer ran it). */
    retentionBy: 'Vigie (durée de conservation)',
    badRetentionDays: (value: string, max: number) => `Durée de conservation des résumés cliniques invalide : « ${value} ». Un nombre entier de jours de 0 à ${max} est attendu.`,
    unknownEstablishment: (finess: string) => `Établissement inconnu du référentiel FINESS : ${finess}.`,
    noSamu: (dep: string) => `Aucun SAMU pour le département ${dep}.`,
    unknownUnit: (unit: string, est: string) => `L’unité « ${unit} » n’a jamais été déclarée par ${est} : proposez une unité du tableau des lits.`,
    needMismatch: (unit: string, need: string) => `L’unité « ${unit} » ne répond pas au besoin du patient (${need}).`,
    sameEstablishment: 'La destination est l’établissement d’origine : un transfert change d’établissement.',
    noBedLeft: (unit: string, est: string, available: number, held: number) =>
      `Plus de lit libre en ${unit} (${est}) : ${available} disponible${available > 1 ? 's' : ''}, ${held} déjà réservé${held > 1 ? 's' : ''} par d’autres transferts. Un autre régulateur a pris le dernier lit : proposez une autre destination.`,
    holdMismatch: 'Cette réservation appartient à un autre transfert.',
    urgency: { immediate: 'immédiate', moins_6h: '< 6 h', programmee: 'programmée' } as Record<string, string>,
    transport: { smur: 'SMUR terrestre', ambulance: 'ambulance', helicoptere: 'hélicoptère', avion: 'avion', train: 'train', bateau: 'bateau' } as Record<string, string>,
    /** The line each step leaves in the main courante of the parties. */
    journal: {
      demande: (n: string, need: string, from: string, urgency: string) => `Transfert ${n} demandé : ${need} depuis ${from}, urgence ${urgency}.`,
      brouillon: (n: string) => `Transfert ${n} en brouillon.`,
      propose: (n: string, to: string, unit: string) => `Transfert ${n} : ${to} — ${unit} proposé.`,
      accepte: (n: string, to: string, until: string) => `Transfert ${n} accepté par ${to} : un lit est réservé jusqu’à ${until}.`,
      refuse: (n: string, to: string, reason: string) => `Transfert ${n} refusé par ${to} : ${reason}`,
      transport: (n: string, mode: string) => `Transfert ${n} : transport organisé (${mode}).`,
      en_route: (n: string, to: string) => `Transfert ${n} parti vers ${to}.`,
      arrive: (n: string, to: string) => `Transfert ${n} arrivé à ${to}.`,
      annule: (n: string, reason: string) => `Transfert ${n} annulé : ${reason}`,
      operation: (label: string, beds: number, region: string) => `Opération « ${label} » : ${beds} lits réservés en ${region}.`,
      operationCancelled: (label: string, reason: string, released: number) =>
        `Opération « ${label} » annulée : ${reason} (${released} réservation${released > 1 ? 's' : ''} de lit levée${released > 1 ? 's' : ''}).`,
      operationBoarded: (label: string, n: number, where: string) => `Opération « ${label} » : ${n} patient${n > 1 ? 's' : ''} embarqué${n > 1 ? 's' : ''} (${where}).`,
      operationReleased: (n: string, label: string, reason: string) => `Transfert ${n} retiré de l’opération « ${label} » : ${reason}`,
    },
    operation: {
      nationalOnly: 'Seules la cellule nationale et les ARS organisent une évacuation de masse.',
      exists: 'Cette opération existe déjà.',
      notFound: 'Opération introuvable.',
      overCapacity: (n: number, cap: number) => `${n} patients pour ${cap} places : l’opération dépasse sa capacité.`,
      notWaiting: (n: string, state: string) => `Le transfert ${n} est « ${state} » : seul un transfert demandé (ou refusé) part avec une opération.`,
      alreadyIn: (n: string) => `Le transfert ${n} part déjà avec une autre opération.`,
      notInOperation: (n: string) => `Le transfert ${n} n’est pas dans cette opération.`,
      incomplete: (missing: number) => `${missing} patient${missing > 1 ? 's' : ''} de l’opération sans destination : tout est réservé d’un coup, ou rien.`,
      outsideRegion: (unit: string, region: string) => `L’unité « ${unit} » n’est pas dans la région d’accueil (${region}).`,
      wrongState: (state: string) => `L’opération est « ${state} » : ses lits sont déjà réservés ou elle est annulée.`,
      lineRefused: (n: string, why: string) => `Patient ${n} : ${why} Rien n’a été réservé.`,
      acceptedBy: (label: string) => `Opération « ${label} »`,
      whoRuns: 'Seules la cellule nationale et les ARS organisent une évacuation de masse.',
      arsOutsideRegion: (n: string, from: string, mine: string) =>
        `Le transfert ${n} part de ${from} : une ARS n’organise une évacuation que pour des patients de sa région (${mine}). Demandez à la cellule nationale.`,
      noCar: 'Au moins une voiture ou cabine est nécessaire.',
      tooManyCars: (n: number, max: number) => `${n} voitures ou cabines : ce véhicule en compte au plus ${max}.`,
      carTwice: (label: string) => `La voiture « ${label} » est nommée deux fois.`,
      teamIsPerson: (label: string) => `Équipe « ${label} » : nommez l’équipe par son service (« SMUR Strasbourg équipe 2 »), jamais par le nom d’une personne.`,
      layoutTooLarge: (n: number, max: number) => `${n} places au total : une opération emmène au plus ${max} patients.`,
      noLeg: 'Au moins un trajet (départ, arrivée) est nécessaire.',
      legBackwards: (i: number, from: string, to: string) => `Trajet ${i} (${from} → ${to}) : l’arrivée doit suivre le départ.`,
      legGoesNowhere: (i: number, place: string) => `Trajet ${i} : le départ et l’arrivée sont le même lieu (${place}).`,
      legNotChained: (i: number, arrival: string, next: string) => `Le trajet ${i} arrive à ${arrival} mais le suivant part de ${next} : un trajet repart d’où le précédent est arrivé.`,
      legLeavesEarly: (i: number, place: string) => `Trajet ${i} : il repart de ${place} avant que le trajet précédent n’y soit arrivé.`,
      seatedTwice: (n: string) => `Le patient ${n} a deux places.`,
      noSuchCar: (n: string, car: number) => `Patient ${n} : la voiture n° ${car} n’existe pas.`,
      noSuchPlace: (n: string, car: string, place: number, places: number) => `Patient ${n} : la voiture « ${car} » n’a que ${places} places (place ${place} demandée).`,
      noSuchLeg: (n: string, leg: number, legs: number) => `Patient ${n} : descente au trajet ${leg}, mais l’opération n’en a que ${legs}.`,
      placeTaken: (car: string, place: number, first: string, second: string) => `Voiture « ${car} », place ${place} : ${first} et ${second} ne peuvent pas l’occuper tous les deux.`,
      unseated: (list: string) => `Sans place dans le véhicule : ${list}.`,
      notPlanned: (state: string) => `L’opération est « ${state} » : seule une opération planifiée (lits pas encore réservés) se modifie.`,
      notHeld: (state: string) => `L’opération est « ${state} » : on n’embarque qu’après la réservation des lits.`,
      alreadyBoarded: (n: string) => `Le patient ${n} est déjà embarqué.`,
      notBoardable: (n: string, state: string) => `Le transfert ${n} est « ${state} » : il ne peut pas embarquer.`,
      boardedStep: (label: string, car: string, place: number) => `Embarqué : opération « ${label} », ${car}, place ${place}.`,
      cancelled: 'L’opération est déjà annulée.',
      someBoarded: (n: number) => `${n} patient${n > 1 ? 's sont' : ' est'} déjà embarqué${n > 1 ? 's' : ''} : l’opération ne s’annule plus. Retirez un par un les patients non embarqués.`,
      cannotReleaseBoarded: (n: string) => `Le patient ${n} est déjà embarqué : il ne peut plus être retiré de l’opération.`,
      releasedStep: (label: string, reason: string) => `Retiré de l’opération « ${label} » : ${reason}`,
      noBedsInView: (region: string) =>
        `Ce poste ne voit aucun lit de la région d’accueil (${region}) : la cellule nationale, ou l’ARS de cette région, propose la répartition et réserve les lits.`,
      nobodyToBoard: 'Personne à embarquer dans cette voiture : tous sont déjà à bord ou sans lit réservé.',
      lastPatient: 'C’est le dernier patient de l’opération : annulez l’opération.',
      state: { planifiee: 'planifiée', reservee: 'lits réservés', annulee: 'annulée' } as Record<string, string>,
    },
    notice: {
      incoming: (n: string, from: string, need: string) => `Demande de transfert entrante ${n} : ${need}, depuis ${from}.`,
      accepted: (n: string, to: string) => `Transfert ${n} accepté par ${to} : un lit est réservé.`,
      refused: (n: string, by: string, reason: string) => `Transfert ${n} refusé par ${by} : ${reason}`,
      /** Clock events (`main/transfers/notices.ts`): told once per workstation. */
      unanswered: (n: string, to: string, min: number) => `Transfert ${n} : proposition à ${to} sans réponse depuis ${min} min.`,
      expired: (n: string, to: string, at: string) => `Transfert ${n} : la réservation du lit à ${to} a expiré à ${at} sans que le patient soit arrivé.`,
      title: 'Transferts',
    },
    /** A workstation's transfer delays (`TransferSettingsSchema`). */
    settings: {
      holdHours: 'durée de réservation attendue, en heures',
      holdHoursInt: 'nombre entier d’heures attendu',
      holdHoursMin: 'réservation d’une heure au moins',
      holdHoursMax: (max: number) => `réservation de ${max} heures au plus`,
      unanswered: 'délai attendu, en minutes',
      unansweredInt: 'nombre entier de minutes attendu',
      unansweredMin: (min: number) => `délai de ${min} minutes au moins`,
      unansweredMax: (max: number) => `délai de ${max} minutes (${max / 60} heures) au plus`,
    },
    need: {
      rea_adulte: 'réanimation adulte',
      rea_pediatrique: 'réanimation pédiatrique',
      rea_neonatale: 'réanimation néonatale',
      brules: 'brûlés',
      usc_adulte: 'surveillance continue adulte',
      usc_pediatrique: 'surveillance continue pédiatrique',
      usi_cardio: 'soins intensifs de cardiologie',
      usi_neurovasculaire: 'soins intensifs neurovasculaires',
    } as Record<string, string>,
  },
  /** `beds:picture`: the figures of some départements at an instant. */
  bedPicture: {
    unknownDep: (dep: string) => `Département inconnu du référentiel : ${dep}.`,
    depOutOfScope: (dep: string) => `Le département ${dep} n’est ni dans votre périmètre ni voisin de celui-ci.`,
    future: (at: string) => `La date demandée (${at}) est dans le futur : la situation passée se lit jusqu’à maintenant.`,
  },
  /** The SAMU's reinforcement room (salle de renfort) of a crisis event (issue 7). */
  room: {
    onlySamu: 'Seul un SAMU tient une salle de renfort : les ARS et la cellule nationale la consultent.',
    outsideEvent: 'Cet évènement ne concerne pas votre département : la salle de renfort s’ouvre dans un évènement national, régional ou de votre département.',
    postExists: 'Un poste porte déjà cet identifiant.',
    postNotFound: 'Poste introuvable dans votre salle de renfort.',
    postClosed: (label: string) => `Le poste « ${label} » est fermé : rouvrez-en un pour y affecter quelqu’un.`,
    postAlreadyClosed: (label: string) => `Le poste « ${label} » est déjà fermé.`,
    labelTaken: (label: string) => `Un poste ouvert s’appelle déjà « ${label} » dans cette salle : donnez-lui un autre nom.`,
    shiftExists: 'Une vacation porte déjà cet identifiant.',
    shiftNotFound: 'Vacation introuvable dans votre salle de renfort.',
    shiftAlreadyCancelled: 'Cette vacation est déjà annulée.',
    endBeforeStart: 'La fin de la vacation doit être après son début.',
    tooLong: (hours: number) => `Une vacation dure au plus ${hours} h : découpez-la en plusieurs vacations.`,
    overlap: (label: string, person: string, from: string, to: string) =>
      `Le poste « ${label} » est déjà tenu par ${person} de ${from} à ${to} : une seule personne par poste à la fois.`,
  },
  /** Distribution lists of a consigne's expected acknowledgements (issue 7). */
  ackList: {
    ars: 'Les ARS de toutes les régions',
    samu: (region: string) => `SAMU de la région ${region}`,
    criticalCare: (dep: string) => `Établissements avec soins critiques — ${dep}`,
    custom: 'Liste personnalisée',
    implicit: 'Niveau inférieur (consigne antérieure aux listes de diffusion)',
    empty: (list: string) => `La liste « ${list} » ne contient aucun poste.`,
    notAPost: (key: string) => `« ${key} » n’est pas un poste connu (région, département ou établissement du référentiel).`,
    twice: (label: string) => `« ${label} » figure deux fois dans la liste.`,
    ownPost: 'Votre propre poste ne peut pas figurer sur la liste : l’auteur n’accuse pas réception de sa consigne.',
    notInDepartement: (label: string, dep: string) => `« ${label} » n’est pas un établissement de ${dep}.`,
    outOfReach: (label: string, territory: string) =>
      `« ${label} » ne reçoit pas une consigne adressée à « ${territory} » : la liste ne peut nommer que des postes qui la reçoivent.`,
    onlyConsigne: 'Seule une consigne attend des accusés de réception : retirez la liste ou choisissez le type « Consigne ».',
    noCareUnit: (label: string) =>
      `« ${label} » n’a aucune unité de soins critiques dans le tableau des lits : retirez-le de la liste ou choisissez une liste personnalisée.`,
    noCriticalCare: (dep: string) =>
      `Aucun établissement de ${dep} n’a d’unité de soins critiques dans le tableau des lits de ce poste : choisissez une liste personnalisée.`,
    candidateWithCare: (city: string) => (city ? `${city} · soins critiques` : 'soins critiques'),
  },
  beds: {
    availableOverStaffed: (a: number, s: number) =>
      `Lits disponibles (${a}) supérieurs aux lits armés (${s}) : un lit vide n’est disponible que s’il est armé.`,
    staffedOverOpen: (s: number, installed: number, closed: number, surge: number) =>
      `Lits armés (${s}) supérieurs aux lits ouverts (${installed} installés${closed ? ` − ${closed} fermés` : ''}${surge ? ` + ${surge} de renfort` : ''}).`,
    closedOverInstalled: (closed: number, installed: number) => `Lits fermés (${closed}) supérieurs aux lits installés (${installed}) qui les comptent.`,
    reactivableOverClosed: (r: number, closed: number) => `Lits fermés réactivables (${r}) supérieurs aux lits fermés (${closed}).`,
    occupiedOverStaffed: (o: number, a: number, s: number) =>
      `Lits occupés ou réservés (${o}) et disponibles (${a}) dépassent les lits armés (${s}).`,
    extraOrder: (h24: number, h72: number) =>
      `Capacité supplémentaire à 24 h (${h24}) supérieure à celle à 72 h (${h72}) : celle à 72 h l’inclut.`,
    jumpNeedsConfirmation: (jump: number, max: number) =>
      `Variation de ${jump} lits depuis le dernier relevé (plus de ${max}) : confirmez ces chiffres.`,
    pharmacyNoBeds: 'Un compte de pharmacie (PUI) déclare les stocks de médicaments, pas les lits : les lits se déclarent depuis le compte de l’établissement.',
    notYourEstablishment: 'Vous ne pouvez déclarer que les unités de votre établissement.',
    readOnlyRole: 'Votre rôle consulte les lits sans les déclarer (import d’extrait ROR ou flux de registre exceptés).',
    unknownUnitType: (code: string) => `Type d’unité inconnu : ${code}.`,
    unknownEstablishment: (finess: string) => `Établissement inconnu du référentiel FINESS : ${finess}.`,
    reportExists: 'Un relevé porte déjà cet identifiant.',
    observedInFuture: (observed: string, written: string) =>
      `Heure d’observation (${observed}) postérieure à l’heure de saisie (${written}) : vérifiez l’horloge ou la colonne de date.`,
    unitTypeChanged: (unitId: string, type: string) =>
      `L’unité « ${unitId} » est déclarée en ${type} : une autre sorte d’unité se déclare sous un autre identifiant.`,
  },
  /** Importing a ROR-style extract (CSV) in the main process. */
  bedImport: {
    emptyFile: 'Fichier vide : aucune ligne de données après l’en-tête.',
    missingColumn: (what: string, names: string) => `Colonne obligatoire absente : ${what} (${names}).`,
    missingFiness: 'Numéro FINESS absent.',
    badFiness: (value: string) => `Numéro FINESS invalide : « ${value} » (9 caractères attendus).`,
    leadingZeroRestored: (value: string, finess: string) =>
      `Numéro FINESS « ${value} » lu comme ${finess} : zéro initial rétabli (un tableur l’avait supprimé).`,
    rorCodeNotFiness: (value: string) =>
      `Code ROR d’établissement « ${value} » : seul un code égal au numéro FINESS (9 caractères) peut être rapproché du référentiel.`,
    missingUnitType: 'Type d’unité absent.',
    missingNumber: (column: string) => `${column} : valeur absente.`,
    notANumber: (column: string, value: string) => `${column} : « ${value} » n’est pas un nombre de lits.`,
    notInteger: (column: string, value: string) => `${column} : « ${value} » — nombre entier de lits attendu.`,
    negative: (column: string) => `${column} : un nombre de lits ne peut pas être négatif.`,
    absurd: (column: string, max: number) => `${column} : plus de ${max} lits dans une unité, valeur invraisemblable.`,
    duplicateUnit: (line: number) => `Même unité du même établissement qu’à la ligne ${line}.`,
    unitIdTooLong: (column: string, max: number) => `${column} : identifiant d’unité de plus de ${max} caractères.`,
    badTime: (column: string, value: string) =>
      `${column} : « ${value} » — heure d’observation attendue (2020-03-24T08:30:00+01:00 ou 24/03/2020 08:30, heure de Paris).`,
    observedInFuture: (column: string, value: string) => `${column} : « ${value} » est dans le futur — vérifiez la colonne de date de l’extrait.`,
    surgeInferred: (lines: number, beds: number) =>
      `Lits armés au-delà des lits installés sur ${lines} ligne(s), sans colonne de lits de renfort : ces ${beds} lits sont comptés comme lits de renfort (ouverts au-delà de la capacité déclarée).`,
    noTimeColumn: (names: string) =>
      `Pas de colonne d’heure d’observation (${names}) : les relevés prennent l’heure de l’import et sont marqués « heure d’observation inconnue ».`,
    staffedDefaulted: (fromOccupied: number, fromInstalled: { both: number; pos: number; neg: number }) => {
      const parts = [
        fromInstalled.both ? `${fromInstalled.both} ligne(s) sans lits occupés` : '',
        fromInstalled.pos ? `${fromInstalled.pos} ligne(s) sans lits occupés COVID+` : '',
        fromInstalled.neg ? `${fromInstalled.neg} ligne(s) sans lits occupés COVID−` : '',
      ].filter(Boolean);
      const installed = fromInstalled.both + fromInstalled.pos + fromInstalled.neg;
      return (
        `Colonne des lits armés (NBR_LIT_ARM) absente : lits armés = disponibles + occupés COVID+/− sur ${fromOccupied} ligne(s)` +
        (installed ? `, et pris égaux aux lits installés sur ${installed} ligne(s) (${parts.join(', ')}) — à vérifier.` : '.')
      );
    },
    hasErrors: (n: number) =>
      `Le fichier contient ${n} ligne(s) en erreur : rien n’est importé, sauf si vous choisissez d’importer les lignes valides seulement.`,
    needsJumpConfirmation: (n: number) => `${n} ligne(s) varient de plus de 4 lits depuis le dernier relevé : confirmez l’import.`,
    nothingValid: 'Aucune ligne valide à importer.',
    lineRejected: (line: number, reason: string) => `Ligne ${line} : ${reason}`,
    unreadable: 'Fichier illisible (contenu base64 invalide).',
  },
  /** Exports of the current bed picture. */
  bedExport: {
    csvHeader: [
      'région',
      'département',
      'FINESS',
      'établissement',
      'type d’unité',
      'unité',
      'identifiant d’unité',
      'installés',
      'armés',
      'disponibles',
      'dont lits de renfort',
      'COVID+',
      'COVID−',
      'suppl. 24 h',
      'suppl. 72 h',
      'mis à jour',
      'heure d’observation connue',
      'âge en heures',
      'périmé',
      'affectation',
      'unité temporaire',
    ],
    assignment: { 'covid+': 'COVID+', 'covid-': 'COVID−' } as Record<string, string>,
    yes: 'oui',
    no: 'non',
    fileBase: 'lits-soins-critiques',
    unknownTerritory: (key: string) => `Territoire inconnu : ${key}.`,
  },
  bedHistory: {
    badFiness: (value: string) => `Numéro FINESS invalide : « ${value} » (9 caractères attendus).`,
  },
  /** Importing a PUI software export (stock counts, CSV): common/domain/stocks/importCsv.ts. */
  stockImport: {
    emptyFile: 'Fichier vide : aucune ligne de données après l’en-tête.',
    noHeader: 'Fichier vide : ni en-tête ni données.',
    missingColumn: (what: string, names: string) => `Colonne obligatoire absente : ${what} (${names}).`,
    duplicateColumn: (what: string, a: string, b: string) => `Deux colonnes pour ${what} : « ${a} » et « ${b} ». Gardez-en une.`,
    columnCount: (found: number, expected: number) => `${found} colonne(s) au lieu de ${expected} (séparateur ou guillemet mal placé ?).`,
    unclosedQuote: 'Guillemet ouvert et jamais fermé : la suite du fichier est illisible à partir de cette ligne.',
    missingEstablishment: 'Établissement absent (FINESS ou code établissement).',
    unknownEstablishment: (value: string) => `Établissement inconnu : « ${value} » n’est ni un FINESS ni un code d’établissement connu.`,
    missingProduct: 'Présentation absente (CIP13 ou CIS).',
    badCip13: (value: string) => `CIP13 invalide : « ${value} » (13 chiffres attendus).`,
    cip13Scientific: (value: string) => `CIP13 « ${value} » écrit en notation scientifique par un tableur : chiffres perdus, exportez la colonne en texte.`,
    unknownCip13: (value: string) => `CIP13 inconnu : « ${value} » n’est pas une présentation suivie.`,
    badCis: (value: string) => `CIS invalide : « ${value} » (8 chiffres attendus).`,
    unknownCis: (value: string) => `CIS inconnu : « ${value} » n’est pas une spécialité suivie.`,
    ambiguousCis: (value: string, n: number) => `CIS « ${value} » : ${n} présentations possibles, donnez le CIP13.`,
    missingNumber: (column: string) => `${column} : valeur absente.`,
    notANumber: (column: string, value: string) => `${column} : « ${value} » n’est pas un nombre.`,
    notWhole: (column: string, value: string) => `${column} : « ${value} » — nombre entier attendu.`,
    negative: (column: string, value: string) => `${column} : « ${value} » — une quantité ne peut pas être négative.`,
    missingDate: 'Date absente.',
    badDate: (value: string) => `Date illisible : « ${value} » (JJ/MM/AAAA, JJ/MM/AAAA HH:MM ou AAAA-MM-JJ attendu).`,
    twoDigitYear: (value: string) => `Date « ${value} » : année sur deux chiffres, écrivez-la sur quatre (JJ/MM/AAAA).`,
    futureDate: (value: string) => `Date « ${value} » dans le futur : vérifiez la colonne de date.`,
    duplicate: (line: number) => `Même établissement, même présentation et même date qu’à la ligne ${line}.`,
    leadingZeroRestored: (n: number) => `${n} numéro(s) FINESS à 8 chiffres lus avec leur zéro initial rétabli (un tableur l’avait supprimé).`,
    genericConsumption: (column: string) => `Colonne « ${column} » lue comme la consommation des 7 derniers jours.`,
    noConsumption: 'Pas de colonne de consommation : la consommation des lignes importées reste inconnue (pas d’alerte de couverture).',
    hasErrors: (n: number) =>
      `Le fichier contient ${n} ligne(s) en erreur : rien n’est importé, sauf si vous choisissez d’importer les lignes valides seulement.`,
    lineRejected: (line: number, reason: string) => `Ligne ${line} : ${reason}`,
    column: {
      establishment: 'établissement (FINESS ou code)',
      product: 'présentation (CIP13 ou CIS)',
      quantity: 'quantité en stock',
      consumption7d: 'consommation sur 7 jours',
      dailyUse: 'consommation moyenne journalière',
      date: 'date du comptage',
      daysOutOfStock: 'jours de rupture',
      deliveries: 'livraisons reçues',
    },
  },
  /** The stocks board's import and exports (main/stocks/io.ts). */
  stockIo: {
    unreadable: 'Fichier illisible : contenu base64 invalide.',
    nothingValid: 'Aucune ligne valide à importer.',
    defaultComment: (fileName: string) => `Import du fichier ${fileName}`,
    sheetGrid: 'Établissements',
    sheetPivot: 'Régions',
    col: {
      region: 'Région',
      dep: 'Département',
      finess: 'FINESS',
      establishment: 'Établissement',
      onHand: (m: string) => `${m} — stock (unités)`,
      onHandMg: (m: string) => `${m} — stock (mg)`,
      daily: (m: string) => `${m} — conso/j (unités)`,
      days: (m: string) => `${m} — couverture (j)`,
      stockOut: (m: string) => `${m} — rupture prévue`,
      level: (m: string) => `${m} — niveau`,
      red: (m: string) => `${m} — établissements en rouge`,
      counted: 'Dernier relevé',
    },
    level: { red: 'rouge', orange: 'orange', green: 'vert', unknown: 'inconnu' },
    /** An allocation round's export: a summary of the round, then one row per establishment with every figure of the key. */
    round: {
      sheetSummary: 'Tour',
      sheetLines: 'Lignes',
      unknownRound: 'Tour de répartition inconnu de ce poste.',
      item: 'Donnée',
      value: 'Valeur',
      yes: 'oui',
      no: 'non',
      summary: {
        molecule: 'Molécule',
        presentation: 'Présentation livrée',
        cip13: 'CIP13',
        mgPerUnit: 'mg par unité',
        supply: 'Livraison (unités)',
        targetDays: 'Jours de couverture visés',
        mode: 'Mode de la clé',
        weighted: 'Pondération par l’occupation COVID+',
        strength: 'Intensité de la pondération (s)',
        meanOccupancy: 'Occupation COVID+ moyenne',
        passes: 'Passes de remplissage',
        need: 'Total des besoins (unités)',
        proposed: 'Total proposé par la clé (unités)',
        allocated: 'Total validé (unités)',
        left: 'Reste au national (unités)',
        remainderUnits: 'Unités données au plus fort reste',
        lines: 'Lignes',
        adjusted: 'Lignes modifiées à la main',
        unknownNeed: 'Lignes à besoin inconnu',
        confirmed: 'Réceptions confirmées',
        validatedBy: 'Validé par',
        validatedAt: 'Validé le',
        exportedLines: 'Lignes exportées (votre périmètre)',
      },
      col: {
        onHandMg: 'Stock (mg)',
        dailyMg: 'Consommation (mg/j)',
        targetDays: 'Jours visés',
        covid: 'Occupation COVID+',
        coverBefore: 'Couverture avant (j)',
        needMg: 'Besoin (mg)',
        needUnits: 'Besoin (unités)',
        needKnown: 'Besoin connu',
        weight: 'Poids',
        share: 'Part du besoin pondéré',
        rawQuota: 'Quote-part brute',
        capped: 'Plafonnée au besoin',
        floorUnits: 'Partie entière',
        remainder: 'Reste',
        remainderRank: 'Rang du reste',
        bonusUnit: 'Unité au plus fort reste',
        proposed: 'Quote-part proposée',
        quota: 'Quote-part validée',
        adjusted: 'Modifiée à la main',
        coverAfter: 'Couverture après livraison (j)',
        confirmedAt: 'Réception confirmée le',
        confirmedBy: 'Confirmée par',
      },
    },
  },
  /** Words of the stocks computations (allocation.ts, redeploy.ts, forecast.ts), for the board's screens and messages. */
  stockMethods: {
    /** Why an adjusted allocation cannot be validated (allocation.ts `AdjustmentProblem`). */
    adjustment: {
      unknownLine: (finess: string) => `L’établissement ${finess} ne fait pas partie de ce tour de répartition.`,
      notWhole: (finess: string, quota: number) => `${finess} : « ${quota} » — nombre entier d’unités attendu.`,
      negative: (finess: string, quota: number) => `${finess} : « ${quota} » — une quantité ne peut pas être négative.`,
      duplicate: (finess: string) => `${finess} : deux modifications pour la même ligne.`,
      overSupply: (allocated: number, supply: number) =>
        `Répartition de ${allocated} unités pour ${supply} disponibles : ${allocated - supply} de trop, réduisez des lignes avant de valider.`,
    },
    /** What is left of the supply after adjustments. */
    left: (left: number) => (left === 0 ? 'Toute la livraison est répartie.' : left > 0 ? `Reste à répartir : ${left} unité${left > 1 ? 's' : ''}.` : `Dépassement : ${-left} unité${left < -1 ? 's' : ''} de trop.`),
    allocationMode: { full: 'Besoins couverts en totalité', proportional: 'Partage au prorata des besoins' } as Record<string, string>,
    unknownNeed: 'Besoin inconnu (pas de consommation déclarée) : hors clé, à décider à la main.',
    forecastMethod: {
      occupancy: 'Selon la tendance de l’occupation COVID+ en soins critiques',
      flat: 'Consommation observée constante',
      unknown: 'Inconnue (pas de consommation déclarée)',
    } satisfies Record<import('../domain/stocks/forecast').ForecastMethod, string>,
    trend: { up: 'en hausse', down: 'en baisse', flat: 'stable' } satisfies Record<import('../domain/stocks/forecast').Trend, string>,
    beyondHorizon: 'Au-delà de l’horizon de prévision',
    distanceUnknown: 'distance inconnue (pas de coordonnées)',
  },
  /** National allocation rounds (issue 9): refusals of `allocation.validate` / `allocation.confirm`, the consigne they publish. */
  allocationRounds: {
    nationalOnly: 'Seule la cellule nationale valide une dotation.',
    roundExists: 'Cette dotation est déjà validée.',
    duplicateLine: (finess: string) => `L’établissement ${finess} figure deux fois dans la dotation.`,
    noOpenEvent: 'Aucun événement national ouvert : ouvrez-en un dans la main courante pour y publier la dotation en consigne.',
    notFound: 'Ligne de dotation introuvable.',
    notYourLine: 'Seul l’établissement destinataire (ou sa PUI) confirme la réception de sa dotation.',
    alreadyConfirmed: (by: string, at: string) => `Réception déjà confirmée par ${by} le ${at}.`,
    nothingToConfirm: 'Aucune unité attribuée à votre établissement dans cette dotation : rien à réceptionner.',
    consigne: (molecule: string, presentation: string, allocated: number, supply: number, establishments: number, targetDays: number, weighted: boolean) =>
      `Dotation nationale — ${molecule}, ${presentation} : ${allocated.toLocaleString('fr-FR')} unités réparties sur ${supply.toLocaleString('fr-FR')} disponibles entre ${establishments} établissement${establishments > 1 ? 's' : ''} ` +
      `(objectif ${targetDays.toLocaleString('fr-FR')} jours de couverture, pondération par l’occupation COVID+ ${weighted ? 'activée' : 'désactivée'}). ` +
      'Chaque établissement voit sa ligne dans Stocks › Dotations et confirme la réception à l’arrivée des unités.',
    supply: 'Quantité disponible : un nombre entier d’unités (au moins 1) est attendu.',
    targetDays: 'Jours de couverture visés : entre 1 et 60.',
    noLine: 'Aucun établissement dans la dotation.',
    quota: 'Quota : un nombre entier d’unités, positif ou nul, est attendu.',
  },
  protocol: {
    badPayload: (details: string) => `Requête invalide : ${details}`,
    tooLarge: (max: number) => `Requête trop volumineuse (limite : ${max} octets).`,
    tooMany: (max: number) => `Trop d’opérations dans un seul envoi (limite : ${max}).`,
    wrongClient: 'Cet identifiant de poste appartient à un autre utilisateur.',
    clientMismatch: 'L’identifiant de poste ne correspond pas à celui de la connexion.',
    gap: (expected: number, got: number) =>
      `Opération n° ${got} reçue alors que la n° ${expected} était attendue : renvoyez dans l’ordre.`,
    internal: 'Erreur interne du serveur. L’opération n’a pas été appliquée ; elle sera renvoyée.',
    unauthenticated: 'Session absente ou expirée : reconnectez-vous.',
    cursorAhead: (cursor: number, head: number) =>
      `Curseur n° ${cursor} au-delà du dernier changement du serveur (n° ${head}) : le serveur a été restauré depuis une sauvegarde ; rechargez vos données depuis le curseur 0.`,
  },
  auth: {
    badCredentials: 'Identifiant ou mot de passe incorrect.',
    /** A login refused by the brakes (429), with the wait the `Retry-After` header also gives. */
    tooManyAttempts: (seconds: number) => `Trop de tentatives de connexion : réessayez dans ${waitText(seconds)}.`,
    serverUnreachable: (url: string) => `Serveur de synchronisation injoignable (${url}).`,
    ticketExpired: 'Étape de connexion expirée ou inconnue : saisissez de nouveau votre identifiant et votre mot de passe.',
    badCode: 'Code incorrect : saisissez le code à 6 chiffres affiché par votre application, ou un code de secours.',
    codeReused: 'Ce code a déjà été utilisé : attendez le suivant (30 secondes au plus).',
    tooManyCodes: 'Trop de codes erronés : reconnectez-vous avec votre mot de passe.',
    alreadyEnrolled: 'La double authentification de ce compte est déjà activée.',
    notEnrolling: 'Aucun enrôlement en cours : demandez d’abord un QR code.',
    refreshRefused: 'Session terminée : reconnectez-vous.',
    refreshOtherClient: 'Cette session appartient à un autre poste : elle vient d’être fermée par sécurité. Reconnectez-vous.',
    refreshReused: 'Jeton de session déjà utilisé : la session a été fermée par sécurité. Reconnectez-vous.',
  },
  /** Sync-server messages beyond the wire protocol's own (HTTP, accounts, database). */
  server: {
    futureAt: (minutes: number) =>
      `La date de l’opération est plus de ${minutes} minutes dans le futur : vérifiez l’horloge de ce poste.`,
    valueNotStorable: 'Données invalides : une valeur ne peut pas être enregistrée (caractère nul, nombre hors limites ou texte trop long).',
    notFound: 'Adresse inconnue sur ce serveur.',
    methodNotAllowed: 'Méthode HTTP non autorisée pour cette adresse.',
    jsonExpected: 'Le corps de la requête doit être du JSON (Content-Type: application/json).',
    badJson: 'Le corps de la requête n’est pas un JSON valide.',
    clientIdInvalid: 'Identifiant de poste absent ou invalide.',
    clientIdReserved: 'Cet identifiant de poste est réservé au serveur (flux de registre) : un poste de travail ne peut pas l’utiliser.',
    dbTooNew: (found: number, known: number) =>
      `La base de données est au schéma n° ${found}, plus récent que celui que ce serveur connaît (n° ${known}) : mettez le serveur à jour.`,
    userExists: (username: string) => `L’utilisateur « ${username} » existe déjà.`,
    badUsername: 'Identifiant invalide : 2 à 64 caractères parmi lettres, chiffres, « . », « _ » et « - ».',
    passwordTooShort: (min: number, everyone: number, wide: number) =>
      `Mot de passe trop court : au moins ${min} caractères pour ce compte (${everyone} pour tous, ${wide} pour les comptes nationaux et ARS). Une phrase de plusieurs mots est plus facile à retenir.`,
    passwordTooLong: (max: number) => `Mot de passe trop long (${max} caractères au plus).`,
    passwordIsDemo: 'Ce mot de passe contient celui des comptes de démonstration, qui est public : choisissez-en un autre.',
    passwordHasUsername: 'Le mot de passe ne doit pas contenir l’identifiant du compte.',
    passwordPredictable:
      'Mot de passe trop prévisible (mot courant, suite de clavier, de lettres ou de chiffres, caractères répétés, date ou numéro) : préférez une phrase de plusieurs mots sans lien évident avec vous.',
    badTrustedProxy: (spec: string) =>
      `Proxy de confiance invalide : « ${spec} » (attendu : une adresse IP, un bloc CIDR comme 10.0.0.0/8, ou loopback).`,
    badDisplayName: 'Nom affiché requis (200 caractères au plus).',
    badRole: (role: string) =>
      `Rôle invalide : « ${role} » (attendu : national, ars:<région>, samu:<département>, establishment:<FINESS> ou field:<poste>).`,
    unknownTerritory: (role: string) => `Le territoire du rôle « ${role} » est absent du référentiel.`,
  },
  /** User administration and the audit trail (`sync-server/src/users/admin.ts`, `sync-server/src/audit/`). */
  admin: {
    notAdministrator: 'Seuls les comptes nationaux et ARS administrent des comptes.',
    outOfTerritory: (role: string) =>
      `Le rôle « ${role} » n’est pas sous votre territoire : vous n’administrez que les comptes des territoires placés sous le vôtre.`,
    noSuchUser: 'Aucun compte de votre territoire ne porte cet identifiant.',
    auditNational: 'Le journal d’audit n’est consultable que par les administrateurs nationaux.',
    /** The workstation could not reach the server (administration needs it online). */
    unreachable: 'Serveur de synchronisation injoignable : l’administration des comptes et le journal d’audit demandent une connexion.',
    badAnswer: 'Réponse inattendue du serveur.',
    /** Audit export columns and sheet. */
    sheet: 'Journal d’audit',
    columns: ['N°', 'Date (heure de Paris)', 'Type', 'Acteur', 'Rôle', 'Identifiant de l’acteur', 'Objet', 'Détails', 'Empreinte précédente', 'Empreinte'],
    kinds: {
      mutation: 'Opération',
      login: 'Connexion',
      login_failed: 'Connexion refusée',
      export: 'Export',
      scope_refusal: 'Refus hors périmètre',
      user_change: 'Modification de compte',
      summary_read: 'Lecture de résumé clinique',
      summary_purge: 'Effacement de résumés cliniques (conservation)',
    } as Record<string, string>,
  },
  /** `--verify-audit` (CLI). */
  auditCli: {
    ok: (count: number) => `Journal d’audit intact : ${count.toLocaleString('fr-FR')} entrées, chaîne de hachage vérifiée.`,
    broken: (seq: number, reason: string) => `Journal d’audit altéré : première entrée en défaut n° ${seq} (${reason}).`,
    reasons: {
      sequence: 'numéro d’ordre manquant ou déplacé',
      previous_hash: 'ne porte pas l’empreinte de l’entrée précédente',
      hash: 'son contenu ne correspond plus à son empreinte',
    } as Record<string, string>,
    renameNeeds: '--rename-user demande --name "<nom affiché>".',
    userRenamed: (username: string, name: string) => `Utilisateur ${username} renommé « ${name} ».`,
  },
  /** Several sync nodes sharing Redis (`--redis`, issue 11). */
  cluster: {
    badRedisUrl: (url: string) => `Adresse Redis invalide : « ${url} » (attendu : redis://hôte:port ou rediss://hôte:port).`,
    redisWaiting: (url: string) =>
      `Redis injoignable à ${url} : le serveur démarre quand même ; les annonces restent sur ce nœud et les freins de connexion comptent en mémoire jusqu’à son retour.`,
  },
  /** The sync server's command line (`sync-server/src/cli.ts`): what an operator reads. */
  cli: {
    usage: [
      'Serveur de synchronisation Vigie',
      '',
      'Servir :',
      '  vigie-sync [--port 4100] [--host 127.0.0.1] [--db <fichier>] [--demo] [--trusted-proxy <adresse|CIDR>]… [--totp-roles <rôles>]',
      '             [--redis <redis://hôte:port>]',
      '             [--tls-cert <fichier.pem> --tls-key <fichier.pem>] [--insecure-allow-plain]',
      '',
      'Administrer (sans servir) :',
      '  VIGIE_NEW_PASSWORD=… vigie-sync [--db <fichier>] --add-user <identifiant> --role <rôle> --name "<nom affiché>"',
      '  vigie-sync [--db <fichier>] --disable-user <identifiant> | --enable-user <identifiant>',
      '  vigie-sync [--db <fichier>] --reset-second-factor <identifiant>',
      '  vigie-sync [--db <fichier>] --revoke-sessions <identifiant>',
      '  vigie-sync [--db <fichier>] --add-feed-key "<libellé>" --territory <FR|R:xx>',
      '  vigie-sync [--db <fichier>] --disable-feed-key <id de clé>',
      '  vigie-sync [--db <fichier>] --backup <fichier de sauvegarde>',
      '  vigie-sync [--db <fichier>] --new-epoch',
      '  vigie-sync [--db <fichier>] --list-users',
      '  vigie-sync [--db <fichier>] --rename-user <identifiant> --name "<nom affiché>"',
      '  vigie-sync [--db <fichier>] --verify-audit',
      '  vigie-sync [--db <fichier>] [--summary-retention-days <jours>] --purge-summaries',
      '',
      'Options :',
      '  --port <n>         port d’écoute (0 : un port libre), 4100 par défaut',
      '  --host <adresse>   adresse d’écoute, 127.0.0.1 par défaut',
      '  --tls-cert <fichier.pem>, --tls-key <fichier.pem>',
      '                     certificat (avec sa chaîne) et clé privée du serveur : il sert alors HTTPS et WSS ;',
      '                     obligatoires pour écouter ailleurs que sur la boucle locale (127.0.0.1, ::1, localhost)',
      '  --insecure-allow-plain',
      '                     accepte d’écouter sans TLS hors de la boucle locale (derrière un proxy TLS sur un',
      '                     réseau fermé seulement) : les mots de passe et les données circulent en clair',
      '  (signal SIGHUP : relit --tls-cert et --tls-key et sert le nouveau certificat aux nouvelles connexions)',
      '  --db <fichier>     base SQLite du serveur, ./.vigie-data/server.sqlite par défaut ;',
      '                     ou une base PostgreSQL : --db postgres://utilisateur:mot-de-passe@hôte/base',
      '  --demo             crée les comptes et les données de démonstration',
      '  --redis <redis://hôte:port>',
      '                     plusieurs nœuds derrière une même adresse : les annonces passent d’un nœud',
      '                     à l’autre et les freins de connexion sont comptés en commun dans ce Redis',
      '                     (avec une base PostgreSQL commune)',
      '  --trusted-proxy <adresse|CIDR|loopback>',
      '                     proxy inverse (TLS) dont l’en-tête X-Forwarded-For donne l’adresse',
      '                     du client ; répétable ; sans elle, l’en-tête est ignoré',
      '  --totp-roles <rôles>',
      '                     types de comptes tenus à la double authentification (TOTP), séparés par des',
      '                     virgules, parmi national, ars, samu, establishment, field ; national et ars',
      '                     le sont toujours ; avec --demo, les comptes de démonstration en sont dispensés',
      '  --reset-second-factor <identifiant>',
      '                     efface la double authentification du compte (téléphone perdu) et ferme ses',
      '                     sessions : il en enrôle une nouvelle à sa prochaine connexion',
      '  --revoke-sessions <identifiant>',
      '                     ferme toutes les sessions du compte ; un serveur en marche coupe ses',
      '                     connexions en une seconde',
      '  --log-file <fichier>',
      '                     journal JSON dans ce fichier (rotation chaque jour ou à 10 Mo, 7 fichiers gardés) ;',
      '                     sans elle, le journal va sur la sortie d’erreur',
      '  --log-format json|pretty',
      '                     lignes JSON (par défaut) ou une ligne lisible par entrée',
      '  --config <fichier.json>',
      '                     lit les options de service dans ce fichier JSON (docs/operations.md) ;',
      '                     une option donnée sur la ligne de commande l’emporte sur le fichier',
      '  --metrics-allow <adresse|CIDR|loopback>',
      '                     qui peut lire /metrics (Prometheus) ; répétable ; loopback par défaut',
      '  --drain-seconds <n> arrêt progressif sur SIGTERM : au plus n secondes (10 par défaut) pour',
      '                     finir les requêtes en cours avant de fermer les connexions et de sortir',
      '  --role <rôle>      national, ars:<région>, samu:<département>, establishment:<FINESS> ou field:<poste>',
      '  --backup <fichier> copie la base SQLite, serveur en marche, dans un nouveau fichier (PostgreSQL : pg_dump)',
      '  --new-epoch        donne une nouvelle époque à la base et l’affiche : à lancer, serveur arrêté,',
      '                     après avoir restauré une sauvegarde ; chaque poste recharge alors ses données',
      '                     depuis le serveur (ses opérations en attente sont gardées et renvoyées)',
      '  --verify-audit     vérifie la chaîne du journal d’audit et nomme la première entrée altérée',
      '                     (code de sortie 3 si la chaîne est rompue)',
      '  --summary-retention-days <jours>',
      '                     jours de conservation du résumé clinique d’un transfert terminé (arrivé ou',
      '                     annulé), 30 par défaut ; le serveur efface ensuite le texte au démarrage puis',
      '                     toutes les heures, chez lui et dans le cache de chaque partie (0 : dès la fin)',
      '  --purge-summaries  efface maintenant les résumés cliniques dont la conservation est écoulée,',
      '                     affiche leur nombre et s’arrête (chaque effacement est inscrit au journal d’audit)',
      '  -h, --help         affiche cette aide',
      '',
      'Au démarrage, une seule ligne sur la sortie standard : « VIGIE_SYNC_SERVER_READY <url> » ; le reste sur la sortie d’erreur.',
    ].join('\n'),
    unknownOption: (option: string) => `Option inconnue : ${option}. La liste des options : --help.`,
    missingValue: (option: string) => `L’option ${option} attend une valeur. La liste des options : --help.`,
    unexpectedArgument: (arg: string) => `Argument inattendu : « ${arg} ». La liste des options : --help.`,
    badOptions: (detail: string) => `Options invalides (${detail}). La liste des options : --help.`,
    addUserNeeds: '--add-user demande --role, --name et le mot de passe dans la variable VIGIE_NEW_PASSWORD.',
    userCreated: (username: string, role: string, db: string) => `Utilisateur ${username} (${role}) créé dans ${db}.`,
    feedKeyNeeds: '--add-feed-key demande --territory FR ou R:<région>.',
    feedKeyCreated: (id: string, label: string, territory: string, role: string, db: string) =>
      `Clé de flux ${id} (${label}, ${territory}, rôle ${role}) créée dans ${db} ; la clé n’est affichée qu’une fois.`,
    noFeedKey: (id: string, db: string) => `Aucune clé de flux ${id} dans ${db}.`,
    feedKeyDisabled: (id: string) => `Clé de flux ${id} désactivée.`,
    noUser: (username: string, db: string) => `Aucun utilisateur ${username} dans ${db}.`,
    userDisabled: (username: string) => `Utilisateur ${username} désactivé, ses sessions sont fermées.`,
    userEnabled: (username: string) => `Utilisateur ${username} réactivé.`,
    badTotpRoles: (value: string) =>
      `Rôles invalides pour --totp-roles : « ${value} » (attendu : national, ars, samu, establishment ou field, séparés par des virgules).`,
    secondFactorReset: (username: string) =>
      `Double authentification de ${username} effacée, ses sessions sont fermées : il en enrôlera une nouvelle à sa prochaine connexion.`,
    noSecondFactor: (username: string) => `${username} n’avait pas de double authentification ; ses sessions sont fermées.`,
    sessionsRevoked: (username: string, n: number) => `${n} session(s) de ${username} fermée(s).`,
    badLogFormat: (format: string) => `Format de journal invalide : ${format} (attendu : json ou pretty).`,
    noDatabase: (db: string) => `Aucune base de données à ${db} : indiquez le fichier restauré avec --db.`,
    noServerDatabase: (db: string) => `Aucune base de données à ${db} : indiquez celle du serveur avec --db.`,
    newEpoch: (before: string, epoch: string, db: string) =>
      `Nouvelle époque ${epoch} pour ${db} (l’ancienne était ${before}) : chaque poste rechargera ses données à sa prochaine connexion.`,
    badPort: (port: string) => `Port invalide : ${port} (attendu : un entier de 0 à 65535).`,
    summariesPurged: (n: number, days: number) =>
      n === 0
        ? `Aucun résumé clinique à effacer (conservation : ${days} jour(s) après la fin du transfert).`
        : `${n} résumé(s) clinique(s) effacé(s) (conservation : ${days} jour(s) après la fin du transfert), inscrit(s) au journal d’audit. Les postes des parties effacent le texte à leur prochaine synchronisation.`,
    demoReady: 'Comptes, main courante, lits et transferts de démonstration prêts.',
    listening: (url: string, db: string) => `Serveur de synchronisation à l’écoute sur ${url}, base ${db}.`,
    closing: (signal: string) => `${signal} : arrêt en cours.`,
    closeFailed: 'La fermeture a échoué (détail ci-dessous).',
    failed: 'Le serveur s’est arrêté sur une erreur (détail ci-dessous).',
  },
  /** TLS and the transport rules (server CLI, workstation): docs/security.md, "Transport". */
  transport: {
    tlsPairNeeded: '--tls-cert et --tls-key vont ensemble : indiquez le certificat et sa clé privée.',
    unreadable: (what: string, file: string, detail: string) => `Impossible de lire ${what} ${file} (${detail}).`,
    certificateWord: 'le certificat',
    keyWord: 'la clé privée',
    badCertificate: (file: string) => `${file} n’est pas un certificat X.509 au format PEM.`,
    badKey: (file: string) => `${file} n’est pas une clé privée au format PEM (non chiffrée).`,
    keyMismatch: (cert: string, key: string) => `La clé privée ${key} ne correspond pas au certificat ${cert}.`,
    certificateExpired: (file: string, end: string) => `Le certificat ${file} a expiré le ${end} : renouvelez-le.`,
    certificateExpiresSoon: (file: string, end: string) => `Le certificat ${file} expire le ${end} : préparez son renouvellement (docs/security.md).`,
    plainRefused: (host: string) =>
      `Refus d’écouter sans TLS sur ${host} : hors de la boucle locale, indiquez --tls-cert et --tls-key (ou, derrière un proxy TLS sur un réseau fermé, --insecure-allow-plain).`,
    plainAllowedWarning: (host: string) =>
      `ATTENTION : le serveur écoute SANS TLS sur ${host} (--insecure-allow-plain). Mots de passe, jetons de session et données circulent en clair : n’acceptez cela que derrière un proxy TLS, sur un réseau fermé.`,
    tlsListening: (fingerprint: string, end: string) => `TLS actif : empreinte SHA-256 du certificat ${fingerprint}, valable jusqu’au ${end}.`,
    tlsReloaded: (fingerprint: string, end: string) =>
      `Nouveau certificat servi aux nouvelles connexions : empreinte SHA-256 ${fingerprint}, valable jusqu’au ${end}.`,
    tlsReloadFailed: (detail: string) => `Certificat non rechargé, l’ancien reste servi : ${detail}`,
    badServerUrl: (url: string) => `Adresse du serveur de synchronisation invalide : « ${url} » (attendu : https://hôte:port).`,
    plainServerRefused: (url: string) =>
      `Connexion refusée à ${url} : hors de ce poste, le serveur de synchronisation doit être joint en https:// (les échanges en clair ne sont permis que vers 127.0.0.1 ou localhost).`,
    badFingerprint: (text: string) =>
      `Empreinte de certificat invalide : « ${text} » (attendu : l’empreinte SHA-256, 64 chiffres hexadécimaux, avec ou sans « : »).`,
    pinNeedsHttps: (url: string) => `Une empreinte de certificat est donnée, mais l’adresse du serveur ${url} n’est pas en https://.`,
    pinMismatch: (url: string, got: string) =>
      `Connexion refusée à ${url} : le certificat présenté par le serveur (empreinte SHA-256 ${got}) n’est pas celui attendu par ce poste. Ce peut être une interception : ne vous connectez pas et prévenez l’administrateur.`,
    untrustedCertificate: (url: string, detail: string) =>
      `Connexion refusée à ${url} : certificat du serveur non reconnu (${detail}). Vérifiez l’adresse, ou demandez à l’administrateur l’empreinte du certificat à épingler.`,
    // The proxy of the main process's own connections (main/sync/proxy.ts): each names the proxy and what it answered.
    proxyAuth: (proxy: string, target: string, credentialsSent: boolean) =>
      credentialsSent
        ? `Le proxy ${proxy} refuse l’identifiant fourni pour joindre ${target} (HTTP 407, authentification requise). Vérifiez l’identifiant de HTTPS_PROXY, ou demandez à votre service informatique d’autoriser ce serveur sans authentification.`
        : `Le proxy ${proxy} demande une authentification pour joindre ${target} (HTTP 407) : Vigie ne s’identifie pas auprès d’un proxy. Demandez à votre service informatique d’autoriser ce serveur sans authentification, ou de l’ajouter aux exceptions (« bypass ») de la politique.`,
    proxyRefused: (proxy: string, target: string, status: string) =>
      `Le proxy ${proxy} refuse la connexion à ${target} (réponse HTTP ${status}). Demandez à votre service informatique d’autoriser ce serveur sur le proxy.`,
    proxyUnreachable: (proxy: string, code: string) =>
      `Proxy ${proxy} injoignable depuis ce poste (${code}) : le serveur de synchronisation n’a pas pu être contacté. Vérifiez le réseau, ou l’adresse du proxy avec votre service informatique.`,
    proxyTimeout: (proxy: string, target: string) =>
      `Le proxy ${proxy} ne répond pas (délai dépassé) à la demande de connexion vers ${target} : le serveur de synchronisation n’a pas pu être contacté.`,
    proxyBadAddress: (source: string, text: string) => `Adresse de proxy invalide (${source}) : « ${text} » (attendu : http://hôte:port).`,
    proxySourcePolicy: 'politique d’administration',
    proxySourceSystem: 'réglages du système',
    proxyUnsupported: (answer: string) =>
      `Le proxy des réglages du système (« ${answer} ») n’est pas pris en charge pour la synchronisation : seuls un proxy HTTP ou HTTPS et la connexion directe le sont. Demandez à votre service informatique de fixer le proxy dans la politique d’administration.`,
    proxyLookupFailed: (detail: string) => `Impossible de lire le proxy des réglages du système (${detail}).`,
  },
  /** The register feed (`POST /api/feed/unit-reports`) and its API keys. */
  feed: {
    badKey: 'Clé d’API absente, invalide ou désactivée (en-tête attendu : « Authorization: ApiKey <clé> »).',
    outOfTerritory: (label: string) => `Établissement « ${label} » hors du territoire de la clé.`,
    badTerritory: (territory: string) =>
      `Territoire de clé invalide : « ${territory} » (attendu : FR ou R:<région> d’une région connue).`,
    badLabel: 'Libellé de clé requis (200 caractères au plus).',
    lineNotApplied: 'Erreur interne du serveur : cette ligne n’a pas été appliquée, renvoyez-la.',
    duplicateUnit: (line: number, first: number) =>
      `Ligne ${line} : même unité que la ligne ${first} de cette requête — une unité une fois par requête ; envoyez ses chiffres suivants dans une autre requête.`,
    observedInFuture: (line: number, observed: string, serverTime: string) =>
      `Ligne ${line} : heure d’observation ${observed} postérieure à l’heure du serveur (${serverTime}) — vérifiez l’horloge du registre.`,
  },
  /** The register feed in the ROR's FHIR shape (`POST /api/feed/fhir`): its OperationOutcome diagnostics. */
  fhirFeed: {
    contentType: 'Le corps doit être un Bundle FHIR en JSON (Content-Type: application/fhir+json ou application/json).',
    notBundle: (found: string) =>
      `Le corps n’est pas un Bundle FHIR (resourceType : ${found}) : envoyez un Bundle de type batch, transaction ou collection.`,
    bundleType: (found: string) => `Bundle de type ${found} non accepté : batch, transaction ou collection attendu.`,
    badBundle: (details: string) => `Bundle illisible : ${details}`,
    noLocation: 'Le Bundle ne contient aucune Location : rien à enregistrer.',
    tooManyEntries: (n: number, max: number) => `Le Bundle a ${n} entrées (${max} au plus) : envoyez-le en plusieurs fois.`,
    tooManyLocations: (n: number, max: number) =>
      `Le Bundle contient ${n} Locations (${max} au plus par requête) : envoyez-les en plusieurs fois.`,
    noResource: 'Entrée sans ressource (resource) : rien à lire.',
    badMethod: (method: string) =>
      `Méthode ${method} non prise en charge : ce flux enregistre des Locations (POST ou PUT), il ne lit ni ne supprime rien.`,
    unsupportedResource: (type: string) =>
      `Ressource ${type} non prise en charge : ce flux lit des Locations, et des Organization et HealthcareService comme contexte.`,
    badResource: (type: string, details: string) => `${type} illisible : ${details}`,
    context: (type: string) => `${type} lue comme contexte (établissement ou offre des Locations du Bundle) : rien n’est enregistré pour elle.`,
    applied: (version: number) => `Relevé enregistré (version ${version}).`,
    // A Location that Vigie cannot take as a unit report.
    noManagingOrganization:
      'Location sans managingOrganization : l’établissement (FINESS) de l’unité est inconnu.',
    organizationNotFound: (ref: string) =>
      `managingOrganization « ${ref} » introuvable dans le Bundle : joignez l’Organization qui porte le FINESS de l’établissement.`,
    noFiness: (ref: string) =>
      `Pas de FINESS pour l’établissement « ${ref} » : ni lui ni ses parents (partOf) dans le Bundle n’ont d’identifiant FINESS (type 1 de TRE_G07 ou système finess.esante.gouv.fr).`,
    badFiness: (value: string) => `FINESS « ${value} » invalide : 9 caractères attendus (ex. 750100125).`,
    noUnitId: 'Location sans identifiant (identifier de type 25 ou 26, ni id) : l’unité ne peut pas être reconnue d’un envoi à l’autre.',
    unknownUnitType: (name: string) =>
      `Type d’unité introuvable pour la Location « ${name} » : ni une offre (HealthcareService) qui la référence, ni son nom ou ses alias ne désignent une unité de soins critiques connue (ex. « Réanimations médicales », « Unité de Surveillance Continue (USC) chirurgie »).`,
    noCapacity: 'Location sans capacité (extension ror-location-supported-capacity) : aucun chiffre à enregistrer.',
    noInstalled: 'Aucun nombre de lits installés courant (statut 01 Installé, temporalité 01 Courant).',
    noAvailable:
      'Aucun nombre de lits disponibles courant (statut 02 Disponible, temporalité 01 Courant) : envoyez 0 si l’unité est saturée.',
    badCode: (pos: number, field: string, table: string) =>
      `Capacité n° ${pos} : ${field} absent ou hors du jeu de valeurs du ROR (${table}).`,
    badCount: (pos: number, shown: string) =>
      `Capacité n° ${pos} : nbCapacity ${shown} — nombre entier de lits, positif ou nul, attendu (valueInteger).`,
    badUpdateDate: (pos: number, shown: string) =>
      `Capacité n° ${pos} : capacityUpdateDate ${shown} — date et heure avec fuseau attendues (ex. 2024-07-08T18:15:39+02:00).`,
    duplicateRecord: (pos: number, first: number) =>
      `Capacités n° ${first} et n° ${pos} : mêmes statut, temporalité et qualificatifs — elles seraient comptées deux fois.`,
    badIdentity: (details: string) => `Identité de l’unité invalide : ${details}`,
    duplicateEntry: (entry: number, first: number) =>
      `Entrée ${entry} : même unité que l’entrée ${first} de ce Bundle — une unité une fois par requête ; envoyez ses chiffres suivants dans un autre Bundle.`,
    observedInFuture: (entry: number, observed: string, serverTime: string) =>
      `Entrée ${entry} : capacityUpdateDate ${observed} postérieure à l’heure du serveur (${serverTime}) — vérifiez l’horloge du registre.`,
    // Records read but not counted: said in the answer's outcome, as warnings.
    notBeds: (pos: number, code: string) => `Capacité n° ${pos} ignorée : nature ${code} (places ou logements), seuls les lits comptent ici.`,
    statusIgnored: (pos: number, code: string) =>
      `Capacité n° ${pos} ignorée : statut ${code} (hors du jeu de valeurs d’échange JDV_J188).`,
    forecastIgnored: (pos: number) =>
      `Capacité n° ${pos} ignorée : seules les prévisions de lits disponibles (statut 02) sont gardées.`,
  },
  api: {
    badArgs: (details: string) => `Paramètres invalides : ${details}`,
    unknownCall: (name: string) => `Appel inconnu : ${name}.`,
    /** A call whose name is not even a string (a renderer fault): no JavaScript type name shown. */
    unnamedCall: 'Appel inconnu : nom d’appel absent ou invalide.',
    notLoggedIn: 'Vous n’êtes pas connecté.',
    nothingToDismiss: 'Aucune opération rejetée ne porte ce numéro.',
    internal: 'Erreur interne de l’application.',
    bridgeLost: 'Service local de Vigie injoignable : l’état de la synchronisation est inconnu.',
    bridgeUnreachable: 'Le service local de Vigie ne répond pas : rechargez la page ou relancez Vigie.',
    bridgeRefused: 'Accès refusé par le service local de Vigie : rouvrez l’adresse affichée au lancement.',
  },
  /** The encrypted local cache (`main/store/cipher*.ts`, `main/electron/cacheKey.ts`) and « effacer les données locales ». */
  cacheCipher: {
    wrongKey:
      'Les données locales de ce poste ne peuvent pas être ouvertes avec sa clé (clé perdue ou données d’une autre installation). Rien n’a été modifié. Pour repartir de zéro : menu Fichier › « Se déconnecter et effacer les données locales… » (version navigateur : l’exploitant efface le dossier de données).',
    keyFileDamaged: (file: string) =>
      `La clé des données locales est illisible (${file}). Pour repartir de zéro : menu Fichier › « Se déconnecter et effacer les données locales… » (version navigateur : l’exploitant efface le dossier de données).`,
    keyProtectionMismatch: (stored: string, offered: string) =>
      `La clé des données locales a été protégée par « ${stored} » et ce poste propose « ${offered} » : elle ne peut pas être ouverte ici. Effacez les données locales pour repartir de zéro.`,
    keyUnwrapFailed:
      'Le trousseau du système ne peut pas déchiffrer la clé des données locales (autre compte ou trousseau réinitialisé). Effacez les données locales pour repartir de zéro.',
    envKeyInvalid: (name: string) => `${name} doit contenir 64 chiffres hexadécimaux (32 octets) : la clé des données locales est refusée.`,
    basicTextRefused: (backend: string) =>
      `Aucun trousseau sécurisé n’est disponible sur ce poste (stockage « ${backend} ») : Vigie refuse d’y conserver des données locales. Installez et déverrouillez un trousseau (GNOME Keyring, KWallet) ou demandez à votre administrateur une politique qui l’autorise.`,
    keystoreUnavailable:
      'Le chiffrement du système d’exploitation n’est pas disponible sur ce poste : Vigie refuse d’y conserver des données locales sans protection. Demandez à votre administrateur une politique qui l’autorise.',
    erasePendingChanged: (pending: number) =>
      `${pending === 1 ? '1 opération n’a' : `${pending} opérations n’ont`} pas encore été envoyée${pending === 1 ? '' : 's'} au serveur : confirmez à nouveau pour les effacer quand même.`,
    erased: 'Données locales effacées : reconnectez-vous pour recharger les données du serveur.',
  },
  store: {
    tooNew: (found: number, known: number) =>
      `Les données locales (version ${found}) viennent d’une version plus récente de Vigie (celle-ci connaît la version ${known}) : mettez Vigie à jour.`,
  },
  sync: {
    connecting: 'Connexion au serveur de synchronisation…',
    timeout: 'Le serveur de synchronisation ne répond pas : nouvelle tentative automatique.',
    retry: (detail: string) => `${detail} Nouvelle tentative automatique.`,
    loggedOut: 'Déconnecté : les opérations en attente partiront à la prochaine connexion.',
    /** After a rebuild: the server was restored from a backup; views show its picture, pending operations are sent again. */
    rebuilt: 'Le serveur a été restauré : données rechargées (vos opérations en attente sont renvoyées).',
  },
  /** « Exporter un diagnostic » (`main/diagnostic.ts`, the Aide menu, the help panel). */
  diagnostic: {
    title: 'Diagnostic Vigie pour le support',
    noPolicy: 'aucune politique',
    exported: 'Diagnostic exporté.',
    saveTitle: 'Exporter un diagnostic',
    saved: (path: string) => `Diagnostic enregistré dans ${path}. Envoyez ce fichier au support.`,
    failed: (detail: string) => `Le diagnostic n’a pas pu être enregistré : ${detail}`,
    fileFilter: 'Diagnostic Vigie (JSON)',
  },
  /** The sync server's operations (`sync-server/src/ops/`): readiness, metrics, drain, configuration file. */
  ops: {
    draining: 'Nœud en cours d’arrêt : il ne prend plus de nouvelles connexions.',
    probeTimeout: (name: string, ms: number) => `${name} : pas de réponse en ${ms} ms.`,
    probeFailed: (name: string, detail: string) => `${name} : ${detail}`,
    storeProbe: 'base de données',
    badMetricsAllow: (spec: string) => `--metrics-allow : « ${spec} » n’est ni une adresse IP, ni un bloc CIDR, ni « loopback ».`,
    metricsForbidden: 'Les métriques ne sont servies qu’aux adresses de --metrics-allow.',
    badDrainSeconds: (value: string, max: number) => `--drain-seconds : « ${value} » n’est pas un nombre entier de secondes entre 0 et ${max}.`,
    drainStarted: (seconds: number) => `Arrêt progressif : plus de nouvelle connexion, ${seconds} s au plus pour finir les requêtes en cours.`,
    drainDone: (sockets: number) => `Requêtes en cours terminées ; ${sockets} connexion(s) fermée(s), les postes se reconnectent ailleurs.`,
    drainTimedOut: (pending: number, sockets: number) =>
      `Délai d’arrêt atteint avec ${pending} requête(s) encore en cours (les postes les renverront) ; ${sockets} connexion(s) fermée(s).`,
    drainForced: (seconds: number) => `L’arrêt n’est pas terminé après ${seconds} s : sortie forcée (rien d’acquitté n’est perdu).`,
    configUnreadable: (file: string, detail: string) => `Fichier de configuration ${file} illisible : ${detail}`,
    configNotJson: (file: string, detail: string) => `Fichier de configuration ${file} : JSON invalide (${detail}).`,
    configBad: (file: string, field: string, detail: string) => `Fichier de configuration ${file}, champ « ${field} » : ${detail}`,
    configUnknownField: (file: string, field: string) => `Fichier de configuration ${file} : champ « ${field} » inconnu.`,
    configLoaded: (file: string) => `Configuration lue dans ${file}.`,
    backupNoDatabase: (db: string) => `Aucune base de données à ${db} : indiquez celle du serveur avec --db.`,
    backupExists: (file: string) => `${file} existe déjà : la sauvegarde ne remplace pas un fichier, choisissez un autre nom.`,
    backupPostgres: 'La base PostgreSQL se sauvegarde avec pg_dump (docs/operations.md, « Backup and restore ») : --backup ne vaut que pour SQLite.',
    backupDone: (file: string, pages: number) => `Sauvegarde écrite dans ${file} (${pages} pages). Après une restauration, lancez --new-epoch.`,
  },
  /** What the workstation's log says (`main/log.ts`): read by support, never what people wrote. */
  log: {
    started: 'Services du poste démarrés.',
    stopped: 'Services du poste arrêtés.',
    loggedIn: 'Connexion.',
    loggedOut: 'Déconnexion.',
    callFailed: 'Appel refusé ou en échec.',
    mutationRejected: 'Opération refusée par le serveur.',
    exported: 'Export effectué.',
    listenerFailed: 'Un abonné aux événements a échoué.',
    syncOffline: 'Synchronisation hors ligne.',
    syncOnline: 'Synchronisation en ligne.',
    updateFailed: 'Mise à jour en échec.',
  },
  shell: {
    menuFile: 'Fichier',
    menuQuit: 'Quitter Vigie',
    menuEdit: 'Édition',
    menuUndo: 'Annuler',
    menuRedo: 'Rétablir',
    menuCut: 'Couper',
    menuCopy: 'Copier',
    menuPaste: 'Coller',
    menuSelectAll: 'Tout sélectionner',
    menuView: 'Affichage',
    menuReload: 'Recharger',
    menuZoomIn: 'Zoom avant',
    menuZoomOut: 'Zoom arrière',
    menuZoomReset: 'Taille réelle',
    menuFullScreen: 'Plein écran',
    menuHelp: 'Aide',
    menuAbout: 'À propos de Vigie',
    menuDiagnostic: 'Exporter un diagnostic…',
    menuEraseLocal: 'Se déconnecter et effacer les données locales…',
    eraseTitle: 'Effacer les données locales',
    eraseNonePending: 'Toutes les opérations ont été reçues par le serveur. Les données locales de ce poste (toutes les sessions) et leur clé seront effacées, et vous serez déconnecté.',
    erasePending: (n: number) =>
      `Attention : ${n === 1 ? '1 opération saisie sur ce poste n’a' : `${n} opérations saisies sur ce poste n’ont`} pas encore été reçue${n === 1 ? '' : 's'} par le serveur et ${n === 1 ? 'sera perdue' : 'seront perdues'} définitivement.`,
    eraseConfirm: 'Effacer et se déconnecter',
    eraseCancel: 'Annuler',
    eraseFailed: (detail: string) => `Les données locales n’ont pas été effacées : ${detail}`,
    menuBoards: 'Tableaux',
    boardEventlog: 'Main courante',
    boardTransfers: 'Transferts',
    boardBeds: 'Lits',
    boardStocks: 'Stocks',
    menuCompose: 'Écrire dans la main courante',
    menuAcknowledge: 'Acquitter la consigne sélectionnée',
    menuSearch: 'Rechercher',
    menuShortcuts: 'Raccourcis clavier',
    menuWindow: 'Fenêtre',
    menuMinimize: 'Réduire',
    menuClose: 'Fermer la fenêtre',
    about: (version: string) => `Vigie ${version} — console opérationnelle pour cellules de crise et SAMU.`,
    urgentTitle: (authorPost: string) => `Message urgent de ${authorPost}`,
    urgentBody: (authorName: string, body: string) => `${authorName} : ${body}`,
    startFailed: (detail: string) => `Vigie n’a pas pu démarrer : ${detail}`,
  },
  /** The desktop app's updates (main/updates). */
  updates: {
    noUrl: 'Mises à jour désactivées : aucune adresse de mise à jour n’est configurée pour ce poste.',
    notPackaged: 'Mises à jour désactivées : cette version n’est pas une version installée.',
    webHost: 'Mises à jour sans objet dans la version navigateur.',
    badUrl: (url: string) => `Adresse de mise à jour invalide (${url}) : une adresse https:// est attendue (http:// seulement sur ce poste même).`,
    badChannel: (channel: string) =>
      `Canal de mise à jour invalide (« ${channel} ») : lettres minuscules, chiffres et tirets, 32 caractères au plus (latest, beta…).`,
    failed: (detail: string) => `La mise à jour a échoué : ${detail}`,
    nothingToInstall: 'Aucune mise à jour n’est prête à être installée.',
    outboxNotEmpty: (n: number) =>
      `Redémarrage refusé : ${n} opération${n > 1 ? 's' : ''} de ce poste n’${n > 1 ? 'ont' : 'a'} pas encore été confirmée${n > 1 ? 's' : ''} par le serveur.`,
  },
  /** The administrator policy (`common/app/policy.ts`, `main/policy/`): every message names the file and the field. */
  policy: {
    organisationRequired: 'le nom du service qui gère le poste est requis (« organisation »)',
    tooLong: (max: number) => `${max} caractères au plus`,
    serverUrl: 'adresse http(s) attendue, sans identifiant ni mot de passe (ex. https://vigie.ars-idf.fr)',
    fingerprint: 'empreinte SHA-256 attendue : 64 chiffres hexadécimaux, avec ou sans « : »',
    languageOnlyFr: 'seule la langue « fr » existe',
    boolean: 'true ou false attendu',
    proxyMode: 'mode de proxy attendu : « system », « direct » ou « fixed » (avec « url »)',
    proxyUrl: 'adresse du proxy attendue (ex. http://proxy.ars.fr:3128)',
    updateChannel: 'canal de mise à jour attendu : « latest », « beta » ou « alpha »',
    updateUrl: 'adresse https du dossier de mises à jour attendue, sans identifiant ni mot de passe',
    bannerKind: 'type de bandeau attendu : « exercice » ou « crise »',
    bannerText: 'texte du bandeau requis (80 caractères au plus)',
    notificationsMode: 'valeur attendue : « on », « off » ou « user »',
    issue: (field: string | null, message: string) => (field ? `champ « ${field} » : ${message}` : message),
    /** Start-up stops with this: a managed workstation never runs unmanaged in silence. */
    invalid: (file: string, detail: string) => `La politique d’administration ${file} est invalide — ${detail}. Vigie ne démarre pas sans elle : corrigez le fichier ou contactez votre service informatique.`,
    notJson: (file: string, detail: string) => `La politique d’administration ${file} n’est pas du JSON valide (${detail}). Vigie ne démarre pas sans elle : corrigez le fichier ou contactez votre service informatique.`,
    unreadable: (file: string, detail: string) => `La politique d’administration ${file} ne peut pas être lue (${detail}). Vigie ne démarre pas sans elle.`,
    overrideMissing: (file: string) => `VIGIE_POLICY_FILE désigne ${file}, qui n’existe pas.`,
    /** A settings call that would change a value the policy locks. */
    locked: (organisation: string, fields: string) => `Réglage verrouillé par votre service informatique (${organisation}) : ${fields} ne peut pas être modifié sur ce poste.`,
    serverLocked: (organisation: string) => `L’adresse du serveur est fixée par votre service informatique (${organisation}).`,
    none: 'aucune politique',
    /** Names of the lockable settings, as the dialogs label them. */
    fields: {
      'beds.staleAfterHours': 'le délai de péremption des lits',
      'beds.fewFree': 'le seuil « peu de lits libres »',
      'stocks.red': 'le seuil rouge des stocks',
      'stocks.orange': 'le seuil orange des stocks',
      'transfers.holdHours': 'la durée de réservation',
      'transfers.unansweredAfterMinutes': 'le délai d’une proposition sans réponse',
    } as Record<string, string>,
  },
  /** The first-run screen's connection test (`main/firstRun/probe.ts`): a diagnosis a person can act on. */
  firstRun: {
    badUrl: 'Adresse invalide : saisissez une adresse complète, par exemple https://vigie.ars-idf.fr',
    ok: (url: string, version: string | null) => `Connexion réussie : ${url} est bien un serveur Vigie${version ? ` (version ${version})` : ''}.`,
    dns: (host: string) => `Nom introuvable : « ${host} » n’existe pas dans le DNS. Vérifiez l’orthographe de l’adresse, ou la connexion au réseau de l’établissement.`,
    refused: (host: string, port: string) => `Connexion refusée par ${host} sur le port ${port} : aucun serveur n’écoute à cette adresse. Vérifiez le port, ou que le serveur Vigie est démarré.`,
    timeout: (host: string) => `${host} ne répond pas (délai dépassé) : un pare-feu bloque peut-être la connexion.`,
    unreachable: (host: string, code: string) => `${host} est injoignable depuis ce poste (${code}) : vérifiez le réseau.`,
    tlsSelfSigned: 'Certificat non reconnu : le serveur présente un certificat auto-signé ou émis par une autorité que ce poste ne connaît pas. Demandez à votre service informatique l’empreinte du certificat, ou son autorité.',
    tlsExpired: 'Certificat expiré : le certificat du serveur n’est plus valide.',
    tlsHostname: (host: string) => `Certificat d’un autre serveur : il n’est pas émis pour « ${host} ».`,
    tlsOther: (code: string) => `Échec de la connexion sécurisée (TLS : ${code}).`,
    fingerprintMismatch: (expected: string, got: string) => `Empreinte du certificat différente de celle fixée par votre service informatique : attendue ${expected}, reçue ${got}. Ne vous connectez pas et prévenez votre service informatique.`,
    proxy: (detail: string) => `Le proxy refuse ou ne joint pas le serveur (${detail}). Vérifiez les réglages de proxy avec votre service informatique.`,
    http: (status: number) => `Le serveur répond, mais par une erreur HTTP ${status}.`,
    notVigie: (url: string) => `${url} répond, mais ce n’est pas un serveur Vigie. Vérifiez l’adresse (chemin, port).`,
    other: (detail: string) => `Connexion impossible : ${detail}`,
    signedIn: 'Déconnectez-vous avant de changer de serveur.',
    configured: 'L’adresse du serveur est fixée au lancement de Vigie (ligne de commande ou VIGIE_SERVER_URL).',
  },
  /** Desktop integration (`main/electron/tray.ts`, notifications). */
  desktop: {
    trayTooltip: (count: number) => (count === 0 ? 'Vigie — rien en attente' : `Vigie — ${count} élément${count > 1 ? 's' : ''} en attente d’action`),
    trayDetail: (urgent: number, proposals: number, expired: number) =>
      [
        urgent > 0 ? `${urgent} message${urgent > 1 ? 's' : ''} urgent${urgent > 1 ? 's' : ''} non acquitté${urgent > 1 ? 's' : ''}` : null,
        proposals > 0 ? `${proposals} proposition${proposals > 1 ? 's' : ''} de transfert reçue${proposals > 1 ? 's' : ''}` : null,
        expired > 0 ? `${expired} réservation${expired > 1 ? 's' : ''} expirée${expired > 1 ? 's' : ''}` : null,
      ].filter((x): x is string => x !== null),
    trayOpen: 'Ouvrir Vigie',
    trayQuit: 'Quitter',
  },
  launcher: {
    electronMissing:
      'Le binaire d’Electron ne peut pas être téléchargé sur cette machine : lancez la version navigateur avec « npm run start:web ».',
    nativeFailed: (detail: string) =>
      `Impossible de préparer better-sqlite3 pour Electron (${detail}) : lancez la version navigateur avec « npm run start:web ».`,
    building: 'Construction de l’application…',
    serverStarting: 'Démarrage du serveur de synchronisation de démonstration…',
    webReady: (url: string) => `Vigie est prête : ouvrez ${url}`,
    demoLogins: (users: string, password: string) => `Comptes de démonstration : ${users} (mot de passe : ${password})`,
    stopHint: 'Ctrl-C pour arrêter.',
    childFailed: (what: string, code: string) => `${what} s’est arrêté (code ${code}).`,
    syncServerName: 'Le serveur de synchronisation',
    webHostName: 'L’hôte web',
    serverGone:
      'Vigie reste ouverte dans le navigateur et travaille hors ligne (les messages saisis attendent sur le poste). Appuyez sur Entrée pour relancer le serveur de synchronisation.',
    serverBack: 'Serveur de synchronisation relancé : le poste se reconnecte seul.',
    certificateCreated: (file: string, fingerprint: string) =>
      `Certificat TLS de démonstration créé (${file}), empreinte SHA-256 épinglée par le poste : ${fingerprint}`,
    certificateFailed: (detail: string) =>
      `Impossible de créer le certificat TLS de démonstration avec openssl (${detail}) : installez OpenSSL (Debian : apt install openssl).`,
  },
  /** The stocks board (issue 9, MaPUI+): fields of a stock report, refusals, settings. */
  stocks: {
    label: {
      onHand: 'Stock',
      used7d: 'Consommation sur 7 jours',
      dailyUse: 'Consommation moyenne par jour',
      daysOut: 'Jours de rupture',
      delivered: 'Livraisons reçues',
    },
    field: {
      number: (what: string) => `${what} : un nombre est attendu.`,
      negative: (what: string) => `${what} : la valeur ne peut pas être négative.`,
      tooLarge: (what: string, max: number) => `${what} : plus de ${max.toLocaleString('fr-FR')} unités, vérifiez la saisie.`,
      wholeDays: 'Jours de rupture : un nombre entier de jours est attendu.',
      daysOutMax: (days: number) => `Jours de rupture : ${days} au plus (la période compte ${days} jours).`,
      useTwice: 'Donnez la consommation sur 7 jours ou la consommation moyenne par jour, pas les deux.',
      cip13: 'Code CIP13 à 13 chiffres attendu.',
      finess: 'Numéro FINESS à 9 caractères attendu.',
      lineId: 'Identifiant de ligne invalide.',
      at: 'Heure de comptage invalide (date ISO avec fuseau attendue).',
      commentMax: (max: number) => `Commentaire de plus de ${max} caractères.`,
      noLine: 'Aucune présentation dans le relevé : saisissez au moins un stock.',
      cipTwice: (cip: string) => `La présentation ${cip} figure deux fois dans le relevé.`,
    },
    notPui: 'Seule la pharmacie (PUI) de l’établissement déclare ses stocks ; la cellule nationale peut les corriger.',
    notYourEstablishment: 'Vous ne pouvez déclarer que les stocks de votre établissement.',
    unknownEstablishment: (finess: string) => `Établissement inconnu du référentiel FINESS : ${finess}.`,
    unknownPresentation: (cip: string) => `Présentation inconnue du référentiel des médicaments : CIP13 ${cip}.`,
    lineExists: 'Une ligne de relevé porte déjà cet identifiant.',
    countedInFuture: (counted: string, written: string) =>
      `Heure de comptage (${counted}) postérieure à l’heure de saisie (${written}) : vérifiez l’horloge.`,
    correctionNeedsComment: 'Une correction par la cellule nationale doit dire pourquoi (commentaire).',
    historyOffline: 'Historique des stocks indisponible hors ligne : le poste ne garde que le dernier relevé de chaque présentation.',
    unknownPlace: (place: string) => `Lieu inconnu du référentiel : ${place}.`,
    placeOutOfScope: (label: string) => `« ${label} » est hors de votre périmètre : les courbes ne portent que sur votre territoire ou ce qu’il contient.`,
    settings: {
      number: 'Seuil : un nombre de jours est attendu.',
      range: 'Seuil hors des bornes (0 à 90 jours).',
      order: 'Le seuil orange doit être supérieur ou égal au seuil rouge.',
    },
  },
  /** Regional redeployments of the stocks board (issue 9): refusals, states, stock line comments. */
  redeploy: {
    daysNumber: 'Seuil : un nombre de jours est attendu.',
    daysRange: 'Seuil hors des bornes (0 à 90 jours).',
    thresholdOrder: 'Le seuil d’excédent doit être supérieur ou égal au seuil d’alerte.',
    badId: 'Identifiant de redéploiement invalide.',
    unitsWhole: 'Unités : un nombre entier d’au moins 1 est attendu.',
    noMove: 'Aucun redéploiement choisi : cochez au moins une proposition.',
    notArs: 'Seule l’ARS de la région propose un redéploiement.',
    outsideRegion: (name: string) => `${name} n’est pas dans votre région : un redéploiement reste dans la région de l’ARS.`,
    sameEstablishment: 'Le donneur et le receveur sont le même établissement.',
    exists: 'Un redéploiement porte déjà cet identifiant.',
    unknown: 'Redéploiement inconnu de ce poste.',
    giverLacksUnits: (name: string, have: number, units: number) =>
      `${name} n’a que ${have} unité${have > 1 ? 's' : ''} de cette présentation disponible${have > 1 ? 's' : ''} (hors redéploiements en cours) : impossible d’en envoyer ${units}.`,
    giverUseUnknown: (name: string) => `${name} ne déclare pas sa consommation : sa couverture est inconnue, il ne peut pas donner.`,
    belowSurplus: (name: string, after: number, surplus: number) =>
      `${name} descendrait à ${after.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} j de couverture, sous le seuil d’excédent (${surplus.toLocaleString('fr-FR')} j) : un donneur ne descend jamais sous ce seuil.`,
    wrongState: (step: string, state: string) => `Impossible de ${step} : le redéploiement est ${state}.`,
    notYourStep: (step: string, who: string) => `Seul ${who} peut ${step}.`,
    step: { ship: 'déclarer l’expédition', receive: 'déclarer la réception', cancel: 'annuler' } as Record<'ship' | 'receive' | 'cancel', string>,
    state: { propose: 'proposé', expedie: 'expédié', recu: 'reçu', annule: 'annulé' } as Record<'propose' | 'expedie' | 'recu' | 'annule', string>,
    party: { giver: 'l’établissement donneur', receiver: 'l’établissement receveur', ars: 'l’ARS de la région' } as Record<'giver' | 'receiver' | 'ars', string>,
    giverLineComment: (units: number, to: string) => `Redéploiement : ${units} unité${units > 1 ? 's' : ''} envoyée${units > 1 ? 's' : ''} à ${to} (réception confirmée).`,
    receiverLineComment: (units: number, from: string) => `Redéploiement : ${units} unité${units > 1 ? 's' : ''} reçue${units > 1 ? 's' : ''} de ${from}.`,
  },
  transfersPlanning: {
    /** Why the evacuation planner left a patient unplaced (evacuation.ts `UnplacedReason`). */
    unplaced: {
      no_accepting_unit: 'Aucune unité d’un type accepté pour ce patient n’a de lit libre.',
      no_location: 'Les seules unités d’un type accepté avec un lit libre n’ont pas de coordonnées : temps de route inconnu, à affecter à la main.',
      capacity_exhausted: 'Les lits libres des unités d’un type accepté sont tous attribués à d’autres patients du plan.',
    } satisfies Record<import('../domain/transfers/evacuation').UnplacedReason, string>,
    /** One unit's arithmetic: free beds before, assigned, left. */
    unitArithmetic: (freeBefore: number, assigned: number, left: number) =>
      `${freeBefore} lit${freeBefore > 1 ? 's' : ''} libre${freeBefore > 1 ? 's' : ''} − ${assigned} affecté${assigned > 1 ? 's' : ''} = ${left} restant${left > 1 ? 's' : ''}`,
    /** Road minutes as shown beside a patient or a unit; unknown without coordinates. */
    roadMinutes: (minutes: number | null) => (minutes === null ? 'temps de route inconnu' : `${minutes} min de route`),
    /** The plan's totals. */
    totals: (placed: number, patients: number, totalMinutes: number, maxMinutes: number) =>
      `${placed} patient${placed > 1 ? 's' : ''} placé${placed > 1 ? 's' : ''} sur ${patients} — ${totalMinutes} min de route au total, trajet le plus long ${maxMinutes} min`,
    /** The proposal against the greedy baseline (each patient in turn to the nearest unit with a free bed). */
    versusGreedy: (savedMinutes: number, morePlaced: number) => {
      const gains = [
        morePlaced > 0 ? `${morePlaced} patient${morePlaced > 1 ? 's' : ''} de plus placé${morePlaced > 1 ? 's' : ''}` : null,
        savedMinutes > 0 ? `${savedMinutes} min de route en moins` : null,
      ].filter((x): x is string => x !== null);
      return gains.length ? `${gains.join(', ')} que l’affectation au plus proche` : 'Aussi bon que l’affectation au plus proche, sans mieux';
    },
  },
};

export type FrStrings = typeof fr;
