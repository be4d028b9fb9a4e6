import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { charCorpus, mobyDick } from '@dlpipe/nlp';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-nlp-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const root = new URL('..', import.meta.url).pathname;
const nlp = (...args: string[]) => nlpWith({ DLPIPE_QUIET: '1' }, ...args);
/** The CLI with `env` over this process's (undefined removes a variable). */
const nlpWith = (extra: Record<string, string | undefined>, ...args: string[]) => {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  delete env.DOTENV_CONFIG_QUIET;
  return spawnSync(process.execPath, ['apps/nlp/bin/dlpipe-nlp.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
    env,
  });
};

describe('pnpm nlp', () => {
  it('tokenize prints only tokens (no dotenv banner) for en, zh and wordpiece', () => {
    const en = nlp('tokenize', '--lang', 'en', "Don't go 😀");
    assert.equal(en.stdout, "Do n't go 😀\n");
    assert.equal(en.stderr, '');
    assert.equal(nlp('tokenize', '--lang', 'zh', '我来到北京清华大学').stdout, '我 来到 北京 清华大学\n');
    assert.equal(
      nlp('tokenize', '--lang', 'wordpiece', '--ids', 'Hello, world!').stdout,
      '101 7592 1010 2088 999 102\n',
    );
    assert.deepEqual(JSON.parse(nlp('tokenize', '--json', 'Hello, world').stdout), [['Hello', ',', 'world']]);
    const piped = spawnSync(process.execPath, ['apps/nlp/bin/dlpipe-nlp.mjs', 'tokenize'], {
      cwd: root,
      encoding: 'utf8',
      input: "Don't stop\nthe cat\n",
    });
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(piped.stdout, "Do n't stop\nthe cat\n");
  });

  it('bad options and unavailable models fail with one clear line and exit code 2', () => {
    const bad = nlp('tokenize', '--lang', 'fr', 'x');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^dlpipe-nlp tokenize: --lang 'fr': .*"en"/);
    const gru = nlp('lm', 'train', '--model', 'gru', '--num-hiddens', '0');
    assert.equal(gru.status, 2);
    assert.match(gru.stderr, /^dlpipe-nlp lm: --num-hiddens '0': .*>0/);
  });

  it('lm train --model gru writes history, curves, metrics and a model that lm generate loads', () => {
    const out = join(tmp, 'gru');
    const tiny = [
      ...['--max-chars', '3000', '--num-hiddens', '32', '--batch-size', '4', '--num-steps', '10'],
      ...['--epochs', '3', '--lr', '0.02'],
    ];
    const train = nlp(
      'lm',
      'train',
      '--model',
      'gru',
      ...tiny,
      '--out',
      out,
      '--prefix',
      'the',
      '--num-preds',
      '5',
    );
    assert.equal(train.status, 0, train.stderr);
    assert.match(train.stdout, /^gru \(layers\): perplexity \d+\.\d+, held-out \d+\.\d+\nthe[a-z ]{5}\n/);
    for (const f of [
      'history.jsonl',
      'curves.png',
      'metrics.json',
      'model/model.json',
      'checkpoints/latest.json',
    ]) {
      assert.ok(existsSync(join(out, f)), f);
    }
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    // The reference is the text's own unigram perplexity (letter frequencies alone, ≈ 17 here; a
    // uniform guess over the 28 symbols is 28): a GRU that uses context must get well below it
    // on held-out text (7.5 when this test was written).
    const chars = charCorpus(mobyDick(), 3000);
    const counts = new Map<string, number>();
    for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
    const entropy = [...counts.values()].reduce(
      (h, n) => h - (n / chars.length) * Math.log(n / chars.length),
      0,
    );
    const unigram = Math.exp(entropy);
    assert.ok(unigram > 12 && unigram < 22, `unigram perplexity ${unigram}`);
    assert.ok(
      metrics.valPerplexity < 0.6 * unigram,
      `held-out perplexity ${metrics.valPerplexity} vs unigram ${unigram}`,
    );
    const gen = nlp(
      'lm',
      'generate',
      '--model',
      'gru',
      '--out',
      out,
      '--prefix',
      'whale',
      '--num-preds',
      '7',
    );
    assert.equal(gen.status, 0, gen.stderr);
    assert.match(gen.stdout, /^whale[a-z ]{7}\n$/);

    // Sampling: --temperature 0 and --top-k 1 are greedy; a --seed repeats a sample, another seed changes it
    const g = (...flags: string[]) => {
      const r = nlp(
        'lm',
        'generate',
        '--model',
        'gru',
        '--out',
        out,
        '--prefix',
        'the',
        '--num-preds',
        '40',
        ...flags,
      );
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^the[a-z ]{40}\n$/);
      return r.stdout;
    };
    const greedy = g('--temperature', '0');
    assert.equal(g('--top-k', '1', '--seed', '5'), greedy);
    const sampled = g('--seed', '7');
    assert.equal(g('--seed', '7'), sampled);
    assert.notEqual(g('--seed', '8'), sampled);
    assert.notEqual(sampled, greedy);
    assert.notEqual(g('--temperature', '0.5', '--top-k', '3', '--seed', '7'), greedy);
  });

  it('lm train --deterministic: two fresh runs give bit-identical losses; --resume says from where', () => {
    const tiny = [
      ...['--max-chars', '2000', '--num-hiddens', '8', '--batch-size', '4', '--num-steps', '10'],
      ...['--epochs', '1', '--deterministic', '--num-preds', '0'],
    ];
    const losses = (dir: string) =>
      readFileSync(join(dir, 'history.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).loss as number);
    for (const name of ['det-a', 'det-b']) {
      const r = nlp('lm', 'train', '--model', 'gru', ...tiny, '--out', join(tmp, name));
      assert.equal(r.status, 0, r.stderr);
    }
    const a = losses(join(tmp, 'det-a'));
    assert.ok(a.length >= 5, `${a.length} history records`);
    assert.deepEqual(losses(join(tmp, 'det-b')), a);
    const steps = JSON.parse(readFileSync(join(tmp, 'det-a', 'metrics.json'), 'utf8')).steps;
    const resumed = nlpWith(
      { DLPIPE_QUIET: undefined },
      ...['lm', 'train', '--model', 'gru', ...tiny, '--epochs', '2', '--resume', '--out', join(tmp, 'det-a')],
    );
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(
      resumed.stderr,
      new RegExp(
        `^dlpipe: resuming from epoch 2, step ${steps} \\(checkpoint .*det-a/checkpoints/step-0*${steps}\\)$`,
        'm',
      ),
    );
  });

  it('a bidirectional LM trains, then lm generate refuses with exit 2 and says why', () => {
    const out = join(tmp, 'bi');
    const tiny = [
      '--max-chars',
      '2000',
      '--num-hiddens',
      '4',
      '--batch-size',
      '4',
      '--num-steps',
      '10',
      '--impl',
      'scratch',
    ];
    const train = nlp('lm', 'train', '--model', 'lstm', '--bidirectional', ...tiny, '--out', out);
    assert.equal(train.status, 0, train.stderr);
    const gen = nlp('lm', 'generate', '--model', 'lstm', '--out', out);
    assert.equal(gen.status, 2);
    assert.match(gen.stderr, /^dlpipe-nlp lm: a bidirectional RNN cannot generate text/);
  });

  it('classify train reports accuracy and F1 next to naive Bayes; classify predict labels texts', () => {
    const out = join(tmp, 'cnn');
    const tiny = ['--epochs', '1', '--embed-size', '8', '--num-steps', '10', '--out', out];
    const train = nlp('classify', 'train', '--model', 'textcnn', ...tiny);
    assert.equal(train.status, 0, train.stderr);
    assert.match(
      train.stdout,
      /^textcnn: accuracy 0\.\d{3}, F1 0\.\d{3} \| naive Bayes \(natural\): accuracy 0\.8\d{2}, F1 0\.\d{3} \(test 600 sentences, seed 0\)\n/,
    );
    const pred = nlp('classify', 'predict', '--out', out, 'great', 'awful food');
    assert.equal(pred.status, 0, pred.stderr);
    assert.match(
      pred.stdout,
      /^(positive|negative)\t[01]\.\d{3}\tgreat\n(positive|negative)\t[01]\.\d{3}\tawful food\n$/,
    );
    const none = nlp('classify', 'predict', '--out', out);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /give one or more texts/);
  });
});
