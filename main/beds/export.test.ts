import { describe, expect, it } from 'vitest';
import { ageHours, exportFileName, HAVE_NAMESPACE, haveBedType, unitsToCsv, unitsToHave, xmlEscape } from './export';
import type { UnitView } from '../../common/domain/beds/views';

const NOW = Date.parse('2020-03-24T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();

function unit(over: Partial<UnitView>): UnitView {
  return {
    id: crypto.randomUUID(),
    finess: '750100125',
    unitType: over.unitType ?? 'REA_MED',
    unitId: over.unitType ?? 'REA_MED',
    unitName: null,
    atKnown: true,
    surge: null,
    assignment: null,
    temporary: false,
    ror: null,
    installed: 20,
    staffed: 18,
    available: 4,
    covidPos: null,
    covidNeg: null,
    extra24h: null,
    extra72h: null,
    comment: '',
    source: 'app',
    reportedBy: 'Dr Nadia Benali',
    reportedRole: 'establishment:750100125',
    at: hoursAgo(2),
    version: 7,
    pending: false,
    establishmentName: 'HOSPITAL UNIVERSITAIRE PITIE SALPETRIERE',
    establishmentShortName: 'Hôpital Pitié-Salpêtrière',
    city: 'PARIS',
    dep: '75',
    region: '11',
    lat: 48.84024,
    lon: 2.3631,
    ...over,
  };
}

// ---- a minimal XML reader for the test: elements, attributes, text; throws on anything ill-formed

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

function decodeEntities(s: string): string {
  if (/&(?!(amp|lt|gt|quot|apos);)/.test(s)) throw new Error(`bad entity in ${s}`);
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? '');
}

function parseXml(xml: string): XmlNode {
  let src = xml.replace(/^<\?xml[^?]*\?>\s*/, '').replace(/<!--[\s\S]*?-->/g, '');
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  const tag = /^<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*"[^"<]*")*)\s*(\/?)>/;
  while (src.length > 0) {
    const lt = src.indexOf('<');
    if (lt < 0) {
      if (src.trim()) throw new Error('text after the root element');
      break;
    }
    const text = src.slice(0, lt);
    if (text.includes('>')) throw new Error(`stray > in ${text}`);
    stack[stack.length - 1].text += decodeEntities(text);
    src = src.slice(lt);
    const m = tag.exec(src);
    if (!m) throw new Error(`ill-formed tag at ${src.slice(0, 40)}`);
    const [whole, closing, name, attrText, selfClosing] = m;
    src = src.slice(whole.length);
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w.:-]+)\s*=\s*"([^"]*)"/g)) attrs[a[1]] = decodeEntities(a[2]);
    const node: XmlNode = { name, attrs, children: [], text: '' };
    stack[stack.length - 1].children.push(node);
    if (!selfClosing) stack.push(node);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1) throw new Error('exactly one root element expected');
  return root.children[0];
}

const kids = (n: XmlNode, name: string) => n.children.filter((c) => c.name === name);
const kid = (n: XmlNode, name: string): XmlNode => {
  const found = kids(n, name);
  if (found.length !== 1) throw new Error(`${n.name}: expected one <${name}>, found ${found.length}`);
  return found[0];
};
const textOf = (n: XmlNode, ...path: string[]) => path.reduce((x, p) => kid(x, p), n).text.trim();

describe('the test’s XML reader', () => {
  it('refuses ill-formed documents (so the checks below can fail)', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow();
    expect(() => parseXml('<a>x & y</a>')).toThrow();
    expect(() => parseXml('<a>')).toThrow();
    expect(parseXml('<a x="1 &amp; 2"><b>t</b></a>').attrs.x).toBe('1 & 2');
  });
});

describe('EDXL-HAVE export', () => {
  const units: UnitView[] = [
    unit({ unitType: 'REA_MED', installed: 20, staffed: 18, available: 4, at: hoursAgo(2), extra24h: 2, extra72h: 6 }),
    unit({ unitType: 'REA_CHIR', installed: 12, staffed: 10, available: 1, at: hoursAgo(30), extra24h: 1, extra72h: 2 }),
    unit({ unitType: 'REA_PED', installed: 8, staffed: 8, available: 2, at: hoursAgo(1) }),
    unit({ unitType: 'SI_USIC', installed: 10, staffed: 10, available: 3, at: hoursAgo(5) }),
    unit({
      finess: '920000460',
      unitType: 'REA_BRULES',
      installed: 6,
      staffed: 5,
      available: 0,
      at: hoursAgo(3),
      establishmentName: 'CLCC <Curie> & "René" l’Huguenin',
      dep: '92',
      lat: null,
      lon: null,
    }),
  ];
  const doc = parseXml(unitsToHave(units, new Date(NOW).toISOString()));

  it('is one HospitalStatus in the HAVE namespace with one Hospital per establishment', () => {
    expect(doc.name).toBe('HospitalStatus');
    expect(doc.attrs.xmlns).toBe(HAVE_NAMESPACE);
    expect(kids(doc, 'Hospital')).toHaveLength(2);
  });

  it('names the organisation by FINESS and name, with its location when known, names escaped', () => {
    const [pitie, curie] = kids(doc, 'Hospital');
    const name = kid(kid(kid(pitie, 'Organization'), 'OrganizationInformation'), 'xnl:OrganisationName');
    expect(name.attrs['xnl:ID']).toBe('750100125');
    expect(textOf(name, 'xnl:NameElement')).toBe('HOSPITAL UNIVERSITAIRE PITIE SALPETRIERE');
    expect(textOf(pitie, 'Organization', 'OrganizationGeoLocation', 'gml:Point', 'gml:pos')).toBe('48.84024 2.3631');
    const curieOrg = kid(curie, 'Organization');
    expect(textOf(curieOrg, 'OrganizationInformation', 'xnl:OrganisationName', 'xnl:NameElement')).toBe('CLCC <Curie> & "René" l’Huguenin');
    expect(kids(curieOrg, 'OrganizationGeoLocation')).toHaveLength(0);
  });

  it('sums units per HAVE bed type (available, staffed as baseline), French types as vigie: extensions', () => {
    const pitie = kids(doc, 'Hospital')[0];
    const capacities = kids(kid(pitie, 'HospitalBedCapacityStatus'), 'BedCapacity').map((b) => {
      const c = kid(b, 'Capacity');
      return {
        type: textOf(b, 'BedType'),
        status: textOf(c, 'CapacityStatus'),
        available: Number(textOf(c, 'AvailableCount')),
        baseline: Number(textOf(c, 'BaselineCount')),
        extra24: kids(c, 'AdditionalCapacityCount24Hr').map((n) => Number(n.text)),
      };
    });
    expect(capacities).toEqual([
      { type: 'AdultICU', status: 'Vacant/Available', available: 5, baseline: 28, extra24: [3] },
      { type: 'PediatricICU', status: 'Vacant/Available', available: 2, baseline: 8, extra24: [] },
      { type: 'vigie:USIC', status: 'Vacant/Available', available: 3, baseline: 10, extra24: [] },
    ]);
    const curie = kids(doc, 'Hospital')[1];
    expect(textOf(kid(kid(curie, 'HospitalBedCapacityStatus'), 'BedCapacity'), 'BedType')).toBe('Burn');
  });

  it('dates each Hospital by its OLDEST report: never fresher than its stalest unit', () => {
    const [pitie, curie] = kids(doc, 'Hospital');
    expect(textOf(pitie, 'LastUpdateTime')).toBe(hoursAgo(30));
    expect(textOf(curie, 'LastUpdateTime')).toBe(hoursAgo(3));
    // HAVE's order inside a Hospital: Organization, bed capacity, then LastUpdateTime.
    expect(pitie.children.map((c) => c.name)).toEqual(['Organization', 'HospitalBedCapacityStatus', 'LastUpdateTime']);
  });

  it('compares report times as instants, whatever their offsets', () => {
    // 10:00+02:00 (08:00 UTC) is the oldest, though "10" sorts after "09" as text.
    const mixed = [unit({ unitType: 'REA_MED', at: '2020-03-24T09:00:00Z' }), unit({ unitType: 'REA_CHIR', at: '2020-03-24T10:00:00+02:00' })];
    const [hospital] = kids(parseXml(unitsToHave(mixed, new Date(NOW).toISOString())), 'Hospital');
    expect(textOf(hospital, 'LastUpdateTime')).toBe('2020-03-24T10:00:00+02:00');
  });

  it('maps every Vigie unit type to a HAVE type or a vigie: extension', () => {
    expect(haveBedType('REA_NEONAT')).toBe('NeonatalICU');
    expect(haveBedType('USC_POLY')).toBe('vigie:USCPolyvalente');
  });

  it('escapes markup and drops characters XML forbids', () => {
    expect(xmlEscape('a<b>&"c\'\u0001')).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });

  it('an empty picture is still a valid document', () => {
    expect(kids(parseXml(unitsToHave([], new Date(NOW).toISOString())), 'Hospital')).toHaveLength(0);
  });
});

describe('CSV export', () => {
  const csv = unitsToCsv(
    [
      unit({ unitType: 'SI_USIC', installed: 10, staffed: 10, available: 3, at: hoursAgo(30), covidPos: 4, covidNeg: 3 }),
      unit({ unitType: 'REA_MED', at: hoursAgo(2.25), extra24h: 2, extra72h: 6 }),
      unit({ finess: '920000460', establishmentName: '=HYPERLIEN("x";"y")', dep: '92', at: hoursAgo(1) }),
    ],
    { now: NOW, staleAfterHours: 24, regionName: (c) => (c === '11' ? 'Île-de-France' : c) },
  );

  it('is UTF-8 with a BOM, `;`-separated, CRLF, with the French header', () => {
    expect(csv.startsWith('\ufeffrégion;département;FINESS;établissement;type d’unité;unité;identifiant d’unité;installés;armés;disponibles;dont lits de renfort;COVID+;COVID−;')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(5);
  });

  it('has one row per unit in place order, with its age in hours and whether it is stale', () => {
    const rows = csv.slice(1).split('\r\n').slice(1, -1);
    expect(rows[0]).toBe(
      'Île-de-France;75;750100125;HOSPITAL UNIVERSITAIRE PITIE SALPETRIERE;Réanimation médicale;;REA_MED;20;18;4;;;;2;6;2020-03-24 10:45;oui;2,3;non;;non',
    );
    expect(rows[1]).toBe(
      'Île-de-France;75;750100125;HOSPITAL UNIVERSITAIRE PITIE SALPETRIERE;Soins intensifs de cardiologie (USIC);;SI_USIC;10;10;3;;4;3;;;2020-03-23 07:00;oui;30,0;oui;;non',
    );
  });

  it('names each unit (two of one type stay apart) and says when the source did not date its figures', () => {
    const two = unitsToCsv(
      [
        unit({ unitId: '94/667', unitName: 'Gosset', at: hoursAgo(1), atKnown: false }),
        unit({ unitId: '94/666', unitName: 'Babinski', at: hoursAgo(1) }),
      ],
      { now: NOW, staleAfterHours: 24, regionName: () => 'Île-de-France' },
    );
    const rows = two.slice(1).split('\r\n').slice(1, -1).map((r) => r.split(';'));
    expect(rows.map((r) => [r[5], r[6], r[16]])).toEqual([
      ['Babinski', '94/666', 'oui'],
      ['Gosset', '94/667', 'non'],
    ]);
  });

  it('counts the surge beds inside the available ones and says a unit is COVID+ or temporary', () => {
    const row = unitsToCsv(
      [unit({ unitId: 'REA_MEDCHIR COVID+ TEMP', unitType: 'REA_MEDCHIR', installed: 10, staffed: 16, available: 2, surge: 6, assignment: 'covid+', temporary: true, at: hoursAgo(1) })],
      { now: NOW, staleAfterHours: 24, regionName: () => 'Île-de-France' },
    )
      .slice(1)
      .split('\r\n')[1]
      .split(';');
    expect([row[7], row[8], row[9], row[10], row[19], row[20]]).toEqual(['10', '16', '2', '6', 'COVID+', 'oui']);
  });

  it('never lets a cell become a spreadsheet formula, and quotes separators', () => {
    const row = csv.split('\r\n')[3];
    expect(row).toContain(`;"'=HYPERLIEN(""x"";""y"")";`);
  });

  it('helpers: age with a decimal comma, a file name with scope and Paris time', () => {
    expect(ageHours(hoursAgo(0.04), NOW)).toBe('0,0');
    expect(exportFileName('R:11', NOW, 'csv')).toBe('lits-soins-critiques-R-11-2020-03-24-1300.csv');
  });
});
