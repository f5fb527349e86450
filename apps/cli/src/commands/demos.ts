import type { DemoSpec } from './demo.js';

/** The demos' names, in the order `demo all` runs them (known without loading them: --help and flag errors stay fast). */
export const DEMO_NAMES = ['fraud', 'market', 'credit', 'mining'];

/** The demo of every domain that has landed, loaded when a demo runs; each apps/<domain>-demo adds its export here. */
export async function loadDemos(): Promise<DemoSpec[]> {
  const [{ creditDemo }, { fraudDemo }, { marketDemo }, { miningDemo }] = await Promise.all([
    import('@fingan/credit-risk-demo'),
    import('@fingan/fraud-demo'),
    import('@fingan/market-demo'),
    import('@fingan/data-mining-demo'),
  ]);
  const demos = [fraudDemo, marketDemo, creditDemo, miningDemo];
  if (demos.map((d) => d.name).join() !== DEMO_NAMES.join())
    throw new Error(`DEMO_NAMES (${DEMO_NAMES.join()}) does not match the demos (${demos.map((d) => d.name).join()})`);
  return demos;
}
