// bench/INSTRUCTIONS.md: each harness that counts instructions rewrites its own "## " sections.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { machine } from './machine.js';

const FILE = new URL('../INSTRUCTIONS.md', import.meta.url);

/**
 * Writes `sections` (title → lines) into INSTRUCTIONS.md, keeping every other section the file has.
 * Sections come in `order` (titles), then any kept one `order` does not name.
 */
export function writeInstructionSections(
  sections: ReadonlyMap<string, readonly string[]>,
  order: readonly string[],
): void {
  const all = new Map<string, readonly string[]>();
  const previous = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '';
  for (const part of previous.split(/^## /m).slice(1)) {
    const title = part.slice(0, part.indexOf('\n'));
    all.set(title, part.slice(title.length).trim().split('\n'));
  }
  for (const [title, lines] of sections) all.set(title, lines);
  const titles = [...order.filter((title) => all.has(title))];
  for (const title of all.keys()) if (!titles.includes(title)) titles.push(title);
  const host = machine();
  writeFileSync(
    FILE,
    [
      '# Instructions per request',
      '',
      'Written by `pnpm --filter @breakwater/bench instructions` and `micro-instructions` (see',
      'README.md, "Instructions per request"); counted by callgrind, so the figures repeat on a busy',
      `machine where CPU time does not. ${host.cpu}, ${host.platform}. Each section says when and how`,
      'it was measured; a run rewrites the sections it measured and keeps the others.',
      '',
      ...titles.map((title) => `## ${title}\n\n${all.get(title)!.join('\n')}\n`),
    ].join('\n'),
  );
}
