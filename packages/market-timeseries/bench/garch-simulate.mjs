// GARCH(1,1)-t CCC simulation at scale: 10,000 paths x 252 days x 5 assets, fitted to five Dow Jones stocks.
// Prints one JSON line. Run after building: `npx tsc -b packages/market-timeseries && node packages/market-timeseries/bench/garch-simulate.mjs`
// Options: --paths N --horizon N --seed N
import { fitGarch, logReturns, readPricesCsv, simulatePaths } from '../dist/index.js';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const paths = Number(args.paths ?? 10_000);
const horizon = Number(args.horizon ?? 252);
const seed = Number(args.seed ?? 1);
const file = new URL('../../../data/dowjones30_daily.csv', import.meta.url).pathname;
const assets = ['AA', 'IBM', 'KO', 'MSFT', 'XOM'];

const series = readPricesCsv(file, { assets });
const t0 = performance.now();
const model = fitGarch(logReturns(series));
const t1 = performance.now();
const out = simulatePaths({ model, startPrices: series.prices.map((p) => p[p.length - 1]), horizon, paths, seed });
const t2 = performance.now();
let ok = 0;
for (const v of out.data) if (Number.isFinite(v) && v > 0) ok++;
console.log(
  JSON.stringify({
    bench: 'market-timeseries/garch-simulate',
    paths,
    horizon,
    assets: assets.length,
    fitSeconds: +((t1 - t0) / 1000).toFixed(2),
    simulateSeconds: +((t2 - t1) / 1000).toFixed(2),
    assetStepsPerSecond: Math.round((paths * horizon * assets.length) / ((t2 - t1) / 1000)),
    allPricesFinitePositive: ok === out.data.length,
    peakRssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    persistence: model.fitInfo.map((f) => +f.persistence.toFixed(4)),
  }),
);
