/**
 * Named groups of tensors <-> one binary blob plus a JSON spec. Used by checkpoints and model directories; every
 * size is checked on decode so a truncated or edited file gives a ModelFormatError, not a crash inside tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ModelFormatError } from '../errors.js';

export const weightSpecSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int32']),
});
export type WeightSpec = z.infer<typeof weightSpecSchema>;
export const weightGroupsSchema = z.record(z.string(), z.array(weightSpecSchema));
export type WeightGroups = z.infer<typeof weightGroupsSchema>;

export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export function encodeWeights(groups: Record<string, NamedTensor[]>): { specs: WeightGroups; data: Uint8Array } {
  const specs: WeightGroups = {};
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (const [group, list] of Object.entries(groups)) {
    specs[group] = list.map(({ name, tensor }) => {
      const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
      const values = dtype === 'int32' ? Int32Array.from(tensor.dataSync()) : Float32Array.from(tensor.dataSync());
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      chunks.push(bytes);
      total += bytes.byteLength;
      return { name, shape: tensor.shape, dtype };
    });
  }
  const data = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    data.set(c, off);
    off += c.byteLength;
  }
  return { specs, data };
}

export function expectedBytes(specs: WeightGroups): number {
  let n = 0;
  for (const list of Object.values(specs)) for (const s of list) n += 4 * s.shape.reduce((a, b) => a * b, 1);
  return n;
}

export function decodeWeights(specs: WeightGroups, data: Uint8Array, where: string): Record<string, NamedTensor[]> {
  const need = expectedBytes(specs);
  if (data.byteLength !== need) {
    throw new ModelFormatError(`${where}: weights hold ${data.byteLength} bytes but the spec needs ${need} (truncated or edited file)`, { file: where });
  }
  // Copy into an aligned buffer: typed-array views need 4-byte alignment.
  const buf = new Uint8Array(need);
  buf.set(data);
  const out: Record<string, NamedTensor[]> = {};
  let off = 0;
  for (const [group, list] of Object.entries(specs)) {
    out[group] = list.map((s) => {
      const n = s.shape.reduce((a, b) => a * b, 1);
      const values = s.dtype === 'int32' ? new Int32Array(buf.buffer, off, n) : new Float32Array(buf.buffer, off, n);
      off += 4 * n;
      return { name: s.name, tensor: tf.tensor(values.slice(), s.shape, s.dtype) };
    });
  }
  return out;
}

/** Current weights of a model as named tensors (copies). */
export function modelWeights(model: tf.LayersModel): NamedTensor[] {
  return model.weights.map((w) => ({ name: w.originalName, tensor: w.read().clone() }));
}

/** Assign weights to a model in order, checking count and shapes. */
export function assignModelWeights(model: tf.LayersModel, weights: NamedTensor[], where: string): void {
  const target = model.weights;
  if (target.length !== weights.length) {
    throw new ModelFormatError(`${where}: ${model.name} has ${target.length} weight tensors but ${weights.length} were stored`, { file: where });
  }
  target.forEach((w, i) => {
    const got = weights[i].tensor.shape.join('x');
    const want = w.shape.join('x');
    if (got !== want) throw new ModelFormatError(`${where}: weight ${w.originalName} has shape ${got}, expected ${want}`, { file: where });
  });
  model.setWeights(weights.map((w) => w.tensor));
}
