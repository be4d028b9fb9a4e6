/**
 * The corpus of bad inputs the CLI matrix feeds to every command: real files of each format,
 * broken the ways files break (cut short, empty, mislabelled, undecodable), and paths that cannot
 * be read or written. Built once per run in a temp folder from dlpipe's own writers.
 *
 *   const corpus = await buildCorpus(dir); corpus.inputFile.find((b) => b.kind === 'truncated gzip');
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readTable, writeTable } from '@dlpipe/data';
import { tf } from '@dlpipe/tensor';
import { encodeImage } from '@dlpipe/vision';

/** One bad value for a parameter: what it is, and the argv text. */
export interface BadValue {
  kind: string;
  value: string;
}

export interface Corpus {
  /** For parameters that read a file. */
  inputFile: BadValue[];
  /** For parameters that read a folder. */
  inputDir: BadValue[];
  /** For parameters that write a file. */
  outputFile: BadValue[];
  /** For parameters that write (and may create) a folder. */
  outputDir: BadValue[];
  /** For numeric flags. */
  number: BadValue[];
  /** Valid inputs to fill the other parameters with. */
  good: {
    csv: string;
    labels: string;
    dir: string;
    job: string;
    jobs: string;
    images: string;
    image: string;
  };
}

const half = (b: Uint8Array) => b.subarray(0, Math.floor(b.length / 2));

async function tableBytes(dir: string, name: string): Promise<Buffer> {
  const t = await readTable(join(dir, 'good.csv'));
  const p = join(dir, `.src-${name}`);
  await writeTable(p, t);
  return readFileSync(p);
}

/** Writes the corpus under `dir` and returns it. */
export async function buildCorpus(dir: string): Promise<Corpus> {
  mkdirSync(join(dir, 'src'), { recursive: true });
  const src = join(dir, 'src');
  const f = (name: string, data: string | Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    return p;
  };
  const rows = Array.from({ length: 400 }, (_, i) => `${i},${(i * 7) % 13},${i % 3 === 0 ? 'a' : 'b'}`);
  const csv = `id,x,label\n${rows.join('\n')}\n`;
  writeFileSync(join(src, 'good.csv'), csv);
  const good = {
    csv: join(src, 'good.csv'),
    labels: f('src/labels.csv', 'id,label\n1,a\n2,b\n'),
    dir: join(dir, 'src'),
    job: '',
    jobs: join(dir, 'jobs'),
    images: join(dir, 'images'),
    image: '',
  };
  mkdirSync(good.jobs, { recursive: true });
  // A valid job that fails fast if a bad input is not caught first: a closed port, one page, no retries.
  good.job = f(
    'jobs/matrix.yaml',
    'name: matrix\nstartUrls: ["http://127.0.0.1:9/"]\nmaxPages: 1\nmaxRetries: 0\n',
  );
  const zipped = await tableBytes(src, 'x.csv.zip');
  const zst = await tableBytes(src, 'x.csv.zst').catch(() =>
    Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x04]),
  );
  const feather = await tableBytes(src, 'x.feather');
  const img = tf.zeros([32, 32, 3], 'int32') as tf.Tensor3D;
  const png = await encodeImage(img);
  for (const cls of ['a', 'b']) {
    mkdirSync(join(good.images, cls), { recursive: true });
    for (let i = 0; i < 4; i++) writeFileSync(join(good.images, cls, `${i}.png`), png);
  }
  good.image = join(good.images, 'a', '0.png');
  const jpeg = await encodeImage(img, { format: 'jpeg' });
  img.dispose();
  const sqlite = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(84, 1)]);
  mkdirSync(join(dir, 'a-folder'), { recursive: true });
  const inputFile: BadValue[] = [
    { kind: 'missing path', value: join(dir, 'no-such-file.csv') },
    { kind: 'directory for file', value: join(dir, 'a-folder') },
    { kind: 'zero-byte', value: f('empty.csv', '') },
    { kind: 'truncated gzip', value: f('cut.csv.gz', half(gzipSync(csv.repeat(20)))) },
    { kind: 'truncated zip', value: f('cut.csv.zip', half(zipped)) },
    { kind: 'truncated zst', value: f('cut.csv.zst', half(zst)) },
    { kind: 'truncated feather', value: f('cut.feather', half(feather)) },
    { kind: 'truncated PNG', value: f('cut.png', half(png)) },
    { kind: 'truncated JPEG', value: f('cut.jpg', half(jpeg)) },
    { kind: 'truncated SQLite', value: f('cut.sqlite', sqlite) },
    { kind: 'invalid UTF-8', value: f('latin.csv', Buffer.from('a,b\n1,\xff\xfe\n', 'latin1')) },
    { kind: 'wrong format behind the extension', value: f('image.csv.gz', png) },
    { kind: 'CSV behind .feather', value: f('text.feather', csv) },
    {
      kind: '1e6-column header',
      value: f('wide.csv', `${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',')}\n`),
    },
  ];
  return {
    inputFile,
    inputDir: [
      { kind: 'missing path', value: join(dir, 'no-such-folder') },
      { kind: 'file for directory', value: good.csv },
    ],
    outputFile: [
      { kind: 'output in a missing folder', value: join(dir, 'missing-folder', 'out.csv') },
      { kind: 'uncreatable output', value: '/proc/dlpipe-matrix/out.csv' },
      { kind: 'directory as output file', value: join(dir, 'a-folder') },
    ],
    outputDir: [
      { kind: 'uncreatable output folder', value: '/proc/dlpipe-matrix/runs' },
      { kind: 'file for directory', value: good.csv },
    ],
    number: [
      { kind: 'not a number', value: 'abc' },
      { kind: 'NaN', value: 'NaN' },
      { kind: 'Inf', value: 'Infinity' },
      { kind: 'negative', value: '-1' },
    ],
    good,
  };
}
