import {
  axisBottom,
  axisLeft,
  decadeDomain,
  emptyChart,
  escapeXml,
  legend,
  linearScale,
  logScale,
  niceDomain,
  px,
  seriesColor,
  svgRoot,
  titleText,
  truncate,
  type LegendItem,
  type Scale,
} from './svg.js';

/**
 * Chart builders for the synthetic-data reports. Each returns one inline SVG string. Series named "real" and
 * "synthetic" are simply the first two palette colours (blue, vermillion), so put the real data first.
 *
 * Non-finite values are left out of the drawing (with a note under the chart where that changes what is shown);
 * a chart with nothing to draw returns a small "no data" placeholder instead of throwing, so one empty column does
 * not abort a whole report. Mismatched array lengths are programming errors and throw RangeError.
 */

export interface ChartSize {
  width?: number;
  height?: number;
}

const WIDTH = 640;
const HEIGHT = 360;

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  header: string;
}

/** Title and legend on top, the plot area below; returns the plot's pixel box. */
function frame(title: string | undefined, items: LegendItem[], size: ChartSize, m: { left?: number; right?: number; bottom?: number } = {}): Frame {
  const width = size.width ?? WIDTH;
  const height = size.height ?? HEIGHT;
  const left = m.left ?? 64;
  const right = width - (m.right ?? 16);
  let top = title ? 30 : 10;
  const lg = legend(items, left, top, right - left);
  top += lg.height + (lg.height ? 8 : 0);
  return { width, height, left, right, top, bottom: height - (m.bottom ?? 48), header: titleText(title, 12) + lg.svg };
}

function footnote(f: Frame, text: string): string {
  return `<text class="note" x="${px(f.right)}" y="${px(f.height - 4)}" text-anchor="end" font-size="10" fill="#57606a">${escapeXml(text)}</text>`;
}

function finiteValues(v: ArrayLike<number>): { values: number[]; dropped: number } {
  const values: number[] = [];
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i])) values.push(v[i]);
  return { values, dropped: v.length - values.length };
}

function extent(arrays: ArrayLike<number>[], positiveOnly = false): [number, number] | null {
  let lo = Infinity,
    hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!Number.isFinite(v) || (positiveOnly && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

function yScaleFor(lo: number, hi: number, f: Frame, logY: boolean | undefined): Scale {
  if (logY) return logScale(decadeDomain(lo, hi), [f.bottom, f.top]);
  return linearScale(niceDomain(lo, hi), [f.bottom, f.top]);
}

function checkLengths(name: string, a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) {
    throw new RangeError(`series '${name}': ${what} differ in length (${a.length} vs ${b.length})`);
  }
}

/** SVG path through the points, broken wherever a point is missing (non-finite, or non-positive on a log axis). */
function linePath(x: ArrayLike<number>, y: ArrayLike<number>, xs: Scale, ys: Scale): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < x.length; i++) {
    const ok = Number.isFinite(x[i]) && Number.isFinite(y[i]) && (ys.kind !== 'log' || y[i] > 0);
    if (!ok) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${px(xs(x[i]))},${px(ys(y[i]))}`;
    pen = true;
  }
  return d;
}

// ---------------------------------------------------------------------------------------------------------------

export interface HistogramSeries {
  name: string;
  values: ArrayLike<number>;
}

/**
 * Overlaid translucent histograms on shared bins: one `<rect>` per bin and series (empty bins included). Bars show
 * each series' share of its own values by default, so samples of different sizes compare; `normalize: false` shows
 * counts.
 */
export function histogramChart(
  opts: { series: HistogramSeries[]; bins?: number; title?: string; xLabel?: string; logY?: boolean; normalize?: boolean } & ChartSize,
): string {
  const bins = opts.bins ?? 30;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const normalize = opts.normalize ?? true;
  const clean = opts.series.map((s) => ({ name: s.name, ...finiteValues(s.values) }));
  const range = extent(clean.map((s) => s.values));
  if (range === null) return emptyChart(opts.title, 'No data to plot', opts.width);
  let [lo, hi] = range;
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const w = (hi - lo) / bins;
  const heights = clean.map((s) => {
    const c = new Float64Array(bins);
    for (const v of s.values) c[Math.min(bins - 1, Math.floor((v - lo) / w))]++;
    if (normalize && s.values.length > 0) for (let k = 0; k < bins; k++) c[k] /= s.values.length;
    return c;
  });
  const items = clean.map((s, i) => ({ name: s.name, color: seriesColor(i), opacity: 0.45 }));
  const f = frame(opts.title, items, opts);
  const xs = linearScale([lo, hi], [f.left, f.right]);
  const maxH = Math.max(...heights.map((h) => Math.max(...h)));
  let minPos = Infinity;
  for (const h of heights) for (const v of h) if (v > 0 && v < minPos) minPos = v;
  // On a log axis the baseline sits a decade-step below the smallest bar, so that bar stays visible.
  const ys = yScaleFor(opts.logY ? minPos / 2 : 0, maxH, f, opts.logY);
  const base = f.bottom;
  const parts = [f.header, axisLeft(ys, f.left, { gridRight: f.right, label: normalize ? 'share' : 'count' })];
  const bw = Math.max(0.5, xs(lo + w) - xs(lo) - 1);
  heights.forEach((h, i) => {
    const color = seriesColor(i);
    parts.push(`<g class="series" fill="${color}" fill-opacity="0.45" stroke="${color}" stroke-width="0.5">`);
    for (let k = 0; k < bins; k++) {
      const v = h[k];
      const top = v > 0 ? ys(v) : base;
      const a = lo + k * w;
      const label = `${clean[i].name}: [${fmt(a)}, ${fmt(a + w)}) ${normalize ? 'share' : 'count'} ${fmt(v)}`;
      parts.push(
        `<rect x="${px(xs(a) + 0.5)}" y="${px(top)}" width="${px(bw)}" height="${px(Math.max(0, base - top))}"><title>${escapeXml(label)}</title></rect>`,
      );
    }
    parts.push('</g>');
  });
  parts.push(axisBottom(xs, base, { label: opts.xLabel }));
  const dropped = clean.reduce((s, c) => s + c.dropped, 0);
  if (dropped > 0) parts.push(footnote(f, `${dropped} non-finite value${dropped === 1 ? '' : 's'} not shown`));
  return svgRoot(f.width, f.height, opts.title, parts.join(''));
}

// ---------------------------------------------------------------------------------------------------------------

export interface BarSeries {
  name: string;
  values: ArrayLike<number>;
}

/** Grouped bars, one group per category and one `<rect>` per category and series (e.g. real vs synthetic shares). */
export function barChart(opts: { categories: string[]; series: BarSeries[]; title?: string; yLabel?: string } & ChartSize): string {
  const { categories, series } = opts;
  for (const s of series) checkLengths(s.name, s.values, categories, 'values and categories');
  if (categories.length === 0 || series.length === 0) return emptyChart(opts.title, 'No categories to plot', opts.width);
  const maxLen = Math.max(...categories.map((c) => Math.min(24, c.length)));
  const items = series.map((s, i) => ({ name: s.name, color: seriesColor(i) }));
  const width = opts.width ?? WIDTH;
  const groupGuess = (width - 80) / categories.length;
  const rotate = maxLen * 6.5 > groupGuess - 4;
  const f = frame(opts.title, items, opts, { bottom: rotate ? Math.min(130, 24 + maxLen * 5) : 40 });
  const ext = extent(series.map((s) => s.values)) ?? [0, 1];
  const ys = linearScale(niceDomain(Math.min(0, ext[0]), Math.max(0, ext[1])), [f.bottom, f.top]);
  const groupW = (f.right - f.left) / categories.length;
  const barW = (groupW * 0.8) / series.length;
  const zero = ys(0);
  const parts = [f.header, axisLeft(ys, f.left, { gridRight: f.right, label: opts.yLabel })];
  series.forEach((s, i) => {
    parts.push(`<g class="series" fill="${seriesColor(i)}">`);
    for (let k = 0; k < categories.length; k++) {
      const v = Number.isFinite(s.values[k]) ? s.values[k] : 0;
      const x = f.left + k * groupW + groupW * 0.1 + i * barW;
      const y = Math.min(ys(v), zero);
      const label = `${s.name} / ${categories[k]}: ${fmt(s.values[k])}`;
      parts.push(
        `<rect x="${px(x)}" y="${px(y)}" width="${px(Math.max(0.5, barW - 1))}" height="${px(Math.abs(ys(v) - zero))}"><title>${escapeXml(label)}</title></rect>`,
      );
    }
    parts.push('</g>');
  });
  parts.push(`<path d="M${px(f.left)},${px(zero)}H${px(f.right)}" stroke="#8c959f" fill="none"/>`);
  parts.push(`<g class="axis axis-x" font-size="11" fill="#57606a">`);
  categories.forEach((c, k) => {
    const x = f.left + (k + 0.5) * groupW;
    const text = escapeXml(truncate(c, 24));
    parts.push(
      rotate
        ? `<text class="tick tick-x" transform="translate(${px(x)},${px(f.bottom + 12)}) rotate(-40)" text-anchor="end">${text}<title>${escapeXml(c)}</title></text>`
        : `<text class="tick tick-x" x="${px(x)}" y="${px(f.bottom + 16)}" text-anchor="middle">${text}<title>${escapeXml(c)}</title></text>`,
    );
  });
  parts.push('</g>');
  return svgRoot(f.width, f.height, opts.title, parts.join(''));
}

// ---------------------------------------------------------------------------------------------------------------

export interface XYSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** Lines through (x, y) points; gaps where a value is missing. */
export function lineChart(opts: { series: XYSeries[]; title?: string; xLabel?: string; yLabel?: string; logY?: boolean } & ChartSize): string {
  for (const s of opts.series) checkLengths(s.name, s.x, s.y, 'x and y');
  const xr = extent(opts.series.map((s) => s.x));
  const yr = extent(
    opts.series.map((s) => s.y),
    opts.logY,
  );
  if (xr === null || yr === null) return emptyChart(opts.title, 'No data to plot', opts.width);
  const items = opts.series.map((s, i) => ({ name: s.name, color: seriesColor(i), kind: 'line' as const }));
  const f = frame(opts.title, items, opts);
  const xs = linearScale(xr[0] === xr[1] ? niceDomain(xr[0], xr[1]) : xr, [f.left, f.right]);
  const ys = yScaleFor(yr[0], yr[1], f, opts.logY);
  const parts = [f.header, axisLeft(ys, f.left, { gridRight: f.right, label: opts.yLabel })];
  parts.push(axisBottom(xs, f.bottom, { label: opts.xLabel }));
  opts.series.forEach((s, i) => {
    const d = linePath(s.x, s.y, xs, ys);
    if (d)
      parts.push(
        `<path class="series" d="${d}" fill="none" stroke="${seriesColor(i)}" stroke-width="1.6" stroke-linejoin="round"><title>${escapeXml(s.name)}</title></path>`,
      );
  });
  return svgRoot(f.width, f.height, opts.title, parts.join(''));
}

// ---------------------------------------------------------------------------------------------------------------

export interface FanBand {
  lo: ArrayLike<number>;
  hi: ArrayLike<number>;
  label: string;
}

/**
 * Fan chart: nested quantile bands (give them outer to inner, e.g. 5-95 % then 25-75 %) drawn with rising opacity,
 * an optional median line, and overlaid paths (e.g. the real series) in the other palette colours.
 */
export function fanChart(
  opts: {
    x: ArrayLike<number>;
    bands: FanBand[];
    median?: ArrayLike<number>;
    overlays?: XYSeries[];
    title?: string;
    xLabel?: string;
    yLabel?: string;
  } & ChartSize,
): string {
  const { x, bands } = opts;
  const overlays = opts.overlays ?? [];
  for (const b of bands) {
    checkLengths(b.label, b.lo, x, 'lo and x');
    checkLengths(b.label, b.hi, x, 'hi and x');
  }
  if (opts.median) checkLengths('median', opts.median, x, 'median and x');
  for (const s of overlays) checkLengths(s.name, s.x, s.y, 'x and y');
  const xr = extent([x, ...overlays.map((s) => s.x)]);
  const yr = extent([...bands.flatMap((b) => [b.lo, b.hi]), ...(opts.median ? [opts.median] : []), ...overlays.map((s) => s.y)]);
  if (xr === null || yr === null || x.length === 0) return emptyChart(opts.title, 'No data to plot', opts.width);
  const base = seriesColor(0);
  const opacity = (i: number) => Math.min(0.6, 0.14 + 0.12 * i);
  const items: LegendItem[] = [
    ...bands.map((b, i) => ({ name: b.label, color: base, opacity: opacity(i) })),
    ...(opts.median ? [{ name: 'median', color: base, kind: 'line' as const }] : []),
    ...overlays.map((s, i) => ({ name: s.name, color: seriesColor(i + 1), kind: 'line' as const })),
  ];
  const f = frame(opts.title, items, opts);
  const xs = linearScale(xr[0] === xr[1] ? niceDomain(xr[0], xr[1]) : xr, [f.left, f.right]);
  const ys = linearScale(niceDomain(yr[0], yr[1]), [f.bottom, f.top]);
  const parts = [f.header, axisLeft(ys, f.left, { gridRight: f.right, label: opts.yLabel })];
  bands.forEach((b, i) => {
    // Polygon along hi left-to-right then lo right-to-left; a missing value ends the polygon and starts a new one.
    let d = '';
    let run: number[] = [];
    const flush = () => {
      if (run.length > 0) {
        d += run.map((k, j) => `${j ? 'L' : 'M'}${px(xs(x[k]))},${px(ys(b.hi[k]))}`).join('');
        d +=
          run
            .reverse()
            .map((k) => `L${px(xs(x[k]))},${px(ys(b.lo[k]))}`)
            .join('') + 'Z';
      }
      run = [];
    };
    for (let k = 0; k < x.length; k++) {
      if (Number.isFinite(x[k]) && Number.isFinite(b.lo[k]) && Number.isFinite(b.hi[k])) run.push(k);
      else flush();
    }
    flush();
    if (d) parts.push(`<path class="band" d="${d}" fill="${base}" fill-opacity="${opacity(i)}" stroke="none"><title>${escapeXml(b.label)}</title></path>`);
  });
  if (opts.median) {
    const d = linePath(x, opts.median, xs, ys);
    if (d) parts.push(`<path class="median" d="${d}" fill="none" stroke="${base}" stroke-width="1.8"><title>median</title></path>`);
  }
  overlays.forEach((s, i) => {
    const d = linePath(s.x, s.y, xs, ys);
    if (d) parts.push(`<path class="series" d="${d}" fill="none" stroke="${seriesColor(i + 1)}" stroke-width="1.4"><title>${escapeXml(s.name)}</title></path>`);
  });
  parts.push(axisBottom(xs, f.bottom, { label: opts.xLabel }));
  return svgRoot(f.width, f.height, opts.title, parts.join(''));
}

// ---------------------------------------------------------------------------------------------------------------

const SEQUENTIAL = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725']; // viridis
const DIVERGING = ['#2166ac', '#67a9cf', '#f7f7f7', '#ef8a62', '#b2182b']; // RdBu, blue = low

function interpolate(stops: string[], t: number): string {
  const u = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(u));
  const a = hexRgb(stops[k]),
    b = hexRgb(stops[k + 1]);
  const f = u - k;
  const c = a.map((v, i) => Math.round(v + (b[i] - v) * f));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

function hexRgb(h: string): number[] {
  return [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
}

function textColorOn(fill: string): string {
  const [r, g, b] = hexRgb(fill);
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? '#1f2328' : '#ffffff';
}

/**
 * Matrix as coloured cells (one `<rect>` per cell, its value in a hover `<title>`, and printed in the cell when there
 * is room), with a colour bar. `diverging` uses a blue-white-red scale centred on 0 (correlations, differences);
 * otherwise viridis. NaN cells are grey.
 */
export function heatmap(
  opts: {
    matrix: ArrayLike<number>[];
    rowLabels: string[];
    colLabels: string[];
    title?: string;
    min?: number;
    max?: number;
    diverging?: boolean;
  } & Pick<ChartSize, 'width'>,
): string {
  const { matrix, rowLabels, colLabels } = opts;
  if (matrix.length !== rowLabels.length) {
    throw new RangeError(`heatmap: ${matrix.length} rows but ${rowLabels.length} row labels`);
  }
  matrix.forEach((r, i) => {
    if (r.length !== colLabels.length) {
      throw new RangeError(`heatmap: row ${i} has ${r.length} values but there are ${colLabels.length} column labels`);
    }
  });
  if (matrix.length === 0 || colLabels.length === 0) return emptyChart(opts.title, 'No data to plot', opts.width);
  const ext = extent(matrix) ?? [0, 1];
  let lo: number, hi: number;
  if (opts.diverging) {
    const m = Math.max(Math.abs(ext[0]), Math.abs(ext[1])) || 1;
    lo = opts.min ?? -m;
    hi = opts.max ?? m;
  } else {
    lo = opts.min ?? ext[0];
    hi = opts.max ?? ext[1];
  }
  if (hi === lo) hi = lo + 1;
  const stops = opts.diverging ? DIVERGING : SEQUENTIAL;
  const colorOf = (v: number) => (Number.isFinite(v) ? interpolate(stops, (v - lo) / (hi - lo)) : '#d0d7de');

  const width = opts.width ?? WIDTH;
  const rowLen = Math.max(...rowLabels.map((l) => Math.min(22, l.length)));
  const colLen = Math.max(...colLabels.map((l) => Math.min(22, l.length)));
  const left = Math.min(160, 12 + rowLen * 6.5);
  const right = 70; // colour bar and its labels
  const top = opts.title ? 30 : 10;
  const cell = Math.max(6, Math.min(44, (width - left - right) / colLabels.length));
  const gridW = cell * colLabels.length;
  const gridH = cell * rowLabels.length;
  const bottom = 16 + colLen * 5.2;
  const height = Math.round(top + Math.max(gridH, 120) + bottom);
  const showValues = cell >= 28;

  const parts = [titleText(opts.title, 12)];
  parts.push(`<g class="cells" stroke="#ffffff" stroke-width="1">`);
  for (let i = 0; i < rowLabels.length; i++) {
    for (let j = 0; j < colLabels.length; j++) {
      const v = matrix[i][j];
      const fill = colorOf(v);
      const x = left + j * cell,
        y = top + i * cell;
      const tip = `${rowLabels[i]} / ${colLabels[j]}: ${Number.isFinite(v) ? fmt(v) : 'n/a'}`;
      parts.push(`<rect x="${px(x)}" y="${px(y)}" width="${px(cell)}" height="${px(cell)}" fill="${fill}"><title>${escapeXml(tip)}</title></rect>`);
    }
  }
  parts.push('</g>');
  if (showValues) {
    parts.push(`<g class="cell-values" font-size="10" text-anchor="middle" pointer-events="none">`);
    for (let i = 0; i < rowLabels.length; i++) {
      for (let j = 0; j < colLabels.length; j++) {
        const v = matrix[i][j];
        if (!Number.isFinite(v)) continue;
        parts.push(
          `<text x="${px(left + (j + 0.5) * cell)}" y="${px(top + (i + 0.5) * cell + 3.5)}" fill="${textColorOn(colorOf(v))}">${escapeXml(fmt2(v))}</text>`,
        );
      }
    }
    parts.push('</g>');
  }
  parts.push(`<g class="axis" font-size="11" fill="#57606a">`);
  rowLabels.forEach((l, i) => {
    parts.push(
      `<text x="${px(left - 6)}" y="${px(top + (i + 0.5) * cell + 4)}" text-anchor="end">${escapeXml(truncate(l, 22))}<title>${escapeXml(l)}</title></text>`,
    );
  });
  colLabels.forEach((l, j) => {
    parts.push(
      `<text transform="translate(${px(left + (j + 0.5) * cell + 3)},${px(top + gridH + 8)}) rotate(-45)" text-anchor="end">${escapeXml(truncate(l, 22))}<title>${escapeXml(l)}</title></text>`,
    );
  });
  parts.push('</g>');
  // Colour bar as stacked path segments (no <rect>, no gradient ids that could clash between charts on one page).
  const barX = left + gridW + 16,
    barH = Math.max(gridH, 120),
    steps = 40;
  parts.push(`<g class="colorbar" font-size="10" fill="#57606a" shape-rendering="crispEdges">`);
  for (let k = 0; k < steps; k++) {
    const y = top + barH - ((k + 1) * barH) / steps;
    parts.push(`<path d="M${px(barX)},${px(y)}h12v${px(barH / steps + 0.5)}h-12z" fill="${interpolate(stops, (k + 0.5) / steps)}"/>`);
  }
  for (const [v, y] of [
    [hi, top + 4],
    [(lo + hi) / 2, top + barH / 2 + 3],
    [lo, top + barH],
  ] as const) {
    parts.push(`<text x="${px(barX + 16)}" y="${px(y)}">${escapeXml(fmt2(v))}</text>`);
  }
  parts.push('</g>');
  return svgRoot(width, height, opts.title, parts.join(''));
}

// ---------------------------------------------------------------------------------------------------------------

/** Points per series; `diagonal` draws y = x over a shared x/y range (QQ plots: real quantiles vs synthetic). */
export function scatterChart(opts: { series: XYSeries[]; title?: string; xLabel?: string; yLabel?: string; diagonal?: boolean } & ChartSize): string {
  for (const s of opts.series) checkLengths(s.name, s.x, s.y, 'x and y');
  let xr = extent(opts.series.map((s) => s.x));
  let yr = extent(opts.series.map((s) => s.y));
  if (xr === null || yr === null) return emptyChart(opts.title, 'No data to plot', opts.width);
  if (opts.diagonal) {
    const both: [number, number] = [Math.min(xr[0], yr[0]), Math.max(xr[1], yr[1])];
    xr = yr = both;
  }
  const items = opts.series.map((s, i) => ({ name: s.name, color: seriesColor(i), kind: 'dot' as const }));
  const f = frame(opts.title, items, opts);
  const xs = linearScale(niceDomain(xr[0], xr[1]), [f.left, f.right]);
  const ys = linearScale(niceDomain(yr[0], yr[1]), [f.bottom, f.top]);
  const parts = [f.header, axisLeft(ys, f.left, { gridRight: f.right, label: opts.yLabel })];
  parts.push(axisBottom(xs, f.bottom, { label: opts.xLabel, gridTop: f.top }));
  if (opts.diagonal) {
    const [a, b] = [Math.max(xs.domain[0], ys.domain[0]), Math.min(xs.domain[1], ys.domain[1])];
    parts.push(`<path class="diagonal" d="M${px(xs(a))},${px(ys(a))}L${px(xs(b))},${px(ys(b))}" stroke="#8c959f" stroke-dasharray="4 3" fill="none"/>`);
  }
  opts.series.forEach((s, i) => {
    parts.push(`<g class="series" fill="${seriesColor(i)}" fill-opacity="0.7"><title>${escapeXml(s.name)}</title>`);
    for (let k = 0; k < s.x.length; k++) {
      if (!Number.isFinite(s.x[k]) || !Number.isFinite(s.y[k])) continue;
      parts.push(`<circle cx="${px(xs(s.x[k]))}" cy="${px(ys(s.y[k]))}" r="2.5"/>`);
    }
    parts.push('</g>');
  });
  return svgRoot(f.width, f.height, opts.title, parts.join(''));
}

// ---------------------------------------------------------------------------------------------------------------

export interface ErrorBarSeries {
  name: string;
  mean: ArrayLike<number>;
  sd: ArrayLike<number>;
}

/** Mean +- SD per group and series (e.g. a metric over several seeds, per model). */
export function errorBarChart(opts: { groups: string[]; series: ErrorBarSeries[]; title?: string; yLabel?: string } & ChartSize): string {
  const { groups, series } = opts;
  for (const s of series) {
    checkLengths(s.name, s.mean, groups, 'mean and groups');
    checkLengths(s.name, s.sd, groups, 'sd and groups');
  }
  const lows: number[] = [],
    highs: number[] = [];
  for (const s of series) {
    for (let k = 0; k < groups.length; k++) {
      const sd = Number.isFinite(s.sd[k]) ? Math.abs(s.sd[k]) : 0;
      lows.push(s.mean[k] - sd);
      highs.push(s.mean[k] + sd);
    }
  }
  const yr = extent([lows, highs]);
  if (groups.length === 0 || yr === null) return emptyChart(opts.title, 'No data to plot', opts.width);
  const items = series.map((s, i) => ({ name: s.name, color: seriesColor(i), kind: 'dot' as const }));
  const f = frame(opts.title, items, opts, { bottom: 40 });
  const pad = (yr[1] - yr[0]) * 0.05;
  const ys = linearScale(niceDomain(yr[0] - pad, yr[1] + pad), [f.bottom, f.top]);
  const groupW = (f.right - f.left) / groups.length;
  const slot = (groupW * 0.6) / series.length;
  const parts = [f.header, axisLeft(ys, f.left, { gridRight: f.right, label: opts.yLabel })];
  parts.push(`<path d="M${px(f.left)},${px(f.bottom)}H${px(f.right)}" stroke="#8c959f" fill="none"/>`);
  series.forEach((s, i) => {
    const color = seriesColor(i);
    parts.push(`<g class="series" stroke="${color}" fill="${color}" stroke-width="1.5">`);
    for (let k = 0; k < groups.length; k++) {
      const m = s.mean[k];
      if (!Number.isFinite(m)) continue;
      const sd = Number.isFinite(s.sd[k]) ? Math.abs(s.sd[k]) : 0;
      const x = f.left + k * groupW + groupW * 0.2 + (i + 0.5) * slot;
      const y0 = ys(m - sd),
        y1 = ys(m + sd);
      const tip = `${s.name} / ${groups[k]}: ${fmt(m)} ± ${fmt(sd)}`;
      parts.push(`<path d="M${px(x)},${px(y0)}V${px(y1)}M${px(x - 4)},${px(y0)}h8M${px(x - 4)},${px(y1)}h8" fill="none"/>`);
      parts.push(`<circle cx="${px(x)}" cy="${px(ys(m))}" r="3.5"><title>${escapeXml(tip)}</title></circle>`);
    }
    parts.push('</g>');
  });
  parts.push(`<g class="axis axis-x" font-size="11" fill="#57606a">`);
  groups.forEach((g, k) => {
    parts.push(
      `<text class="tick tick-x" x="${px(f.left + (k + 0.5) * groupW)}" y="${px(f.bottom + 16)}" text-anchor="middle">${escapeXml(truncate(g, 28))}<title>${escapeXml(g)}</title></text>`,
    );
  });
  parts.push('</g>');
  return svgRoot(f.width, f.height, opts.title, parts.join(''));
}

/** Four significant digits for tooltips. */
function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/** Two decimals for values printed inside small cells (correlations); 4 significant digits from 100 up. */
function fmt2(v: number): string {
  if (Math.abs(v) >= 100) return fmt(v);
  const s = v.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}
