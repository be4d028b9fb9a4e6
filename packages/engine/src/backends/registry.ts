/**
 * The backends dlpipe can run on, in the order it tries them, and how each one is loaded.
 * A loader resolves when its backend is registered with tfjs, or throws saying why it cannot be.
 */
import * as tf from '../tf.js';

/** Backend names, best first. */
export const BACKEND_ORDER = ['tensorflow', 'native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

/** What a loaded backend can tell about itself. */
export interface BackendFacts {
  version: string;
  threads: number;
  simd: boolean;
}

export interface BackendLoader {
  /** Registers the backend with tfjs (idempotent) or throws with the reason it cannot load. */
  load(): Promise<void>;
  /** Facts about the backend once it is active. */
  facts(): Promise<BackendFacts>;
  /** How to get this backend where it does not load. */
  howTo: string;
}

export const BACKEND_LOADERS: Record<BackendName, BackendLoader> = {
  tensorflow: {
    async load() {
      // tfjs-node registers the 'tensorflow' backend on import; it throws when its binding is absent.
      await import('@tensorflow/tfjs-node');
    },
    async facts() {
      return { version: tf.version_core, threads: 0, simd: true };
    },
    howTo:
      'install @tensorflow/tfjs-node on a machine that can download libtensorflow ' +
      '(its install script fetches it), then reinstall dlpipe',
  },
  native: {
    async load() {
      const { registerNativeBackend } = await import('./native/register.js');
      registerNativeBackend();
    },
    async facts() {
      const { loadNativeAddon } = await import('./native/addon.js');
      const info = loadNativeAddon().info();
      return { version: `oneDNN ${info.onednn}`, threads: info.threads, simd: true };
    },
    howTo:
      "install Debian's libdnnl-dev, g++ and make, then run `pnpm install` again " +
      '(the addon builds at install; see packages/engine/native/build/status.json)',
  },
  wasm: {
    async load() {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      void wasm;
      const { registerWasmTrainingKernels } = await import('./wasm-kernels/index.js');
      registerWasmTrainingKernels();
    },
    async facts() {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
      return { version: wasm.version_wasm, threads: wasm.getThreadsCount(), simd };
    },
    howTo: 'reinstall @tensorflow/tfjs-backend-wasm (`pnpm install`)',
  },
  cpu: {
    async load() {
      // registered by importing tf.ts
    },
    async facts() {
      return { version: tf.version_core, threads: 1, simd: false };
    },
    howTo: 'the cpu backend is always present',
  },
};
