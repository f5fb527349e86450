import * as tf from '@tensorflow/tfjs';
import { glorot, inputsWithCondition, type OutputActivation } from './common.js';

export type CellType = 'lstm' | 'gru';

export interface SequenceGeneratorArgs {
  /** Noise width per time step. */
  noiseDim: number;
  /** Per-step condition width (e.g. regime features), concatenated to the noise. */
  condDim?: number;
  /** Units of each recurrent layer, e.g. [64]. */
  units: number[];
  cell?: CellType;
  /** Output width per step (e.g. number of assets). */
  outputDim: number;
  outputActivation?: OutputActivation;
  seed?: number;
  name?: string;
}

export interface SequenceCriticArgs {
  /** Features per step. */
  inputDim: number;
  condDim?: number;
  units: number[];
  cell?: CellType;
  seed?: number;
  name?: string;
}

function recurrentLayer(cell: CellType, units: number, returnSequences: boolean, seed: number | undefined, name: string) {
  const common = {
    units,
    returnSequences,
    kernelInitializer: glorot(seed),
    // Orthogonal init is very slow in tfjs above ~2,000 elements; glorot is fine for these sizes.
    recurrentInitializer: glorot(seed === undefined ? undefined : seed + 7),
    name,
  };
  // Sigmoid gates (tfjs defaults to hardSigmoid, whose kinks make second-order gradients piecewise).
  return cell === 'gru' ? tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' }) : tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid' });
}

/**
 * A recurrent sequence generator: [batch, T, noise(+cond)] -> [batch, T, outputDim]. T is free, so the same
 * weights generate any length; `sequenceStepper` carries the state across calls for streaming generation.
 */
export function sequenceGenerator(args: SequenceGeneratorArgs): tf.LayersModel {
  const name = args.name ?? 'seqgen';
  const { inputs, joined } = inputsWithCondition([null as unknown as number, args.noiseDim], args.condDim ?? 0, name);
  let h = joined;
  args.units.forEach((u, i) => {
    h = recurrentLayer(args.cell ?? 'lstm', u, true, args.seed === undefined ? undefined : args.seed + 10 * i, `${name}_rnn${i}`).apply(h) as tf.SymbolicTensor;
  });
  const out = tf.layers
    .timeDistributed({
      layer: tf.layers.dense({ units: args.outputDim, activation: args.outputActivation ?? 'linear', kernelInitializer: glorot(args.seed) }),
      name: `${name}_out`,
    })
    .apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: out, name });
}

/** A recurrent critic: [batch, T, features(+cond)] -> [batch, 1] score from the last hidden state. */
export function sequenceCritic(args: SequenceCriticArgs): tf.LayersModel {
  const name = args.name ?? 'seqcritic';
  const { inputs, joined } = inputsWithCondition([null as unknown as number, args.inputDim], args.condDim ?? 0, name);
  let h = joined;
  args.units.forEach((u, i) => {
    const last = i === args.units.length - 1;
    h = recurrentLayer(args.cell ?? 'lstm', u, !last, args.seed === undefined ? undefined : args.seed + 10 * i, `${name}_rnn${i}`).apply(
      h,
    ) as tf.SymbolicTensor;
  });
  const out = tf.layers.dense({ units: 1, kernelInitializer: glorot(args.seed), name: `${name}_out` }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: out, name });
}

export type RecurrentState = tf.Tensor2D[][];

/**
 * Step a `sequenceGenerator` chunk by chunk, carrying each recurrent layer's state, so a path of any length can be
 * generated (and streamed) from a model trained on fixed windows. `run(noiseChunk)` returns the outputs for those
 * steps; the state lives in the stepper and must be released with `dispose()`.
 */
export class SequenceStepper {
  private state: RecurrentState | null = null;
  private readonly rnns: tf.layers.Layer[];
  private readonly head: tf.layers.Layer;
  private readonly join: tf.layers.Layer | null;

  constructor(readonly model: tf.LayersModel) {
    this.rnns = model.layers.filter((l) => l.getClassName() === 'LSTM' || l.getClassName() === 'GRU');
    this.head = model.layers[model.layers.length - 1];
    this.join = model.layers.find((l) => l.getClassName() === 'Concatenate') ?? null;
    if (!this.rnns.length) throw new Error(`${model.name} has no recurrent layers`);
  }

  /** Set the recurrent state from an initial chunk (e.g. real recent history encoded as inputs): runs and keeps state. */
  run(x: tf.Tensor3D, cond?: tf.Tensor3D): tf.Tensor3D {
    const next: RecurrentState = [];
    const out = tf.tidy(() => {
      let h: tf.Tensor = this.join && cond ? tf.concat([x, cond], -1) : x;
      this.rnns.forEach((layer, li) => {
        const cell = (layer as unknown as { cell: { call(inputs: tf.Tensor[], kw: object): tf.Tensor[]; stateSize: number | number[]; units: number } }).cell;
        const units = cell.units; // the RNN layer itself has no `units` in tfjs 4.22; its cell does
        const nStates = Array.isArray(cell.stateSize) ? cell.stateSize.length : 1;
        const batch = h.shape[0];
        let states: tf.Tensor[] = this.state ? this.state[li] : Array.from({ length: nStates }, () => tf.zeros([batch, units]));
        const steps = tf.unstack(h, 1);
        const outs: tf.Tensor[] = [];
        for (const s of steps) {
          const r = cell.call([s, ...states], {});
          outs.push(r[0]);
          states = r.slice(1);
        }
        next.push(states.map((t) => tf.keep(t) as tf.Tensor2D));
        h = tf.stack(outs, 1);
      });
      return this.head.apply(h) as tf.Tensor3D;
    });
    this.disposeState();
    this.state = next;
    return out;
  }

  reset(): void {
    this.disposeState();
  }

  private disposeState(): void {
    if (this.state) for (const layer of this.state) for (const t of layer) t.dispose();
    this.state = null;
  }

  dispose(): void {
    this.disposeState();
  }
}
