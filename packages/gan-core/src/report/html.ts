import { writeFileAtomic } from '../io/atomic.js';
import { escapeXml } from './svg.js';

/**
 * HTML assembly for reports: one self-contained file (inline CSS and SVG, no scripts, fonts or links) that opens
 * offline, survives being mailed around, and prints cleanly (charts and tables are not split across pages).
 */

/**
 * Cell text: integers as they are, other numbers to 4 significant digits (0.123456 -> 0.1235, 12345.678 -> 12350),
 * null/undefined as an en dash, everything else through String().
 */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return String(v);
    return String(Number(v.toPrecision(4)));
  }
  return String(v);
}

export interface HtmlTableOptions {
  /** Columns in order; defaults to every key in order of first appearance. */
  columns?: string[];
  /** Cell formatter; its result is escaped. Defaults to `formatValue`. */
  format?: (value: unknown, column: string) => string;
  caption?: string;
}

/** A table of records; numeric columns are right-aligned with tabular digits. */
export function htmlTable(rows: Record<string, unknown>[], opts: HtmlTableOptions = {}): string {
  const columns = opts.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const format = opts.format ?? ((v: unknown) => formatValue(v));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number'));
  const parts = ['<div class="table-wrap"><table>'];
  if (opts.caption) parts.push(`<caption>${escapeXml(opts.caption)}</caption>`);
  parts.push('<thead><tr>');
  columns.forEach((c, j) => parts.push(`<th${numeric[j] ? ' class="num"' : ''} scope="col">${escapeXml(c)}</th>`));
  parts.push('</tr></thead><tbody>');
  if (rows.length === 0) {
    parts.push(`<tr><td class="empty" colspan="${Math.max(1, columns.length)}">No rows</td></tr>`);
  }
  for (const r of rows) {
    parts.push('<tr>');
    columns.forEach((c, j) => parts.push(`<td${numeric[j] ? ' class="num"' : ''}>${escapeXml(format(r[c], c))}</td>`));
    parts.push('</tr>');
  }
  parts.push('</tbody></table></div>');
  return parts.join('');
}

/** A paragraph of plain (escaped) text, e.g. how to read the section. */
export function paragraph(text: string): string {
  return `<p class="note">${escapeXml(text)}</p>`;
}

/**
 * A titled section. Charts (blocks that are an `<svg>`) flow in a responsive grid, two or three a row on a wide
 * screen; any other block (tables, text) spans the full width.
 */
export function section(title: string, ...blocks: string[]): string {
  const body = blocks
    .map((b) => {
      const t = b.trimStart();
      return t.startsWith('<svg') ? `<figure class="chart-box">${b}</figure>` : `<div class="wide">${b}</div>`;
    })
    .join('\n');
  return `<section>\n<h2>${escapeXml(title)}</h2>\n<div class="grid">\n${body}\n</div>\n</section>`;
}

const CSS = `
:root { --fg: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #eaeef2; --bg: #f6f8fa; --accent: #0072B2; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
header, main, footer { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; padding-bottom: 8px; }
h1 { font-size: 24px; margin: 0 0 4px; }
.subtitle { color: var(--muted); margin: 0; font-size: 15px; }
.meta { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px 20px; margin: 16px 0; }
h2 { font-size: 17px; margin: 0 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--soft); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 420px), 1fr)); gap: 16px; align-items: start; }
.grid > .wide { grid-column: 1 / -1; }
figure { margin: 0; }
svg.chart { display: block; width: 100%; height: auto; max-width: 100%; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; min-width: 50%; }
caption { text-align: left; font-weight: 600; padding: 0 0 6px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--soft); text-align: left; vertical-align: top; }
th { border-bottom: 1px solid var(--line); font-weight: 600; background: #fafbfc; }
th.num, td.num { text-align: right; }
td.empty { color: var(--muted); font-style: italic; }
tbody tr:hover { background: #f6f8fa; }
p.note { color: var(--muted); margin: 0; max-width: 80ch; }
footer { color: var(--muted); font-size: 12px; padding-bottom: 24px; }
@media print {
  body { background: #fff; font-size: 11pt; }
  header, main, footer { max-width: none; padding: 0; }
  section { border: none; padding: 0; margin: 0 0 12pt; }
  .grid { display: block; }
  figure, .table-wrap, tr { break-inside: avoid; page-break-inside: avoid; }
  figure { margin-bottom: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
}
`;

/** The complete document. `generatedAt` is shown as given (pass a fixed string for reproducible files). */
export function htmlPage(opts: { title: string; subtitle?: string; sections: string[]; generatedAt?: string }): string {
  const sub = opts.subtitle ? `<p class="subtitle">${escapeXml(opts.subtitle)}</p>` : '';
  const meta = opts.generatedAt ? `<p class="meta">Generated ${escapeXml(opts.generatedAt)}</p>` : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(opts.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeXml(opts.title)}</h1>${sub}${meta}</header>`,
    '<main>',
    ...opts.sections,
    '</main>',
    '<footer>Self-contained report: charts are inline SVG; hover a mark for its value.</footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Write the report so that a reader never sees a half-written file. */
export function writeReport(path: string, html: string): void {
  writeFileAtomic(path, html);
}
