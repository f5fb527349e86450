import { resolve } from 'node:path';
import { UsageError, type Logger } from '@fingan/gan-core/light';
import { defineCommand, flag } from '../framework.js';
import { DEMO_NAMES } from './demos.js';

/** What every apps/<domain>-demo exports for `fingan demo <name>`. */
export interface DemoSpec {
  name: string;
  summary: string;
  run(args: { out: string; quick: boolean; seed: number; log: Logger }): Promise<{ summary: Record<string, unknown> }>;
}

export const demoCommand = defineCommand({
  path: ['demo'],
  summary: 'run an end-to-end demo on bundled real data: fit, sample, evaluate, write a report',
  flags: {
    name: flag.string(`which demo: ${['all', ...DEMO_NAMES].join(', ')} (or give it as the first word)`, 'NAME'),
    out: flag.string('output directory', 'DIR').default('out'),
    quick: flag.boolean('fewer training steps (a fixed number: the results do not depend on the machine); about 5 minutes in all on 2 cores'),
  },
  examples: ['fingan demo all --quick --out out', 'fingan demo credit --out out/credit'],
  async run(flags, ctx) {
    const name = flags.name ?? 'all';
    if (name !== 'all' && !DEMO_NAMES.includes(name))
      throw new UsageError(`unknown demo '${name}'; choose one of ${['all', ...DEMO_NAMES].join(', ')}`, { flag: '--name' });
    const { loadDemos } = await import('./demos.js');
    const demos = await loadDemos();
    const chosen = name === 'all' ? demos : demos.filter((d) => d.name === name);
    await ctx.backend();
    const out = resolve(flags.out);
    for (const d of chosen) {
      const dir = chosen.length > 1 ? resolve(out, d.name) : out;
      ctx.log.info(`demo ${d.name}: ${d.summary}`);
      const t0 = Date.now();
      const res = await d.run({ out: dir, quick: flags.quick, seed: ctx.seed, log: ctx.log });
      ctx.log.info(`demo ${d.name}: done in ${((Date.now() - t0) / 1000).toFixed(0)}s, report in ${dir}/report.html`);
      ctx.result({ demo: d.name, out: dir, ...res.summary });
    }
  },
});
