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
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      // Resolves with the first match of `pattern` in the demo's output so far or to come.
      const printed = (pattern: RegExp) =>
        new Promise<RegExpExecArray>((resolve, reject) => {
          const look = () => {
            const found = pattern.exec(output);
            if (!found) return;
            child.stdout.off('data', look);
            resolve(found);
          };
          child.stdout.on('data', look);
          child.once('exit', () => reject(new Error(`the demo exited early:\n${output}`)));
          look();
        });
      const url = (await printed(/Dashboard: (http:\/\/127\.0\.0\.1:\d+\/breakwater)/))[1]!;

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
      // With REDIS_URL the demo starts two replicas before it prints where the API listens, and
      // the breaker shows on the page as soon as the first one starts.
      await printed(/API on express at http:\/\/127\.0\.0\.1:/);

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(output).toContain('Stopping.');
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  }, 30_000);
});
