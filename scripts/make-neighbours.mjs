// Derives which départements border each other from a GeoJSON of their outlines (the
// full-resolution one the bundled map was simplified from), for the SAMU view's "this
// département and its neighbours". Two départements are neighbours when their outlines
// share at least two vertices (one shared point is a corner touch). Writes the CSV to stdout.
//   node scripts/make-neighbours.mjs <departements.geojson> > resources/referential/departements_voisins.csv
import { readFileSync } from 'node:fs';

const path = process.argv[2];
if (!path) {
  console.error('Usage : node scripts/make-neighbours.mjs <departements.geojson>');
  process.exit(2);
}
const features = JSON.parse(readFileSync(path, 'utf8')).features;
/** vertex "lon,lat" (rounded to 1e-4°, about 10 m) → département codes */
const owners = new Map();
for (const f of features) {
  const code = f.properties.code;
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (const poly of polys)
    for (const ring of poly)
      for (const [lon, lat] of ring) {
        const key = `${lon.toFixed(4)},${lat.toFixed(4)}`;
        let set = owners.get(key);
        if (!set) owners.set(key, (set = new Set()));
        set.add(code);
      }
}
const shared = new Map();
for (const set of owners.values()) {
  if (set.size < 2) continue;
  for (const a of set)
    for (const b of set) {
      if (a >= b) continue;
      const k = `${a}|${b}`;
      shared.set(k, (shared.get(k) ?? 0) + 1);
    }
}
const rows = [...shared.entries()].filter(([, n]) => n >= 2).map(([k]) => k.split('|')).sort((x, y) => x[0].localeCompare(y[0]) || x[1].localeCompare(y[1]));
process.stdout.write('dep_a,dep_b\n' + rows.map((r) => r.join(',')).join('\n') + '\n');
