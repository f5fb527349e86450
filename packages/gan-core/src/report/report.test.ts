import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { barChart, errorBarChart, fanChart, heatmap, histogramChart, lineChart, scatterChart } from './charts.js';
import { formatValue, htmlPage, htmlTable, paragraph, section, writeReport } from './html.js';
import { escapeXml, linearScale, logScale, niceTicks } from './svg.js';

/** Tag-balance check: every element closed in order (HTML void elements and <!DOCTYPE> aside). */
function assertWellFormed(markup: string): void {
  const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);
  const stack: string[] = [];
  // Text inside <style> is CSS, not markup.
  const body = markup.replace(/<style>[\s\S]*?<\/style>/g, '<style></style>');
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const [, close, name, rest] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!rest.endsWith('/') && !VOID.has(name.toLowerCase())) stack.push(name);
  }
  if (stack.length) throw new Error(`unclosed: ${stack.join(' > ')}`);
  // No raw '<' or '&' outside tags and entities.
  const text = body.replace(/<!DOCTYPE html>/, '').replace(/<(\/?)([A-Za-z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g, '');
  expect(text).not.toMatch(/<|&(?!(amp|lt|gt|quot|#39);)/);
}

const count = (s: string, sub: string) => s.split(sub).length - 1;

describe('svg helpers', () => {
  it('escapes markup characters', () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;');
  });

  it('makes round ticks and maps linearly', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3.2, 47, 5)).toEqual([0, 10, 20, 30, 40]);
    const s = linearScale([0, 10], [100, 300]);
    expect(s(5)).toBe(200);
  });

  it('puts log ticks on powers of ten', () => {
    const s = logScale([3, 45000], [300, 0]);
    expect(s.ticks()).toEqual([10, 100, 1000, 10000]);
    expect(s(10)).toBeCloseTo(300 - (300 * (1 - Math.log10(3))) / (Math.log10(45000) - Math.log10(3)), 9);
    // many decades: thinned, still powers of ten
    const wide = logScale([1e-9, 1e9], [0, 1]).ticks(6);
    for (const t of wide) expect(Math.log10(t)).toBe(Math.round(Math.log10(t)));
    expect(wide.length).toBeLessThanOrEqual(7);
    expect(() => logScale([0, 10], [0, 1])).toThrow('positive domain');
  });
});

describe('charts', () => {
  const real = Array.from({ length: 500 }, (_, i) => Math.sin(i) * 3 + i / 100);
  const synth = Array.from({ length: 300 }, (_, i) => Math.cos(i) * 2.5 + i / 80);

  it('histogram: one rect per bin and series, escaped labels, well-formed', () => {
    const svg = histogramChart({
      series: [
        { name: 'real <&"x">', values: real },
        { name: 'synthetic', values: synth },
      ],
      bins: 25,
      title: 'Income & "debt" <check>',
    });
    expect(count(svg, '<rect')).toBe(25 * 2);
    expect(svg).toContain('Income &amp; &quot;debt&quot; &lt;check&gt;');
    expect(svg).toContain('real &lt;&amp;&quot;x&quot;&gt;');
    expect(svg).not.toContain('<check>');
    assertWellFormed(svg);
    expect(count(histogramChart({ series: [{ name: 'a', values: real }] }), '<rect')).toBe(30);
  });

  it('histogram: log y axis labels are powers of ten; non-finite values noted', () => {
    const heavy = Array.from({ length: 2000 }, (_, i) => 1 / (1 - (i + 0.5) / 2000) ** 2);
    const svg = histogramChart({ series: [{ name: 'tail', values: [...heavy, NaN, Infinity] }], logY: true, normalize: false, bins: 20 });
    const yTicks = [...svg.matchAll(/class="tick tick-y"[^>]*>([^<]*)</g)].map((m) => Number(m[1]));
    expect(yTicks.length).toBeGreaterThanOrEqual(2);
    for (const t of yTicks) expect(Math.log10(t)).toBe(Math.round(Math.log10(t)));
    expect(svg).toContain('2 non-finite values not shown');
    assertWellFormed(svg);
  });

  it('empty input gives an empty-state chart, not an error', () => {
    for (const svg of [
      histogramChart({ series: [], title: 'nothing' }),
      histogramChart({
        series: [
          { name: 'a', values: [] },
          { name: 'b', values: [NaN] },
        ],
      }),
      lineChart({ series: [{ name: 'a', x: [], y: [] }] }),
      scatterChart({ series: [] }),
      heatmap({ matrix: [], rowLabels: [], colLabels: [] }),
      barChart({ categories: [], series: [] }),
      fanChart({ x: [], bands: [] }),
      errorBarChart({ groups: [], series: [] }),
    ]) {
      expect(svg).toContain('class="empty-state"');
      expect(count(svg, '<rect')).toBe(0);
      assertWellFormed(svg);
    }
  });

  it('bar chart: rect per category and series; mismatched lengths throw', () => {
    const svg = barChart({
      categories: ['rent', 'owner', 'parents', 'other'],
      series: [
        { name: 'real', values: [0.4, 0.3, 0.2, 0.1] },
        { name: 'synthetic', values: [0.35, 0.35, 0.2, 0.1] },
      ],
      title: 'Home',
    });
    expect(count(svg, '<rect')).toBe(8);
    assertWellFormed(svg);
    expect(() => barChart({ categories: ['a', 'b'], series: [{ name: 'real', values: [1] }] })).toThrow(
      "series 'real': values and categories differ in length (1 vs 2)",
    );
  });

  it('heatmap: one cell per entry with the value on hover', () => {
    const m = [
      [1, 0.5, -0.25],
      [0.5, 1, NaN],
    ];
    const svg = heatmap({ matrix: m, rowLabels: ['a', 'b'], colLabels: ['x', 'y', 'z<1>'], diverging: true, min: -1, max: 1, title: 'corr' });
    expect(count(svg, '<rect')).toBe(6);
    expect(svg).toContain('<title>a / y: 0.5</title>');
    expect(svg).toContain('<title>b / z&lt;1&gt;: n/a</title>');
    // diverging scale: +1 is the red end, -1 the blue end, 0 white-ish
    expect(svg).toMatch(/fill="#b2182b"><title>a \/ x: 1</);
    assertWellFormed(svg);
    expect(() => heatmap({ matrix: [[1, 2]], rowLabels: ['a'], colLabels: ['x'] })).toThrow('row 0 has 2 values');
  });

  it('line, fan, scatter and error-bar charts are well-formed and draw their marks', () => {
    const x = Array.from({ length: 50 }, (_, i) => i);
    const line = lineChart({
      series: [
        { name: 'acf real', x, y: x.map((i) => 0.9 ** i) },
        { name: 'acf synth', x, y: x.map((i) => (i === 10 ? NaN : 0.85 ** i)) },
      ],
      logY: true,
      title: 'ACF',
    });
    expect(count(line, 'class="series"')).toBe(2);
    assertWellFormed(line);
    // the NaN breaks the second path into two pieces
    const second = [...line.matchAll(/class="series" d="([^"]*)"/g)][1][1];
    expect(count(second, 'M')).toBe(2);

    const fan = fanChart({
      x,
      bands: [
        { lo: x.map((i) => -2 - i / 10), hi: x.map((i) => 2 + i / 10), label: '5-95%' },
        { lo: x.map((i) => -1 - i / 20), hi: x.map((i) => 1 + i / 20), label: '25-75%' },
      ],
      median: x.map(() => 0),
      overlays: [{ name: 'real path', x, y: x.map((i) => Math.sin(i / 5)) }],
      title: 'Price paths',
    });
    expect(count(fan, 'class="band"')).toBe(2);
    expect(count(fan, 'class="median"')).toBe(1);
    assertWellFormed(fan);

    const qq = scatterChart({ series: [{ name: 'QQ', x: [1, 2, 3], y: [1.1, 2.2, 2.9] }], diagonal: true, title: 'QQ' });
    expect(count(qq, '<circle')).toBe(3 + 1); // 3 points + the legend dot
    expect(count(qq, 'class="diagonal"')).toBe(1);
    assertWellFormed(qq);

    const eb = errorBarChart({
      groups: ['CTGAN', 'WGAN-GP'],
      series: [
        { name: 'AUC', mean: [0.7, 0.8], sd: [0.02, 0.03] },
        { name: 'AP', mean: [0.4, 0.5], sd: [0.05, 0.01] },
      ],
      title: 'TSTR',
    });
    expect(count(eb, '<circle')).toBe(4 + 2); // 4 means + 2 legend dots
    assertWellFormed(eb);
  });
});

describe('html', () => {
  it('formats numbers to 4 significant digits and keeps integers', () => {
    expect(formatValue(0.123456)).toBe('0.1235');
    expect(formatValue(12345.678)).toBe('12350');
    expect(formatValue(4454)).toBe('4454');
    expect(formatValue(1.23456e-7)).toBe('1.235e-7');
    expect(formatValue(null)).toBe('–');
    expect(formatValue('a')).toBe('a');
  });

  it('builds tables with escaped cells and right-aligned numbers', () => {
    const t = htmlTable(
      [
        { column: 'Income<x>', ks: 0.0412345, n: 3000 },
        { column: 'Debt & "Assets"', ks: 0.1, n: 2999 },
      ],
      { caption: 'KS per column' },
    );
    expect(t).toContain('<td>Income&lt;x&gt;</td><td class="num">0.04123</td><td class="num">3000</td>');
    expect(t).toContain('Debt &amp; &quot;Assets&quot;');
    expect(t).toContain('<caption>KS per column</caption>');
    assertWellFormed(t);
    expect(htmlTable([], { columns: ['a', 'b'] })).toContain('<td class="empty" colspan="2">No rows</td>');
  });

  it('assembles a self-contained page and writes it atomically', () => {
    const charts = [
      histogramChart({
        series: [
          { name: 'real', values: [1, 2, 2, 3] },
          { name: 'synthetic', values: [1, 2, 3, 3] },
        ],
        title: 'Age',
      }),
      heatmap({
        matrix: [
          [1, 0.2],
          [0.2, 1],
        ],
        rowLabels: ['a', 'b'],
        colLabels: ['a', 'b'],
        diverging: true,
      }),
    ];
    const html = htmlPage({
      title: 'Fidelity <report>',
      subtitle: 'credit & risk',
      generatedAt: '2024-01-01T00:00:00Z',
      sections: [section('Marginals', ...charts, htmlTable([{ a: 1 }]), paragraph('KS < 0.1 is good'))],
    });
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>Fidelity &lt;report&gt;</title>');
    expect(count(html, '<figure class="chart-box">')).toBe(2);
    expect(count(html, '<div class="wide">')).toBe(2);
    expect(html).toContain('@media print');
    assertWellFormed(html);

    const dir = mkdtempSync(join(tmpdir(), 'fingan-report-'));
    try {
      const path = join(dir, 'sub', 'report.html');
      writeReport(path, html);
      expect(readFileSync(path, 'utf8')).toBe(html);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
