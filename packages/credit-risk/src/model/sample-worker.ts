/**
 * A worker thread of streaming sampling (stream.ts): loads the model (and its privacy guard) once, then makes the
 * block parts it is sent and posts each back with the tallies of that part. Runs from dist (a built package).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, type BackendRequest, type FinganError } from '@fingan/gan-core';
import { CreditSynthesizer, type CreditSampleOptions, type SampleReport } from './credit-synthesizer.js';

interface Data {
  modelDir: string;
  privacyGuard?: string;
  backend: string;
  options: CreditSampleOptions;
}

const data = workerData as Data;
const port = parentPort!;
const ready = (async () => {
  await initBackend({ backend: data.backend as BackendRequest });
  const s = await CreditSynthesizer.load(data.modelDir, { privacyGuard: data.privacyGuard });
  return s.blockSampler(data.options);
})();

port.on('message', (m: { id: number; block: number; skip: number; take: number }) => {
  void ready
    .then((sampler) => {
      const before = { ...sampler.report };
      const table = sampler.part(m);
      const r = sampler.report;
      const tally: SampleReport = {
        ...r,
        rows: r.rows - before.rows,
        generated: r.generated - before.generated,
        ruleViolationsDropped: r.ruleViolationsDropped - before.ruleViolationsDropped,
        exactCopiesDropped: r.exactCopiesDropped - before.exactCopiesDropped,
      };
      port.postMessage({ id: m.id, table, tally });
    })
    .catch((e: unknown) => {
      const err = e as FinganError;
      port.postMessage({ id: m.id, error: { name: err?.constructor?.name ?? 'Error', message: err?.message ?? String(e), at: err?.at ?? {} } });
    });
});
