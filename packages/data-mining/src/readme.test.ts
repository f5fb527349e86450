import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as core from '@fingan/gan-core';
import { expect, it } from 'vitest';
import * as api from './index.js';

// The README opens with a runnable example; it runs here as written, with the data path made absolute and
// console.log captured, and prints what the README says it prints.
it('the README example runs and prints what the README says', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(readme)![1];
  const body = code
    .replace(/^import .*$/gm, '')
    .replace(/'data\//g, `'${fileURLToPath(new URL('../../../data/', import.meta.url))}`)
    .replace(/console\.log\(/g, 'LOG(');
  const logged: string[] = [];
  const names = [...new Set([...Object.keys(core), ...Object.keys(api)])].filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  const all = { ...core, ...api } as Record<string, unknown>;
  const run = new Function('ALL', 'LOG', `const { ${names.join(', ')} } = ALL; return (async () => { ${body}; return { itemsets, rules }; })();`);
  const { itemsets, rules } = await run(all, (s: string) => logged.push(s));
  expect(logged).toHaveLength(3);
  expect(logged[0]).toBe('vegetables + biscuits -> bread and cake, lift 1.17');
  expect(readme).toContain(`(${itemsets.length} itemsets, ${rules.length} rules)`);
});
