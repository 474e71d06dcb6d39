// Loads every published entry point through its CommonJS condition and prints what each exports.
const entries = require('./entries.json');
const result = {};
for (const entry of entries) result[entry] = Object.keys(require(entry)).sort();
console.log(JSON.stringify(result));
