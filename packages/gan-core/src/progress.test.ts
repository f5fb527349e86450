import { describe, expect, it } from 'vitest';
import { Progress, createLogger, fmtSeconds } from './progress.js';

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
    expect(out[0]).toMatch(/^fit: 1% 1\/100 loss=1 eta /);
    expect(out[1]).toMatch(/^fit: 10% 10\/100 loss=10/);
    expect(out.at(-1)).toMatch(/^fit: done \(/);
    expect(out.every((l) => !l.includes('\r'))).toBe(true);
  });
  it('redraws one line on a TTY', () => {
    const { out, s } = sink(true);
    const p = new Progress('fit', 10, { sink: s });
    p.update(10);
    p.finish('trained');
    expect(out[0]).toMatch(/^\r\x1b\[2Kfit \[#{24}\] 100% 10\/10/);
    expect(out[1]).toMatch(/fit: trained/);
  });
  it('prints nothing when quiet', () => {
    const { out, s } = sink(false);
    const log = createLogger({ quiet: true, sink: s });
    log.info('x');
    log.progress('a', 3).update(3);
    expect(out).toEqual([]);
  });
  it('formats durations', () => {
    expect(fmtSeconds(3.21)).toBe('3.2s');
    expect(fmtSeconds(125)).toBe('2m05s');
  });
});
