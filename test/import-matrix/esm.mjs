// Loads every published entry point through its ESM condition and prints what each exports.
import { readFileSync } from 'node:fs';

const entries = JSON.parse(readFileSync(new URL('./entries.json', import.meta.url), 'utf8'));
const result = {};
for (const entry of entries) result[entry] = Object.keys(await import(entry)).sort();
console.log(JSON.stringify(result));
