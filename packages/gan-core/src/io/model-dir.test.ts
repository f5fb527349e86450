import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import { applyNet } from '../nn/common.js';
import { mlp } from '../nn/mlp.js';
import { sequenceGenerator } from '../nn/recurrent.js';
import { loadModelDir, readManifest, saveModelDir } from './model-dir.js';

const tmp = mkdtempSync(join(tmpdir(), 'fingan-modeldir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const x = () =>
  tf.tensor2d(
    Array.from({ length: 12 }, (_, i) => Math.sin(i)),
    [3, 4],
  );
const seqX = () =>
  tf.tensor3d(
    Array.from({ length: 2 * 5 * 3 }, (_, i) => Math.cos(i)),
    [2, 5, 3],
  );

async function saved(name: string) {
  const dir = join(tmp, name);
  const net = mlp({ inputDim: 4, condDim: 2, hidden: [8], outputDim: 2, seed: 1, name: `n_${name}` });
  const seq = sequenceGenerator({ noiseDim: 3, units: [4], cell: 'gru', outputDim: 2, seed: 2, name: `s_${name}` });
  await saveModelDir(dir, {
    package: '@fingan/test',
    packageVersion: '1.2.3',
    kind: 'toy',
    networks: { net, seq },
    state: { hello: 'world' },
    seed: 7,
    trainingConfig: { epochs: 3 },
    training: { steps: 1, plannedSteps: 1, stoppedBy: 'completed', reproducible: true },
    lossHistory: [{ step: 1, critic: -0.5, generator: 0.25 }],
  });
  return { dir, net, seq };
}

describe('model directories', () => {
  it('round-trips networks, state and manifest, and loads on another backend', async () => {
    const { dir, net, seq } = await saved('ok');
    const cond = tf.ones([3, 2]);
    const want = applyNet(net, x(), cond).arraySync() as number[][];
    const wantSeq = applyNet(seq, seqX()).arraySync() as number[][][];
    const m = readManifest(dir);
    expect(m).toMatchObject({
      format: 'fingan-model',
      formatVersion: 1,
      package: '@fingan/test',
      packageVersion: '1.2.3',
      kind: 'toy',
      backend: 'wasm',
      seed: 7,
    });
    expect(m.training).toEqual({ steps: 1, plannedSteps: 1, stoppedBy: 'completed', reproducible: true });
    expect(m).not.toHaveProperty('createdAt');
    expect(m.lossHistory).toEqual([{ step: 1, critic: -0.5, generator: 0.25 }]);
    await initBackend({ backend: 'cpu' });
    const back = await loadModelDir(dir, { package: '@fingan/test', kind: 'toy' });
    expect(tf.getBackend()).toBe('cpu');
    expect(back.state).toEqual({ hello: 'world' });
    const got = applyNet(back.networks.net, x(), tf.ones([3, 2])).arraySync() as number[][];
    got.flat().forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i], 5));
    const gotSeq = applyNet(back.networks.seq, seqX()).arraySync() as number[][][];
    gotSeq.flat(2).forEach((v, i) => expect(v).toBeCloseTo(wantSeq.flat(2)[i], 5));
    await initBackend({ backend: 'wasm' });
  });

  it('refuses a directory from another package, naming both', async () => {
    const { dir } = await saved('other');
    await expect(loadModelDir(dir, { package: '@fingan/credit-risk' })).rejects.toThrow(
      /holds a toy model from @fingan\/test, not a model from @fingan\/credit-risk/,
    );
  });

  it('gives a clear error for each kind of damage', async () => {
    const { dir } = await saved('damaged');
    const w = join(dir, 'weights.bin');
    const bytes = readFileSync(w);
    bytes[10] ^= 0xff; // same size, edited
    writeFileSync(w, bytes);
    await expect(loadModelDir(dir, { package: '@fingan/test' })).rejects.toThrow(/weights.bin does not match its checksum in the manifest/);
    unlinkSync(w);
    await expect(loadModelDir(dir, { package: '@fingan/test' })).rejects.toThrow(/is incomplete: weights.bin is missing/);
    const mpath = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(mpath, 'utf8'));
    writeFileSync(mpath, JSON.stringify({ ...manifest, formatVersion: 99 }));
    expect(() => readManifest(dir)).toThrow(/uses model format 99; this fingan reads up to 1/);
    writeFileSync(mpath, JSON.stringify({ ...manifest, seed: 'seven' }));
    expect(() => readManifest(dir)).toThrow(/is not a valid fingan manifest \(seed: /);
    writeFileSync(mpath, '{"format": "fingan-model", "formatVer');
    expect(() => readManifest(dir)).toThrow(/manifest.json is not valid JSON/);
    unlinkSync(mpath);
    expect(() => readManifest(dir)).toThrow(/is not a fingan model directory \(no manifest.json\)/);
  });

  it('rejects a model.json whose topology was edited', async () => {
    const { dir } = await saved('topo');
    const mj = join(dir, 'model.json');
    const doc = JSON.parse(readFileSync(mj, 'utf8'));
    doc.networks.net.topology.config.layers[1].class_name = 'NoSuchLayer';
    const text = JSON.stringify(doc);
    writeFileSync(mj, text);
    // Keep the manifest consistent so the failure comes from the topology itself.
    const mpath = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(mpath, 'utf8'));
    const { createHash } = await import('node:crypto');
    manifest.files['model.json'] = { bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
    writeFileSync(mpath, JSON.stringify(manifest));
    await expect(loadModelDir(dir, { package: '@fingan/test' })).rejects.toThrow(/network 'net' cannot be rebuilt/);
  });

  it('writes atomically: a failing save leaves the previous directory intact', async () => {
    const { dir } = await saved('atomic');
    const before = readFileSync(join(dir, 'manifest.json'), 'utf8');
    const bad = { ...({} as object) } as unknown as tf.LayersModel;
    await expect(
      saveModelDir(dir, {
        package: 'p',
        packageVersion: '1',
        kind: 'k',
        networks: { bad },
        state: {},
        seed: 0,
        trainingConfig: {},
        training: { steps: 0, plannedSteps: 0, stoppedBy: 'completed', reproducible: true },
        lossHistory: [],
      }),
    ).rejects.toThrow();
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe(before);
  });
});
