/**
 * Loads `natural` lazily and quietly: it pulls in dotenv, whose "injected env" banners would
 * otherwise reach stdout, so DOTENV_CONFIG_QUIET is set before the first require.
 *
 *   const { PorterStemmer } = loadNatural();
 */
import { createRequire } from 'node:module';
import type * as Natural from 'natural';

let cached: typeof Natural | undefined;

/** The `natural` module, loaded once with dotenv silenced. */
export function loadNatural(): typeof Natural {
  if (cached) return cached;
  if (!process.env.DOTENV_CONFIG_QUIET) process.env.DOTENV_CONFIG_QUIET = 'true';
  const require = createRequire(import.meta.url);
  cached = require('natural') as typeof Natural;
  return cached;
}
