import { z } from 'zod';
import { BooleanEncoder, booleanStateSchema } from './boolean.js';
import { CategoricalEncoder, categoricalStateSchema } from './categorical.js';
import { ContinuousEncoder, continuousStateSchema } from './continuous.js';
import { DatetimeEncoder, datetimeStateSchema } from './datetime.js';
import { IntegerEncoder, integerStateSchema } from './integer.js';
import { MissingEncoder, missingStateSchema } from './missing.js';
import type { ColumnEncoder } from './types.js';

const baseStateSchema = z.discriminatedUnion('type', [
  continuousStateSchema,
  integerStateSchema,
  categoricalStateSchema,
  booleanStateSchema,
  datetimeStateSchema,
]);

/** Any column encoder's JSON state (a base encoder, or withMissing around one). */
export const encoderStateSchema = z.discriminatedUnion('type', [...baseStateSchema.options, missingStateSchema(baseStateSchema)]);
export type EncoderState = z.infer<typeof encoderStateSchema>;
type BaseState = z.infer<typeof baseStateSchema>;

/** Rebuild an encoder from a state already validated by encoderStateSchema. */
export function encoderFromState(state: EncoderState, name?: string): ColumnEncoder {
  if (state.type === 'missing') return MissingEncoder.fromJSON(state, baseFromState(state.inner, name), name);
  return baseFromState(state, name);
}

function baseFromState(state: BaseState, name?: string): ColumnEncoder {
  switch (state.type) {
    case 'continuous':
      return ContinuousEncoder.fromJSON(state, name);
    case 'integer':
      return IntegerEncoder.fromJSON(state, name);
    case 'categorical':
      return CategoricalEncoder.fromJSON(state, name);
    case 'boolean':
      return BooleanEncoder.fromJSON(state, name);
    case 'datetime':
      return DatetimeEncoder.fromJSON(state, name);
  }
}

/** The column kind an encoder state encodes (withMissing is transparent). */
export function stateKind(state: EncoderState): BaseState['type'] {
  return state.type === 'missing' ? state.inner.type : state.type;
}
