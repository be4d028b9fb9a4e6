/**
 * Rewrites nsfwjs's MobileNetV2 Layers topology (Keras 2.2.4 JSON) before it is built: another
 * square input size and another batch-norm momentum. Every weight keeps its shape: convolution
 * kernels do not depend on the image size, and the net pools its last 1280-channel map to 1×1
 * (an AveragePooling2D whose window is the whole map: 7×7 at 224) before the dense head, so the
 * pooling window is set to the new map's side (inputSize / 32).
 *
 *   const t = rewriteMobileNetTopology(json.modelTopology, { inputSize: 96 }); // pool 3×3
 */
import { PretrainedModelError } from '../errors.js';

export interface MobileNetTopologyOptions {
  /** Square input side in pixels: a multiple of 32, at least 32. Default 224 (as trained). */
  inputSize?: number;
  /** Every BatchNormalization's momentum (Keras/tfjs sense: moving = m·moving + (1−m)·batch). Default: the file's (0.999). */
  batchNormMomentum?: number;
}

interface KerasLayer {
  class_name: string;
  name: string;
  config: Record<string, unknown>;
}

/** MobileNetV2 halves the resolution five times: the last feature map is inputSize / 32. */
export const MOBILENET_STRIDE = 32;

function layersOf(topology: unknown): KerasLayer[] {
  const layers = (topology as { model_config?: { config?: { layers?: unknown } } })?.model_config?.config
    ?.layers;
  if (!Array.isArray(layers)) {
    throw new PretrainedModelError(
      'the MobileNetV2 topology has no model_config.config.layers; expected a Keras functional model JSON (nsfwjs 4.4.0)',
    );
  }
  return layers as KerasLayer[];
}

/** Checks an input size: a multiple of 32 from 32 up. */
export function checkInputSize(inputSize: number): void {
  if (!Number.isInteger(inputSize) || inputSize < MOBILENET_STRIDE || inputSize % MOBILENET_STRIDE !== 0) {
    throw new PretrainedModelError(
      `MobileNetV2 inputSize ${inputSize} is not supported; expected a multiple of ${MOBILENET_STRIDE} ` +
        `from ${MOBILENET_STRIDE} up (e.g. 96, 128, 224; the CLI's --resize), so every stride-2 stage sees an even size and ` +
        'the final map pools to 1×1',
    );
  }
}

/** A deep copy of the topology with the input size and batch-norm momentum replaced. */
export function rewriteMobileNetTopology(topology: unknown, o: MobileNetTopologyOptions = {}): unknown {
  const inputSize = o.inputSize ?? 224;
  checkInputSize(inputSize);
  const copy = structuredClone(topology);
  const layers = layersOf(copy);
  const input = layers.find((l) => l.class_name === 'InputLayer');
  const pools = layers.filter((l) => l.class_name === 'AveragePooling2D');
  const pool = pools[0];
  if (!input || pools.length !== 1 || !pool) {
    throw new PretrainedModelError(
      `expected one InputLayer and one final AveragePooling2D in the MobileNetV2 topology, found ${input ? 1 : 0} and ${pools.length}`,
    );
  }
  input.config.batch_input_shape = [null, inputSize, inputSize, 3];
  const side = inputSize / MOBILENET_STRIDE;
  pool.config.pool_size = [side, side];
  pool.config.strides = [side, side];
  if (o.batchNormMomentum !== undefined) {
    for (const l of layers) {
      if (l.class_name === 'BatchNormalization') l.config.momentum = o.batchNormMomentum;
    }
  }
  return copy;
}
