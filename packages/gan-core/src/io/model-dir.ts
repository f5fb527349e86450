/**
 * Model directories: what `save(dir)` writes and `load(dir)` reads for every fingan model.
 *
 *   manifest.json  format + version, package + version, kind, backend, seed, training config, how training went
 *                  (steps run and planned, why it stopped, whether it is reproducible from the seed), loss history,
 *                  and the byte size and SHA-256 of every other file (so a truncated or edited file is caught early)
 *   model.json     network topologies (tfjs-layers JSON) and weight specs
 *   weights.bin    all weights, float32 little-endian, in spec order
 *   state.json     the model's own state (encoder, configuration)
 *
 * Everything is validated with zod on load and every failure is a ModelFormatError naming the directory and file.
 * Weights are plain float32 arrays, so a model saved on one backend loads on any other. Nothing written depends on the
 * clock (no timestamps, no timings): the same fit with the same seed on the same backend writes the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
// Registers the custom layer classes the networks use, so their saved topologies load.
import '../nn/layer-norm.js';
import { z } from 'zod';
import { ModelFormatError } from '../errors.js';
import { writeDirAtomic, writeFileAtomic } from './atomic.js';
import type { TrainingRecord } from '../training/schedule.js';
import { dpRecordSchema, type DpRecord } from '../privacy/dp-record.js';
import { decodeWeights, encodeWeights, modelWeights, weightGroupsSchema } from './weights.js';

export const MODEL_FORMAT = 'fingan-model';
export const MODEL_FORMAT_VERSION = 1;

const fileEntry = z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const manifestSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  formatVersion: z.number().int().positive(),
  package: z.string().min(1),
  packageVersion: z.string().min(1),
  kind: z.string().min(1),
  backend: z.string(),
  seed: z.number(),
  /** Written by models saved before fits became step-based; no longer written (it made equal fits differ). */
  createdAt: z.string().optional(),
  training: z
    .object({ steps: z.number().int().nonnegative(), plannedSteps: z.number().int().nonnegative(), stoppedBy: z.string(), reproducible: z.boolean() })
    .optional(),
  trainingConfig: z.record(z.string(), z.unknown()),
  lossHistory: z.array(z.object({ step: z.number(), critic: z.number(), generator: z.number(), penalty: z.number().optional() })),
  /** Present only for a differentially private fit: its (epsilon, delta) and how they were spent. */
  privacy: dpRecordSchema.optional(),
  files: z.object({ 'model.json': fileEntry, 'weights.bin': fileEntry, 'state.json': fileEntry }),
});
export type ModelManifest = z.infer<typeof manifestSchema>;

const modelJsonSchema = z.object({
  networks: z.record(z.string(), z.object({ topology: z.record(z.string(), z.unknown()) })),
  weights: weightGroupsSchema,
});

export interface SaveModelArgs {
  package: string;
  packageVersion: string;
  kind: string;
  networks: Record<string, tf.LayersModel>;
  state: unknown;
  seed: number;
  trainingConfig: Record<string, unknown>;
  /** How training went (steps, stop reason, reproducibility). */
  training: TrainingRecord;
  lossHistory: ModelManifest['lossHistory'];
  /** A differentially private fit's guarantee (omitted otherwise). */
  privacy?: DpRecord;
}

export interface LoadedModel {
  manifest: ModelManifest;
  networks: Record<string, tf.LayersModel>;
  state: unknown;
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

async function topologyOf(model: tf.LayersModel): Promise<Record<string, unknown>> {
  let topology: Record<string, unknown> = {};
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      topology = artifacts.modelTopology as Record<string, unknown>;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return topology;
}

/** Write a model directory atomically (a crash leaves the previous directory, never a half-written one). */
export async function saveModelDir(dir: string, args: SaveModelArgs): Promise<void> {
  const networks: Record<string, { topology: Record<string, unknown> }> = {};
  const groups: Record<string, ReturnType<typeof modelWeights>> = {};
  for (const [name, model] of Object.entries(args.networks)) {
    networks[name] = { topology: await topologyOf(model) };
    groups[name] = modelWeights(model);
  }
  const { specs, data } = encodeWeights(groups);
  Object.values(groups).forEach((g) => g.forEach((w) => w.tensor.dispose()));
  const modelJson = JSON.stringify({ networks, weights: specs });
  const stateJson = JSON.stringify(args.state);
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    package: args.package,
    packageVersion: args.packageVersion,
    kind: args.kind,
    backend: tf.getBackend(),
    seed: args.seed,
    training: args.training,
    trainingConfig: args.trainingConfig,
    lossHistory: args.lossHistory,
    ...(args.privacy ? { privacy: args.privacy } : {}),
    files: {
      'model.json': { bytes: Buffer.byteLength(modelJson), sha256: sha256(modelJson) },
      'weights.bin': { bytes: data.byteLength, sha256: sha256(data) },
      'state.json': { bytes: Buffer.byteLength(stateJson), sha256: sha256(stateJson) },
    },
  };
  await writeDirAtomic(dir, (tmp) => {
    writeFileAtomic(join(tmp, 'model.json'), modelJson);
    writeFileAtomic(join(tmp, 'weights.bin'), data);
    writeFileAtomic(join(tmp, 'state.json'), stateJson);
    writeFileAtomic(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
  });
}

function firstIssue(e: unknown): string {
  if (e instanceof z.ZodError) {
    const i = e.issues[0];
    return `${i.path.join('.') || '(root)'}: ${i.message}`;
  }
  return (e as Error).message.split('\n')[0];
}

/** Read just the manifest (to check which package wrote a directory before loading it). */
export function readManifest(dir: string): ModelManifest {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ModelFormatError(`model directory ${dir} does not exist`, { file: dir });
  }
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new ModelFormatError(`${dir} is not a fingan model directory (no manifest.json)`, { file: dir });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ModelFormatError(`${path} is not valid JSON (${firstIssue(e)})`, { file: path });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw new ModelFormatError(`${path} is not a valid fingan manifest (${firstIssue(parsed.error)})`, { file: path });
  if (parsed.data.formatVersion > MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(`${dir} uses model format ${parsed.data.formatVersion}; this fingan reads up to ${MODEL_FORMAT_VERSION}`, { file: path });
  }
  return parsed.data;
}

/**
 * Load and verify a model directory. `expect` names the package and kind the caller can use; a directory written
 * by another package is refused with a message saying which one wrote it.
 */
export async function loadModelDir(dir: string, expect: { package: string; kind?: string }): Promise<LoadedModel> {
  const manifest = readManifest(dir);
  if (manifest.package !== expect.package || (expect.kind && manifest.kind !== expect.kind)) {
    throw new ModelFormatError(`${dir} holds a ${manifest.kind} model from ${manifest.package}, not a ${expect.kind ?? 'model'} from ${expect.package}`, {
      file: dir,
    });
  }
  const files: Record<string, Buffer> = {};
  for (const [name, entry] of Object.entries(manifest.files)) {
    const path = join(dir, name);
    if (!existsSync(path)) throw new ModelFormatError(`${dir} is incomplete: ${name} is missing`, { file: path });
    const buf = readFileSync(path);
    if (buf.byteLength !== entry.bytes) {
      throw new ModelFormatError(`${path} has ${buf.byteLength} bytes, the manifest says ${entry.bytes} (truncated or edited)`, { file: path });
    }
    if (sha256(buf) !== entry.sha256) throw new ModelFormatError(`${path} does not match its checksum in the manifest (edited or corrupted)`, { file: path });
    files[name] = buf;
  }
  let modelJson: z.infer<typeof modelJsonSchema>;
  let state: unknown;
  try {
    modelJson = modelJsonSchema.parse(JSON.parse(files['model.json'].toString('utf8')));
    state = JSON.parse(files['state.json'].toString('utf8'));
  } catch (e) {
    throw new ModelFormatError(`${dir}: model.json or state.json is invalid (${firstIssue(e)})`, { file: dir });
  }
  const weights = decodeWeights(modelJson.weights, files['weights.bin'], join(dir, 'weights.bin'));
  const networks: Record<string, tf.LayersModel> = {};
  for (const [name, net] of Object.entries(modelJson.networks)) {
    const w = weights[name];
    if (!w) throw new ModelFormatError(`${dir}: no weights stored for network '${name}'`, { file: join(dir, 'model.json') });
    try {
      const model = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: net.topology as tf.io.ModelJSON['modelTopology'],
        }),
      );
      if (model.weights.length !== w.length) throw new Error(`expected ${model.weights.length} weight tensors, found ${w.length}`);
      model.setWeights(w.map((x) => x.tensor));
      networks[name] = model;
    } catch (e) {
      throw new ModelFormatError(`${dir}: network '${name}' cannot be rebuilt (${firstIssue(e)})`, { file: join(dir, 'model.json') });
    } finally {
      w.forEach((x) => x.tensor.dispose());
    }
  }
  return { manifest, networks, state };
}
