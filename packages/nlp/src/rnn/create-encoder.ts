/**
 * The registry of encoder implementations: `scratch` (tf ops, d2l's from-scratch chapters) and
 * `layers` (tfjs `simpleRNN`/`gru`/`lstm`/`bidirectional`, d2l's concise chapters).
 *
 *   const enc = createEncoder('scratch', { kind: 'lstm', inputDim: 28, numHiddens: 32 });
 */
import type { EncoderImpl, RecurrentEncoder, RecurrentOptions } from './encoder.js';
import { LayersEncoder } from './layers-encoder.js';
import { ScratchEncoder } from './scratch-encoder.js';

export const ENCODERS: Readonly<Record<EncoderImpl, (o: RecurrentOptions) => RecurrentEncoder>> = {
  scratch: (o) => new ScratchEncoder(o),
  layers: (o) => new LayersEncoder(o),
};

export function createEncoder(impl: EncoderImpl, options: RecurrentOptions): RecurrentEncoder {
  return ENCODERS[impl](options);
}
