import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from './index.js';

// The README's first example must run as written (from the repository root).
describe('README example', () => {
  it('runs and samples bad applicants', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)![1];
    const body = code
      .replace(/^import .*$/m, '')
      .replace(/'data\//g, `'${fileURLToPath(new URL('../../../data/', import.meta.url))}`)
      .replace(/'out\/credit-model'/, 'OUT_DIR')
      .replace(/console\.log\(/g, 'LOG(');
    const tmp = mkdtempSync(join(tmpdir(), 'fingan-readme-'));
    const logged: unknown[] = [];
    const run = new Function('core', 'LOG', 'OUT_DIR', `const { ${Object.keys(core).join(', ')} } = core; return (async () => { ${body} })();`);
    await run(core, (x: unknown) => logged.push(x), join(tmp, 'model'));
    expect(logged[0]).toEqual(['bad', 'bad', 'bad']);
    expect(readFileSync(join(tmp, 'model', 'manifest.json'), 'utf8')).toMatch(/"package": "my-app"/);
    rmSync(tmp, { recursive: true, force: true });
  });
});
