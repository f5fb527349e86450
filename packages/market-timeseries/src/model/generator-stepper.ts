import { tf } from '@fingan/gan-core';
import { generatorLayerNames } from './networks.js';

type Cell = { call(inputs: tf.Tensor[], kwargs: object): tf.Tensor[]; stateSize: number | number[] };

/**
 * Runs a `pathGenerator` chunk by chunk, carrying the recurrent state from one call to the next, so a path of
 * any length (or one step at a time, when the next condition depends on what was just generated) gives exactly
 * what one run over the whole sequence would. gan-core's `SequenceStepper` does this for its own
 * `sequenceGenerator` (recurrent layers, then one output layer); this generator has a skip connection and a
 * two-layer head after the recurrent layer, so it gets its own stepper.
 */
export class GeneratorStepper {
  private state: tf.Tensor2D[] | null = null;
  private readonly cell: Cell;
  private readonly units: number;
  private readonly head: tf.layers.Layer[];
  private readonly hasCond: boolean;

  constructor(
    readonly model: tf.LayersModel,
    name = 'generator',
  ) {
    const n = generatorLayerNames(name);
    const rnn = model.getLayer(n.rnn);
    this.cell = (rnn as unknown as { cell: Cell }).cell;
    this.units = (this.cell as unknown as { units: number }).units;
    this.head = [model.getLayer(n.hidden), model.getLayer(n.act), model.getLayer(n.out)];
    this.hasCond = model.inputs.length > 1;
  }

  /** Outputs [paths, steps, outputDim] for noise [paths, steps, noiseDim] (and the condition), continuing the state. */
  run(noise: tf.Tensor3D, cond?: tf.Tensor3D): tf.Tensor3D {
    if (this.hasCond !== !!cond) throw new Error(this.hasCond ? 'this generator needs a condition input' : 'this generator takes no condition');
    let next: tf.Tensor2D[] = [];
    const out = tf.tidy(() => {
      const x = cond ? tf.concat([noise, cond], -1) : noise;
      const batch = x.shape[0];
      const nStates = Array.isArray(this.cell.stateSize) ? this.cell.stateSize.length : 1;
      let states: tf.Tensor[] = this.state ?? Array.from({ length: nStates }, () => tf.zeros([batch, this.units]));
      const outs: tf.Tensor[] = [];
      for (const s of tf.unstack(x, 1)) {
        const r = this.cell.call([s, ...states], {});
        outs.push(r[0]);
        states = r.slice(1);
      }
      next = states.map((t) => tf.keep(t) as tf.Tensor2D);
      let h: tf.Tensor = tf.concat([tf.stack(outs, 1), x], -1);
      for (const layer of this.head) h = layer.apply(h) as tf.Tensor;
      return h as tf.Tensor3D;
    });
    this.reset();
    this.state = next;
    return out;
  }

  /** Forget the state (the next run starts from zeros, like a fresh sequence). */
  reset(): void {
    this.state?.forEach((t) => t.dispose());
    this.state = null;
  }

  dispose(): void {
    this.reset();
  }
}
