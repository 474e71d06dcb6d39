// Every TypeScript block in README.md type-checks against the built packages and runs without error.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rejection, rejectionResponse, routeScope } from '@breakwater/core/adapter';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = fileURLToPath(new URL('./.snippets/', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** Ends a snippet that leaves handles open (an ioredis client, say) once it has run without error. */
const EPILOGUE = '\nsetTimeout(() => process.exit(0), 1500).unref();\nexport {};\n';

describe('README code blocks', () => {
  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    blocks.forEach((code, i) =>
      writeFileSync(`${dir}block-${i + 1}.ts`, `import '../prelude.js';\n${code}${EPILOGUE}`),
    );
    writeFileSync(
      `${dir}tsconfig.json`,
      JSON.stringify({
        extends: '../../../tsconfig.base.json',
        compilerOptions: { noEmit: true, noUnusedLocals: false },
        include: ['*.ts', '../globals.d.ts', '../prelude.ts'],
      }),
    );
  });

  it('has TypeScript blocks to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
  });

  it('every block type-checks (strict) against the packages', () => {
    const tsc = `${root}node_modules/typescript/bin/tsc`;
    const result = spawnSync(process.execPath, [tsc, '-p', `${dir}tsconfig.json`], {
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
  });

  it.each(blocks.map((_, i) => i + 1))('block %i runs without error', (n) => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', `${dir}block-${n}.ts`], {
      cwd: root,
      encoding: 'utf8',
      timeout: 15_000,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    expect(typeof output).toBe('string');
  });
});

describe('README HTTP transcript', () => {
  it('shows the same headers and body members as a real short-circuit response', () => {
    const transcript = /```http\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const [head = '', body = ''] = transcript.split('\n\n');
    const shown = head
      .split('\n')
      .slice(1)
      .map((line) => line.split(':')[0]!.toLowerCase());
    const real = rejectionResponse(
      new Rejection('GET /users/:id', 'open', 27_000),
      routeScope('GET', '/users/:id'),
    );
    const expected = Object.keys(real.headers)
      .map((h) => h.toLowerCase())
      .filter((h) => h !== 'content-length');
    for (const header of expected) expect(shown).toContain(header);
    const shownBody = JSON.parse(body.replace(/\n\s*/g, '')) as Record<string, unknown>;
    expect(shownBody).toEqual(JSON.parse(real.body));
  });
});
