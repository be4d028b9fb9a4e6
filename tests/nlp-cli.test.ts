import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

const root = new URL('..', import.meta.url).pathname;
const nlp = (...args: string[]) => {
  const env = { ...process.env };
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
  });

  it('bad options and unavailable models fail with one clear line and exit code 2', () => {
    const bad = nlp('tokenize', '--lang', 'fr', 'x');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /lang: .*"en"/);
    const gru = nlp('lm', 'train', '--model', 'gru');
    assert.equal(gru.status, 2);
    assert.match(gru.stderr, /not available yet/);
  });
});
