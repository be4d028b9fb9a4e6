import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import { decodeImage, encodeImage } from '@dlpipe/vision';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'apps/vision/bin/dlpipe-vision.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-cli-'));
const vision = (...args: string[]) => visionWith({ DLPIPE_QUIET: '1' }, ...args);
/** The CLI with `env` over this process's (a value of undefined removes the variable). */
function visionWith(env: Record<string, string | undefined>, ...args: string[]) {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: merged,
    timeout: 240_000,
  });
}
/** The losses of a run's history.jsonl, step and epoch records alike. */
const losses = (runDir: string) =>
  readFileSync(join(runDir, 'history.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l).loss as number);

/** Two classes told apart by brightness: dark squares and bright squares, 16 each. */
before(async () => {
  for (const [cls, base] of [
    ['dark', 20],
    ['bright', 220],
  ] as const) {
    mkdirSync(join(tmp, 'data', cls), { recursive: true });
    for (let i = 0; i < 16; i++) {
      const v = base + i;
      const png = await encodeImage(tf.fill([20, 20, 3], v, 'int32'));
      writeFileSync(join(tmp, 'data', cls, `${i}.png`), png);
    }
  }
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('dlpipe-vision', () => {
  it('trains, evaluates and predicts on an ImageFolder, writing the run files', () => {
    const runs = join(tmp, 'runs');
    const common = [
      '--data',
      join(tmp, 'data'),
      '--resize',
      '28',
      '--channels',
      '1',
      '--runs',
      runs,
      '--name',
      'bn',
    ];
    const t = vision(
      'train',
      '--model',
      'lenet-bn',
      '--epochs',
      '8',
      '--batch',
      '8',
      '--lr',
      '0.01',
      '--optimizer',
      'adam',
      ...common,
    );
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /lenet-bn on .*data: test accuracy 1\.0000/);
    for (const f of [
      'metrics.json',
      'curves.png',
      'confusion-matrix.png',
      'model/model.json',
      'checkpoints/latest.json',
    ]) {
      assert.ok(existsSync(join(runs, 'bn', f)), f);
    }
    const e = vision('eval', ...common);
    assert.equal(e.status, 0, e.stderr);
    assert.match(e.stdout, /test accuracy 1\.0000/);
    const run = ['--runs', runs, '--name', 'bn']; // predict takes the run, not the training-data flags
    assert.equal(vision('predict', join(tmp, 'data', 'dark'), ...common).status, 2);
    const p = vision('predict', join(tmp, 'data', 'bright', '3.png'), ...run);
    assert.equal(p.status, 0, p.stderr);
    assert.match(p.stdout, /3\.png: bright 0\.\d+, dark 0\.\d+/);
    const j = vision('predict', join(tmp, 'data', 'dark'), ...run, '--top-k', '1', '--json');
    assert.equal(j.status, 0, j.stderr);
    const rows: Array<{ path: string; top: Array<{ className: string; score: number }> }> = JSON.parse(
      j.stdout,
    );
    assert.equal(rows.length, 16);
    assert.ok(
      rows.every((r) => r.top.length === 1 && r.top[0]!.className === 'dark' && r.top[0]!.score > 0.5),
    );
    const saved = JSON.parse(readFileSync(join(runs, 'bn', 'model', 'model.json'), 'utf8'));
    assert.deepEqual(saved.userDefinedMetadata.classNames, ['bright', 'dark']);

    // --resume says where it resumes: 8 epochs of 4 steps (26 training images, batch 8) are done
    const resumed = visionWith(
      { DLPIPE_QUIET: undefined },
      'train',
      '--model',
      'lenet-bn',
      '--epochs',
      '9',
      '--batch',
      '8',
      '--lr',
      '0.01',
      '--optimizer',
      'adam',
      '--resume',
      ...common,
    );
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(
      resumed.stderr,
      /^dlpipe: resuming from epoch 9, step 32 \(checkpoint .*bn\/checkpoints\/step-000032\)$/m,
    );
  });

  it('--deterministic: two fresh runs with the same seed give bit-identical losses, on one thread', () => {
    const run = (name: string) =>
      vision(
        'train',
        ...['--model', 'lenet', '--data', join(tmp, 'data'), '--resize', '28', '--channels', '1'],
        ...['--epochs', '2', '--batch', '4', '--runs', join(tmp, 'runs'), '--name', name, '--deterministic'],
      );
    for (const name of ['det-a', 'det-b']) assert.equal(run(name).status, 0, name);
    const a = losses(join(tmp, 'runs', 'det-a'));
    assert.equal(a.length, 14 + 2, 'a step record per step (7 an epoch) and one per epoch');
    assert.deepEqual(losses(join(tmp, 'runs', 'det-b')), a);
    const metrics = JSON.parse(readFileSync(join(tmp, 'runs', 'det-a', 'metrics.json'), 'utf8'));
    assert.equal(metrics.backend.deterministic, true);
    if (metrics.backend.name === 'native') assert.equal(metrics.backend.threads, 1);
  });

  it('trains a zoo model with its own defaults, and says when a run stays at chance', () => {
    const runs = join(tmp, 'runs');
    const data = ['--data', join(tmp, 'data'), '--resize', '28', '--channels', '1', '--runs', runs];
    const t = vision('train', '--model', 'lenet', ...data, '--epochs', '1', '--batch', '8', '--json');
    assert.equal(t.status, 0, t.stderr);
    assert.deepEqual(JSON.parse(t.stdout).optimizer, { name: 'adam', lr: 0.005 }); // lenet's defaults
    const stuck = visionWith(
      { DLPIPE_QUIET: undefined },
      'train',
      ...['--model', 'lenet', ...data, '--name', 'stuck', '--epochs', '2', '--batch', '8'],
      ...['--optimizer', 'sgd', '--lr', '0.000001'],
    );
    assert.equal(stuck.status, 0, stuck.stderr);
    const warned = stuck.stderr.split('\n').filter((l) => l.includes('chance level'));
    assert.equal(warned.length, 1, stuck.stderr);
    assert.match(
      warned[0]!,
      /^dlpipe: val_accuracy 0\.\d{3} after epoch 1 is at chance level \(0\.571 for 2 classes\): .*--lr.*--epochs.*momentum or adam/,
    );
  });

  it('says which backend it chose in one line, once per install (DLPIPE_VERBOSE=1: each time; DLPIPE_QUIET=1: never)', (t) => {
    const env = {
      DLPIPE_QUIET: undefined,
      DLPIPE_TEST: undefined,
      DLPIPE_VERBOSE: undefined,
      XDG_CACHE_HOME: join(tmp, 'cache'),
    };
    const first = visionWith(env, 'models');
    assert.equal(first.status, 0, first.stderr);
    const lines = first.stderr.split('\n').filter(Boolean);
    if (lines.length === 0) {
      t.skip('the best backend (tensorflow) loaded: nothing to say');
      return;
    }
    assert.equal(lines.length, 1, first.stderr);
    assert.match(
      lines[0]!,
      /^dlpipe: using the '(native|wasm|cpu)' backend \('tensorflow'.* did not load; DLPIPE_VERBOSE=1 says why\)\. Shown once\.$/,
    );
    assert.ok(lines[0]!.length <= 120, `${lines[0]!.length} characters`);
    assert.equal(visionWith(env, 'models').stderr, '', 'the second time: nothing');
    const verbose = visionWith({ ...env, DLPIPE_VERBOSE: '1' }, 'models').stderr;
    assert.match(
      verbose,
      /^dlpipe: using the '\w+' backend \(tensorflow: .*\)\. For 'tensorflow': install .*\n$/,
    );
    const quiet = visionWith({ ...env, XDG_CACHE_HOME: join(tmp, 'cache-2'), DLPIPE_QUIET: '1' }, 'models');
    assert.equal(quiet.stderr, '', 'DLPIPE_QUIET=1 silences even the first time');
  });

  it('predicts class names with a model trained on Fashion-MNIST', () => {
    const out = join(tmp, 'fashion');
    const r = vision(
      'train',
      '--model',
      'mlp',
      '--epochs',
      '1',
      '--limit',
      '300',
      '--runs',
      out,
      '--name',
      'train',
    );
    assert.equal(r.status, 0, r.stderr);
    const p = vision(
      'predict',
      join(tmp, 'data', 'bright', '3.png'),
      '--runs',
      out,
      '--name',
      'train',
      '-k',
      '2',
    );
    assert.equal(p.status, 0, p.stderr);
    // Fashion-MNIST's names (t-shirt, trouser, …), not class ids ("9 0.509")
    assert.match(p.stdout, /3\.png: [a-z-]+ 0\.\d{3}, [a-z-]+ 0\.\d{3}\n$/);
  });

  it('lists models, and reports unknown models and bad options clearly', () => {
    const help = vision('train', '--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--checkpoint-every N +also checkpoint every N steps/);
    const m = vision('models');
    assert.match(m.stdout, /resnet18\s+11178378\s+96×96×1/);
    const bad = vision('train', '--model', 'resnet19', '--data', join(tmp, 'data'));
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown model 'resnet19'; known: mlp, lenet/);
    const opt = vision('train', '--epochs', 'zero');
    assert.equal(opt.status, 2);
    assert.match(opt.stderr, /^dlpipe-vision train: --epochs 'zero': expected a number/);
  });

  it('writes a preview grid of augmented samples', async () => {
    const p = vision(
      'preview',
      '--data',
      join(tmp, 'data'),
      '--resize',
      '32',
      '--count',
      '4',
      '--runs',
      join(tmp, 'runs'),
      '--name',
      'pv',
    );
    assert.equal(p.status, 0, p.stderr);
    const img = await decodeImage(join(tmp, 'runs', 'pv', 'preview.png'));
    assert.deepEqual([img.format, img.width > 64], ['png', true]);
  });
});
