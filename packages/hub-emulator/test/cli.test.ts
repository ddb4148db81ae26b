import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe.skipIf(!existsSync(cli))('hub-emulator CLI (built dist/cli.js)', () => {
  it('prints the URL, serves the default repos and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, '--port', '0', '--page-size', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const m = /Hub emulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`cli exited early with ${code}: ${out}`)));
    });
    expect(out).toContain(`HF_ENDPOINT=${url}`);
    const res = await fetch(`${url}/api/models/HooshvareLab/bert-fa-base-uncased/tree/main`);
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(3);
    expect(res.headers.get('link')).toContain('cursor=3');
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
