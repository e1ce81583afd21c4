// Opens an Arrow IPC file with the apache-arrow JavaScript reader (a second, independent Arrow
// implementation) and prints its schema, metadata and rows as one JSON object on stdout.
// Usage: node check.mjs FILE.arrow
import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';

const file = process.argv[2];
if (!file) {
  console.error('usage: node check.mjs FILE.arrow');
  process.exit(2);
}
const table = tableFromIPC(readFileSync(file));

function plain(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (ArrayBuffer.isView(value)) return Array.from(value, plain);
  if (typeof value.toArray === 'function') return Array.from(value.toArray(), plain);
  return value;
}

const fields = table.schema.fields.map((field) => ({
  name: field.name,
  type: String(field.type),
  nullable: field.nullable,
}));
const rows = [];
for (let i = 0; i < table.numRows; i++) {
  const row = {};
  for (const field of table.schema.fields) {
    row[field.name] = plain(table.getChild(field.name).get(i));
  }
  rows.push(row);
}
console.log(JSON.stringify({
  fields,
  metadata: Object.fromEntries(table.schema.metadata),
  numRows: table.numRows,
  rows,
}));
