/**
 * The module hooks of tfjs-trace.mjs (they run on the loader thread): each module resolved under
 * node_modules/@tensorflow is appended to the trace file before it loads.
 */
import { appendFileSync } from 'node:fs';

let file = '';

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.url.includes('/node_modules/@tensorflow/')) appendFileSync(file, `import ${resolved.url}\n`);
  return resolved;
}
