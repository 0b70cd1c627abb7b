/**
 * Builders of ROR-shaped FHIR resources for the FHIR feed's tests. Not a test file.
 *
 * Provenance: the resource shapes, extension URLs, code systems and codes follow the ANS ROR
 * FHIR implementation guide (repository `ansforge/IG-fhir-repertoire-offre-ressources-sante`,
 * IG 0.2.0: `StructureDefinition-ror-location-supported-capacity`, profiles `ror-location`,
 * `ror-healthcareservice`, `ror-organization`). `exampleBundle()`'s first Location is the
 * guide's only capacity example (`input/fsh/examples/RORLocationExemple1.fsh`: identifier
 * `24/1073`, name, commune), with the figures changed as in the team's reading notes
 * (installed 15 of which 2 closed réactivable, 3 available now, 5 at +24 h, surge under plan
 * blanc: 2 mobilised, 4 mobilisable with staff). The Organization, the HealthcareServices and
 * the second Location (`11/2046`, a COVID+ medical ICU) are made up for the tests.
 */

const SD = 'https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition';
export const CAPACITY_URL = `${SD}/ror-location-supported-capacity`;
/** A TRE code system URL as the guide's examples write it. */
export const tre = (id: string, name: string) => `https://mos.esante.gouv.fr/NOS/TRE_${id}-${name}/FHIR/TRE-${id.replace('_', '-')}-${name}`;
/** A JDV value set URL, as the guide's draft PATCH page (wrongly) uses it as a coding system. */
export const jdv = (id: string, name: string) => `https://mos.esante.gouv.fr/NOS/JDV_${id}-${name}-ROR/FHIR/JDV-${id}-${name}-ROR/`;

const SYSTEMS = {
  capacityType: tre('R329', 'NatureCapacite'),
  capacityStatus: tre('R330', 'TypeStatutCapacite'),
  temporalityCapacity: tre('R331', 'TemporaliteCapacite'),
  genderCapacityAvailable: tre('R332', 'GenreCapacite'),
  capacityClosingType: tre('R333', 'TypeFermetureCapacite'),
  additionalBedType: tre('R334', 'TypeLitSupplementaire'),
  capacitySourceType: tre('R335', 'TypeSourceCapacite'),
  crisisType: tre('R336', 'TypeCrise'),
  temporaryAssignement: tre('R337', 'AffectationTemporaire'),
} as const;
/** The same fields' value sets (JDV), for senders that put them in `coding.system`. */
const VALUE_SETS: Record<keyof typeof SYSTEMS, string> = {
  capacityType: jdv('J187', 'NatureCapacite'),
  capacityStatus: jdv('J188', 'TypeStatutCapacite'),
  temporalityCapacity: jdv('J189', 'TemporaliteCapacite'),
  genderCapacityAvailable: jdv('J190', 'GenreCapacite'),
  capacityClosingType: jdv('J191', 'TypeFermetureCapacite'),
  additionalBedType: jdv('J192', 'TypeLitSupplementaire'),
  capacitySourceType: jdv('J193', 'TypeSourceCapacite'),
  crisisType: jdv('J194', 'TypeCrise'),
  temporaryAssignement: jdv('J195', 'AffectationTemporaire'),
};

export interface CapacitySpec {
  /** TRE_R330: 01 installé … 06 supplémentaire. */
  status: string;
  /** TRE_R331, default `01` Courant. */
  temporality?: string;
  /** `nbCapacity`'s `valueInteger` (anything, to test bad values). */
  nb: unknown;
  /** TRE_R329, default `01` Lit. */
  type?: string;
  source?: string;
  updated?: string;
  assignment?: string;
  gender?: string;
  closing?: string;
  additional?: string;
  crisis?: string;
  /** How coded values are written: the guide's `valueCodeableConcept` over TRE systems (default), over JDV systems, or the older FSH's `valueCode`. */
  as?: 'concept' | 'jdv' | 'code';
}

/** One `ror-location-supported-capacity` extension: one count for a status, a temporality and its qualifiers. */
export function capacity(c: CapacitySpec): { url: string; extension: object[] } {
  const coded = (url: keyof typeof SYSTEMS, code: string | undefined) =>
    code === undefined
      ? []
      : [c.as === 'code' ? { url, valueCode: code } : { url, valueCodeableConcept: { coding: [{ system: (c.as === 'jdv' ? VALUE_SETS : SYSTEMS)[url], code }] } }];
  return {
    url: CAPACITY_URL,
    extension: [
      ...coded('capacityType', c.type ?? '01'),
      ...coded('capacityStatus', c.status),
      ...coded('temporalityCapacity', c.temporality ?? '01'),
      { url: 'nbCapacity', valueInteger: c.nb },
      ...coded('capacitySourceType', c.source ?? '02'),
      ...coded('genderCapacityAvailable', c.gender),
      ...(c.updated === undefined ? [] : [{ url: 'capacityUpdateDate', valueDateTime: c.updated }]),
      ...coded('capacityClosingType', c.closing),
      ...coded('additionalBedType', c.additional),
      ...coded('crisisType', c.crisis),
      ...coded('temporaryAssignement', c.assignment ?? '01'),
    ],
  };
}

export function location(l: { id: string; rorId?: string; name: string; org?: string; alias?: string[]; capacities: object[] }): Record<string, unknown> {
  return {
    resourceType: 'Location',
    id: l.id,
    meta: { profile: [`${SD}/ror-location`], lastUpdated: '2024-12-05T01:42:39.000+00:00' },
    extension: [
      { url: `${SD}/ror-commune-cog`, valueCodeableConcept: { coding: [{ system: tre('R13', 'CommuneOM'), code: '45234', display: 'Orléans' }] } },
      ...l.capacities,
      { url: `${SD}/ror-meta-creation-date`, valueDateTime: '2024-07-18T11:58:51+00:00' },
    ],
    ...(l.rorId
      ? {
          identifier: [
            {
              type: { coding: [{ system: tre('R354', 'TypeIdentifiantRessourceOperationnelle'), code: '25', display: 'Identifiant du lieu de réalisation de l’offre connu par l’instance ROR' }] },
              value: l.rorId,
            },
          ],
        }
      : {}),
    status: 'active',
    name: l.name,
    ...(l.alias ? { alias: l.alias } : {}),
    type: [{ coding: [{ system: tre('R343', 'FonctionLieu'), code: '001', display: 'Hébergement' }] }],
    ...(l.org ? { managingOrganization: { reference: l.org } } : {}),
  };
}

/** An establishment (EG) carrying its FINESS as the guide's example does (TRE_G07 type `1`). */
export function organization(id: string, finess: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Organization',
    id,
    identifier:
      finess === null
        ? [{ type: { coding: [{ system: tre('G07', 'TypeIdentifiantStructure'), code: '40' }] }, system: 'urn:oid:1.2.250.1.71.4.2.2', value: '1750100125' }]
        : [{ type: { coding: [{ system: tre('G07', 'TypeIdentifiantStructure'), code: '1', display: 'FINESS' }] }, system: 'https://finess.esante.gouv.fr', value: finess }],
    name: 'HOSPITAL UNIVERSITAIRE PITIE SALPETRIERE',
    ...extra,
  };
}

export function service(id: string, locationRef: string, what: { name?: string; specialty?: object[] }): Record<string, unknown> {
  return { resourceType: 'HealthcareService', id, identifier: [{ value: `11/${id}` }], ...what, location: [{ reference: locationRef }] };
}

export function bundle(entries: Array<Record<string, unknown>>, type = 'batch'): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type,
    entry: entries.map((resource) => ({
      fullUrl: `https://ror.example.fr/fhir/${String(resource.resourceType)}/${String(resource.id)}`,
      resource,
      request: { method: 'PUT', url: `${String(resource.resourceType)}/${String(resource.id)}` },
    })),
  };
}

/** An instant written with a `+hh:00` offset (`2024-07-08T20:00:39+02:00`). */
export function atOffset(ms: number, hours: number): string {
  return `${new Date(ms + hours * 3_600_000).toISOString().slice(0, 19)}+${String(hours).padStart(2, '0')}:00`;
}

/**
 * Two Locations of one establishment in the README's shape: a surgical continuous-care unit
 * (the guide's example: closed, forecast and surge beds) and a COVID+ medical ICU (occupied
 * by assignment, beds split by gender, coded with `valueCode` and JDV systems), each with
 * the HealthcareService that says its kind, and the Organization that holds the FINESS.
 */
export function exampleBundle(opts: { finess: string; updated: string; updatedIcu?: string; type?: string }): Record<string, unknown> {
  const at = opts.updated;
  const icuAt = opts.updatedIcu ?? at;
  const usc = location({
    id: 'ror-location-exemple-1',
    rorId: '24/1073',
    name: 'UNITE DE SURVEILLANCE CONTINUE CHIR',
    org: 'Organization/eg-pitie',
    capacities: [
      capacity({ status: '01', nb: 15, updated: at }),
      capacity({ status: '02', nb: 3, gender: '04', updated: at }),
      capacity({ status: '02', temporality: '03', nb: 5, updated: at }),
      capacity({ status: '05', nb: 2, closing: '01', updated: at }),
      capacity({ status: '06', nb: 2, source: '01', additional: '01', crisis: '02', updated: at }),
      capacity({ status: '06', nb: 4, source: '01', additional: '03', crisis: '02', updated: at }),
    ],
  });
  const icu = location({
    id: 'rea-med-covid',
    rorId: '11/2046',
    name: 'REA MED B',
    // By fullUrl, as a transaction's entries may reference each other.
    org: 'https://ror.example.fr/fhir/Organization/eg-pitie',
    capacities: [
      // Later as text, earlier as an instant (18:00Z) than the others (18:15:39Z): `at` compares instants.
      capacity({ as: 'code', status: '01', nb: 20, source: '03', updated: atOffset(Date.parse(icuAt) - 15 * 60_000, 2) }),
      capacity({ as: 'code', status: '02', nb: 1, gender: '01', source: '03', updated: icuAt }),
      capacity({ as: 'code', status: '02', nb: 1, gender: '02', source: '03', updated: icuAt }),
      capacity({ as: 'jdv', status: '03', nb: 12, assignment: '02', updated: icuAt }),
      capacity({ as: 'jdv', status: '03', nb: 4, assignment: '03', updated: icuAt }),
      capacity({ status: '03', nb: 1, assignment: '01', updated: icuAt }),
      capacity({ status: '04', nb: 1, updated: icuAt }),
      capacity({ status: '02', temporality: '02', nb: 0, updated: icuAt }),
      capacity({ status: '02', temporality: '05', nb: 4, updated: icuAt }),
    ],
  });
  return bundle(
    [
      organization('eg-pitie', opts.finess),
      usc,
      service('hs-usc-chir', 'Location/ror-location-exemple-1', { name: 'Unité de Surveillance Continue (USC) chirurgie' }),
      icu,
      service('hs-rea-med', 'https://ror.example.fr/fhir/Location/rea-med-covid', {
        specialty: [{ coding: [{ system: jdv('J17', 'ActiviteOperationnelle'), display: 'Réanimations médicales' }] }],
      }),
    ],
    opts.type,
  );
}
