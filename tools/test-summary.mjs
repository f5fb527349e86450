#!/usr/bin/env node
// Print one closing line for the whole suite from the per-package vitest JSON reports written by `npm test`.
// A failure is a failed test, a test file that failed outside its tests (a failing beforeAll, an import error: its
// tests show as skipped), or a package with tests whose run wrote no report (it crashed or timed out). Usage:
// node tools/test-summary.mjs [exit status of the test run]; exits non-zero when anything failed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, '.test-results');
const runStatus = Number(process.argv[2] ?? 0);
let passed = 0,
  failed = 0,
  skipped = 0;
const problems = [];

/** Packages and apps with a vitest config: each must leave a report named after its folder. */
const expected = ['packages', 'apps'].flatMap((top) =>
  existsSync(join(root, top)) ? readdirSync(join(root, top)).filter((d) => existsSync(join(root, top, d, 'vitest.config.ts'))) : [],
);
const reports = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
for (const name of expected) {
  if (!reports.includes(`${name}.json`)) {
    failed++;
    problems.push(`${name}: no test report (the run crashed or was killed)`);
  }
}
for (const f of reports) {
  const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  for (const file of r.testResults ?? []) {
    const own = (file.assertionResults ?? []).filter((a) => a.status === 'failed').length;
    if (file.status === 'failed' && own === 0) {
      failed++;
      problems.push(`${relative(root, file.name)}: failed outside its tests: ${String(file.message ?? '').split('\n')[0]}`);
    }
  }
}
if (runStatus !== 0 && failed === 0) {
  failed++;
  problems.push(`the test run exited with status ${runStatus}`);
}
for (const p of problems) console.log(`failure: ${p}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
