// `pnpm demo --dashboard`: prints the page's URL on 127.0.0.1, serves it live while the story runs, stops on Ctrl-C.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const demoDir = fileURLToPath(new URL('..', import.meta.url));

describe('pnpm demo --dashboard', () => {
  it('serves the dashboard on a printed 127.0.0.1 URL and stops on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', '--dashboard', '--fast'],
      {
        cwd: demoDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
          const found = /Dashboard: (http:\/\/127\.0\.0\.1:\d+\/breakwater)/.exec(output);
          if (found) resolve(found[1]!);
        });
        child.once('exit', () => reject(new Error(`the demo exited early:\n${output}`)));
      });

      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<h1>Breakwater demo</h1>');
      const events = await fetch(`${url}?events`);
      const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
      let stream = '';
      while (!stream.includes('"name":"profiles"')) {
        const { value, done } = await reader.read();
        if (done) break;
        stream += value;
      }
      expect(stream).toContain('event: snapshot');
      await reader.cancel();

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(output).toContain('API on express at http://127.0.0.1:');
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  }, 30_000);
});
