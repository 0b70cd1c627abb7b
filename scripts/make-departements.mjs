// Produces the bed map's bundled outlines (renderer/public/geo/departements.json) from the
// full-resolution GeoJSON of the départements, with topojson: the outlines become a topology
// (a border two départements share is one arc), each arc is simplified once (Visvalingam,
// the weight that keeps 6 % of the points), rings under 0.0005 square degree are dropped
// (islets; the script stops if a whole département would vanish), and the features are rebuilt, so
// neighbours still meet exactly along their simplified border: no slivers, no overlaps.
//   node scripts/make-departements.mjs <departements.geojson> > renderer/public/geo/departements.json
import { readFileSync } from 'node:fs';
import { topology } from 'topojson-server';
import { filter, filterWeight, presimplify, quantile, simplify } from 'topojson-simplify';
import { feature } from 'topojson-client';

const KEEP = 0.06;
const MIN_RING_AREA = 0.0005;
const SOURCE = 'gregoiredavid/france-geojson@5d34ee6d departements-avec-outre-mer.geojson';

const path = process.argv[2];
if (!path) {
  console.error('Usage : node scripts/make-departements.mjs <departements.geojson>');
  process.exit(2);
}
const src = JSON.parse(readFileSync(path, 'utf8'));
const topo = presimplify(topology({ d: src }));
const weight = quantile(topo, KEEP);
const simplified = filter(simplify(topo, weight), filterWeight(topo, MIN_RING_AREA));
const round = (v) => Math.round(v * 1000) / 1000;
const departements = feature(simplified, simplified.objects.d)
  .features.map((f) => {
    if (!f.geometry) throw new Error(`département ${f.properties.code}: nothing left after simplification`);
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    return { code: f.properties.code, nom: f.properties.nom, polygons: polygons.map((p) => p.map((ring) => ring.map(([lon, lat]) => [round(lon), round(lat)]))) };
  })
  .sort((a, b) => a.code.localeCompare(b.code));
process.stdout.write(JSON.stringify({ source: SOURCE, method: `topojson-simplify, ${KEEP * 100} % of points kept, rings under ${MIN_RING_AREA} sq. deg. dropped`, departements }));
