/**
 * A small RFC 4180 CSV reader. Runs anywhere (no Node, no DOM).
 *
 * Accepts `,` or `;` separators, quoted fields with doubled quotes, CRLF or LF line ends and
 * a leading UTF-8 BOM. Each record carries the physical line it started on so that import
 * errors can name it.
 */
export interface CsvRecord {
  /** 1-based line number of the record's first line in the file (the header is line 1). */
  line: number;
  fields: string[];
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

export function parseCsv(text: string, separator?: ',' | ';'): CsvTable {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const sep = separator ?? detectSeparator(src);
  const rows: CsvRecord[] = [];
  let field = '';
  let fields: string[] = [];
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let i = 0;
  const pushRecord = (): void => {
    fields.push(field);
    field = '';
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: recordLine, fields });
    fields = [];
  };
  while (i < src.length) {
    const c = src[i];
    if (inQuotes) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') inQuotes = true;
    else if (c === sep) {
      fields.push(field);
      field = '';
    } else if (c === '\r') {
      // swallowed: CRLF is handled on the following \n; a lone CR also ends a line
      if (src[i + 1] !== '\n') {
        pushRecord();
        line++;
        recordLine = line;
      }
    } else if (c === '\n') {
      pushRecord();
      line++;
      recordLine = line;
    } else field += c;
    i++;
  }
  if (field !== '' || fields.length > 0) pushRecord();
  const [head, ...records] = rows;
  return { header: head ? head.fields.map((h) => h.trim()) : [], records };
}

function detectSeparator(text: string): ',' | ';' {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const commas = firstLine.split(',').length;
  const semis = firstLine.split(';').length;
  return semis > commas ? ';' : ',';
}

/** Maps each record to an object keyed by the header's names. */
export function csvObjects(table: CsvTable): Array<Record<string, string> & { _line: string }> {
  return table.records.map((r) => {
    const o: Record<string, string> = { _line: String(r.line) };
    table.header.forEach((h, idx) => {
      o[h] = r.fields[idx] ?? '';
    });
    return o as Record<string, string> & { _line: string };
  });
}

/**
 * Windows-1252's printable characters at 0x80–0x9F, where ISO-8859-1 has C1 controls. Excel
 * writes French text this way (’ œ € …). Node's TextDecoder decodes both `latin1` and
 * `windows-1252` as plain ISO-8859-1, so the table is applied here. Undefined slots stay.
 */
const CP1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * Decodes a file's bytes (an import chosen by a user): UTF-8 when they are valid UTF-8 (a leading BOM is dropped), else
 * Latin-1 read as Windows-1252 (its superset for printable text, what Excel writes in France).
 */
export function decodeTextBytes(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'latin-1' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    const text = new TextDecoder('latin1').decode(bytes).replace(/[\u0080-\u009f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]);
    return { text, encoding: 'latin-1' };
  }
}
