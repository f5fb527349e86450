/**
 * Low-level pieces for the report's inline SVG charts: escaping, scales, axes and legends. Everything is a string
 * builder so a report is one self-contained HTML file (no scripts, fonts or links), readable offline and in print.
 *
 * Convention: `<rect>` is used only for data marks (bars, heatmap cells), so a chart's marks can be counted; frames,
 * legend swatches and colour bars are drawn as `<path>`.
 */

/** Escape text for use in SVG/HTML text and double-quoted attributes. */
export function escapeXml(value: unknown): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Okabe-Ito colours: distinguishable with the common colour-vision deficiencies, and in greyscale print. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length];
}

export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

export interface Scale {
  (v: number): number;
  readonly kind: 'linear' | 'log';
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  ticks(count?: number): number[];
  format(v: number): string;
}

/** Linear map from `domain` to `range` (pixels); a zero-width domain maps to the middle of the range. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const f = ((v: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0))) as Scale;
  let lastStep = span / 5;
  return Object.assign(f, {
    kind: 'linear' as const,
    domain: [d0, d1] as const,
    range: [r0, r1] as const,
    ticks(count = 5) {
      const t = niceTicks(d0, d1, count);
      lastStep = t.length > 1 ? t[1] - t[0] : Math.abs(span) || 1;
      return t;
    },
    format(v: number) {
      return formatTick(v, lastStep);
    },
  });
}

/**
 * Log10 map; the domain must be positive. Ticks are the powers of ten inside the domain (every k-th power when the
 * domain spans many decades), so tail plots read as orders of magnitude.
 */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  if (!(d0 > 0 && d1 > 0)) throw new RangeError(`log scale needs a positive domain, got [${d0}, ${d1}]`);
  const l0 = Math.log10(d0),
    l1 = Math.log10(d1);
  const [r0, r1] = range;
  const f = ((v: number) => (l1 === l0 ? (r0 + r1) / 2 : r0 + ((Math.log10(v) - l0) / (l1 - l0)) * (r1 - r0))) as Scale;
  return Object.assign(f, {
    kind: 'log' as const,
    domain: [d0, d1] as const,
    range: [r0, r1] as const,
    ticks(count = 6) {
      const lo = Math.ceil(Math.min(l0, l1) - 1e-9),
        hi = Math.floor(Math.max(l0, l1) + 1e-9);
      const every = Math.max(1, Math.ceil((hi - lo + 1) / Math.max(1, count)));
      const out: number[] = [];
      for (let k = lo; k <= hi; k += every) out.push(powerOfTen(k));
      return out;
    },
    format: formatPowerOfTen,
  });
}

/** 10^k exactly as the decimal literal (10 ** -3 is 0.0010000000000000002 in floating point). */
function powerOfTen(k: number): number {
  return Number(`1e${k}`);
}

function formatPowerOfTen(v: number): string {
  const k = Math.round(Math.log10(v));
  if (Math.abs(v - powerOfTen(k)) > 1e-9 * v) return formatTick(v, v / 10);
  return k >= -4 && k <= 5 ? String(powerOfTen(k)) : `1e${k}`;
}

/** The smallest power of ten at or below v and the largest at or above: a log axis that starts and ends on ticks. */
export function decadeDomain(lo: number, hi: number): [number, number] {
  const a = powerOfTen(Math.floor(Math.log10(lo)));
  let b = powerOfTen(Math.ceil(Math.log10(hi)));
  if (b <= a) b = a * 10;
  return [a, b];
}

/** Round-number ticks (steps 1, 2, 5 x 10^k) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const r = raw / mag;
  // Pick the 1/2/5/10 multiple closest (geometrically) to the raw step, so about `count` ticks come out.
  const step = (r >= Math.SQRT2 * 5 ? 10 : r >= Math.sqrt(10) ? 5 : r >= Math.SQRT2 ? 2 : 1) * mag;
  const start = Math.ceil(lo / step - 1e-9);
  const end = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  for (let k = start; k <= end; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** Extend [lo, hi] outward to the nearest nice ticks, so an axis starts and ends on a labelled value. */
export function niceDomain(lo: number, hi: number, count = 5): [number, number] {
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - pad, hi + pad];
  }
  const t = niceTicks(lo, hi, count);
  const step = t.length > 1 ? t[1] - t[0] : hi - lo;
  const r = (v: number) => Number(v.toPrecision(12));
  return [r(Math.floor(lo / step + 1e-9) * step), r(Math.ceil(hi / step - 1e-9) * step)];
}

/** Tick label with just enough decimals for the tick step; large/small magnitudes in exponent form. */
export function formatTick(v: number, step: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) {
    const digits = Math.floor(Math.log10(a)) - Math.floor(Math.log10(Math.abs(step) || a));
    return v.toExponential(Math.max(0, Math.min(6, digits)));
  }
  const decimals = Math.max(0, Math.min(8, -Math.floor(Math.log10(Math.abs(step) || 1) + 1e-9)));
  return v.toFixed(decimals);
}

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Bottom axis: baseline, ticks, labels, light vertical grid lines up to `gridTop`, and an axis label. */
export function axisBottom(scale: Scale, y: number, opts: { label?: string; gridTop?: number; ticks?: number; tickValues?: number[] } = {}): string {
  const [r0, r1] = scale.range;
  const ticks = opts.tickValues ?? scale.ticks(opts.ticks);
  const parts = [`<g class="axis axis-x" font-size="11" fill="#57606a">`];
  parts.push(`<path d="M${px(r0)},${px(y)}H${px(r1)}" stroke="#8c959f" fill="none"/>`);
  for (const t of ticks) {
    const x = scale(t);
    if (opts.gridTop !== undefined) {
      parts.push(`<path d="M${px(x)},${px(y)}V${px(opts.gridTop)}" stroke="#eaeef2" fill="none"/>`);
    }
    parts.push(`<path d="M${px(x)},${px(y)}v4" stroke="#8c959f" fill="none"/>`);
    parts.push(`<text class="tick tick-x" x="${px(x)}" y="${px(y + 16)}" text-anchor="middle">${escapeXml(scale.format(t))}</text>`);
  }
  if (opts.label) {
    parts.push(`<text class="axis-label" x="${px((r0 + r1) / 2)}" y="${px(y + 34)}" text-anchor="middle" fill="#1f2328">${escapeXml(opts.label)}</text>`);
  }
  parts.push('</g>');
  return parts.join('');
}

/** Left axis with horizontal grid lines reaching `gridRight`. */
export function axisLeft(scale: Scale, x: number, opts: { label?: string; gridRight?: number; ticks?: number } = {}): string {
  const [r0, r1] = scale.range;
  const parts = [`<g class="axis axis-y" font-size="11" fill="#57606a">`];
  parts.push(`<path d="M${px(x)},${px(r0)}V${px(r1)}" stroke="#8c959f" fill="none"/>`);
  for (const t of scale.ticks(opts.ticks)) {
    const y = scale(t);
    if (opts.gridRight !== undefined) {
      parts.push(`<path d="M${px(x)},${px(y)}H${px(opts.gridRight)}" stroke="#eaeef2" fill="none"/>`);
    }
    parts.push(`<path d="M${px(x)},${px(y)}h-4" stroke="#8c959f" fill="none"/>`);
    parts.push(`<text class="tick tick-y" x="${px(x - 7)}" y="${px(y + 4)}" text-anchor="end">${escapeXml(scale.format(t))}</text>`);
  }
  if (opts.label) {
    const cy = (r0 + r1) / 2;
    parts.push(
      `<text class="axis-label" transform="translate(${px(x - 48)},${px(cy)}) rotate(-90)" text-anchor="middle" fill="#1f2328">${escapeXml(opts.label)}</text>`,
    );
  }
  parts.push('</g>');
  return parts.join('');
}

export interface LegendItem {
  name: string;
  color: string;
  /** 'swatch' = filled square (areas, bars), 'line' = short stroke (lines), 'dot' = circle (points). */
  kind?: 'swatch' | 'line' | 'dot';
  opacity?: number;
}

/**
 * One row of legend entries starting at (x, y), wrapping at `maxWidth`. Returns the markup and the height used.
 * Widths are estimated (no text metrics without a browser): ~6.5 px a character at 11 px.
 */
export function legend(items: LegendItem[], x: number, y: number, maxWidth: number): { svg: string; height: number } {
  if (items.length === 0) return { svg: '', height: 0 };
  const parts = [`<g class="legend" font-size="11" fill="#1f2328">`];
  let cx = x,
    cy = y;
  for (const it of items) {
    const w = 18 + Math.min(it.name.length, 40) * 6.5 + 14;
    if (cx > x && cx + w > x + maxWidth) {
      cx = x;
      cy += 16;
    }
    const op = it.opacity ?? 1;
    if (it.kind === 'line') {
      parts.push(`<path d="M${px(cx)},${px(cy + 5)}h12" stroke="${it.color}" stroke-width="2.5" stroke-opacity="${op}" fill="none"/>`);
    } else if (it.kind === 'dot') {
      parts.push(`<circle cx="${px(cx + 6)}" cy="${px(cy + 5)}" r="4" fill="${it.color}" fill-opacity="${op}"/>`);
    } else {
      parts.push(`<path d="M${px(cx + 1)},${px(cy)}h10v10h-10z" fill="${it.color}" fill-opacity="${op}" stroke="${it.color}"/>`);
    }
    parts.push(`<text x="${px(cx + 17)}" y="${px(cy + 9)}">${escapeXml(truncate(it.name, 40))}</text>`);
    cx += w;
  }
  parts.push('</g>');
  return { svg: parts.join(''), height: cy - y + 16 };
}

/** The outer <svg> element. No xmlns: the charts are meant to be inlined into HTML, where it is implied. */
export function svgRoot(width: number, height: number, title: string | undefined, body: string): string {
  const label = title ? ` aria-label="${escapeXml(title)}"` : '';
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img"${label}` +
    ` font-family="${FONT}">` +
    (title ? `<title>${escapeXml(title)}</title>` : '') +
    body +
    '</svg>'
  );
}

/** Chart title text at the top left. */
export function titleText(title: string | undefined, x: number): string {
  return title ? `<text class="chart-title" x="${px(x)}" y="18" font-size="13" font-weight="600" fill="#1f2328">${escapeXml(title)}</text>` : '';
}

/** A chart-sized placeholder that says why there is nothing to draw (instead of an empty or broken plot). */
export function emptyChart(title: string | undefined, message: string, width = 640, height = 120): string {
  return svgRoot(
    width,
    height,
    title,
    titleText(title, 12) +
      `<text class="empty-state" x="${width / 2}" y="${height / 2 + 10}" text-anchor="middle" font-size="13" fill="#57606a">${escapeXml(message)}</text>`,
  );
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Pixel coordinate with two decimals (keeps files small and diffable). */
export function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}
