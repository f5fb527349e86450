import { afterEach, describe, expect, it, vi } from 'vitest';
import { Progress, createLogger, fmtSeconds, trainingProgress } from './progress.js';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { out, s: { isTTY, write: (x: string) => void out.push(x) } };
}

describe('Progress', () => {
  it('logs a plain line every 10% when not on a TTY', () => {
    const { out, s } = sink(false);
    const p = new Progress('fit', 100, { sink: s });
    for (let i = 1; i <= 100; i++) p.update(i, `loss=${i}`);
    p.finish();
    expect(out.length).toBe(12); // the first update, then 10%, 20% .. 100%, then 'done'
    expect(out[0]).toBe('fit: 1% 1/100 loss=1\n'); // no ETA before a few steps are timed
    expect(out[1]).toMatch(/^fit: 10% 10\/100 loss=10/);
    expect(out.at(-1)).toMatch(/^fit: done \(/);
    expect(out.every((l) => !l.includes('\r'))).toBe(true);
  });
  it('redraws one line on a TTY', () => {
    const { out, s } = sink(true);
    const p = new Progress('fit', 10, { sink: s });
    p.update(10);
    p.finish('trained');
    expect(out[0].startsWith('\r\u001b[2K')).toBe(true);
    expect(out[0].slice(5)).toMatch(/^fit \[#{24}\] 100% 10\/10/);
    expect(out[1]).toMatch(/fit: trained/);
  });
  it('prints nothing when quiet', () => {
    const { out, s } = sink(false);
    const log = createLogger({ quiet: true, sink: s });
    log.info('x');
    log.progress('a', 3).update(3);
    expect(out).toEqual([]);
  });
  describe('ETA', () => {
    afterEach(() => vi.useRealTimers());
    const etaOf = (line: string) => /eta (\S+)/.exec(line)?.[1];

    it('ignores a slow first step, and one slow step later moves it by a few percent, not a multiple', () => {
      vi.useFakeTimers();
      vi.setSystemTime(0);
      const { out, s } = sink(true);
      const p = new Progress('fit', 1000, { sink: s });
      let t = 0;
      const step = (i: number, seconds: number) => {
        t += seconds * 1000;
        vi.setSystemTime(t);
        p.update(i);
      };
      step(1, 60); // set-up (backend, encoders): not a step's cost
      for (let i = 2; i <= 4; i++) step(i, 1);
      expect(etaOf(out.at(-1)!)).toBe('16m36s'); // 996 steps left at 1 s each
      for (let i = 5; i <= 100; i++) step(i, 1);
      step(101, 300); // one very slow step (a busy machine for five minutes)
      const after = Number(/(\d+)m/.exec(etaOf(out.at(-1)!)!)![1]);
      // 899 steps at 1 s is about 15 min; the last step alone would say 75 hours. The outlier counts as 4 s at most,
      // with a weight of 1/50 (memory: 5% of 1000 steps): about 16 minutes.
      expect(after).toBeGreaterThanOrEqual(15);
      expect(after).toBeLessThanOrEqual(17);
      for (let i = 102; i <= 300; i++) step(i, 1);
      expect(etaOf(out.at(-1)!)).toMatch(/^1[12]m\d\ds$/); // back to about 700 s once the machine is quiet again
    });

    it('shows no ETA until three steps are timed', () => {
      vi.useFakeTimers();
      vi.setSystemTime(0);
      const { out, s } = sink(true);
      const p = new Progress('fit', 10, { sink: s });
      for (let i = 1; i <= 3; i++) {
        vi.setSystemTime(i * 1000);
        p.update(i);
      }
      expect(out.every((l) => !l.includes('eta'))).toBe(true);
      vi.setSystemTime(4000);
      p.update(4);
      expect(etaOf(out.at(-1)!)).toBe('6.0s');
    });
  });

  it('reports a training run: steps of the total, and why it stopped', () => {
    const { out, s } = sink(false);
    const onEvent = trainingProgress(createLogger({ sink: s }), 'credit');
    onEvent({ type: 'start', step: 0, totalSteps: 4, resumed: false });
    for (let i = 1; i <= 4; i++) onEvent({ type: 'step', step: i, totalSteps: 4, losses: { step: i, critic: -1.5, generator: 0.25 }, elapsedMs: 0 });
    onEvent({ type: 'stop', step: 4, plannedSteps: 4, reason: 'completed', reproducible: true, elapsedMs: 0 });
    expect(out[0]).toBe('credit: 25% 1/4 critic -1.500 generator 0.250\n');
    expect(out.at(-1)).toMatch(/^credit: completed 4 of 4 steps \(\d/);
    const limited = sink(false);
    const cut = trainingProgress(createLogger({ sink: limited.s }), 'market');
    cut({ type: 'start', step: 0, totalSteps: 500, resumed: false });
    cut({ type: 'stop', step: 64, plannedSteps: 500, reason: 'time-budget', reproducible: false, elapsedMs: 0 });
    expect(limited.out.at(-1)).toMatch(/^market: stopped by the time limit after 64 of 500 steps: this model is not reproducible from its seed \(/);
  });

  it('formats durations', () => {
    expect(fmtSeconds(3.21)).toBe('3.2s');
    expect(fmtSeconds(125)).toBe('2m05s');
  });
});
