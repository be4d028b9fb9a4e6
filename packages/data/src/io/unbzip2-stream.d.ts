/** Types for unbzip2-stream 1.4 (it ships none): a factory of a bzip2-decompressing duplex stream. */
declare module 'unbzip2-stream' {
  import type { Duplex } from 'node:stream';
  export default function unbzip2Stream(): Duplex;
}
