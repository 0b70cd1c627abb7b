// Writes the short name of every bundled establishment (`common/establishmentNames.ts`'s
// rules) next to the FINESS file, so that no process pays for computing 2,277 of them when
// it starts (65–200 ms measured on this machine). `tests/unit/common/shortNamesFile.test.ts`
// fails when the rules change and the file was not regenerated.
//   npx tsx scripts/make-short-names.ts > resources/referential/etablissements_noms_courts.csv
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shortNamesCsv } from '../common/territory';

const dir = join(import.meta.dirname, '..', 'resources', 'referential');
process.stdout.write(shortNamesCsv((file) => readFileSync(join(dir, file), 'utf8')));
