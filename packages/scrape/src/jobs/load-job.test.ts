// biome-ignore-all lint/suspicious/noTemplateCurlyInString: job files write ${VAR}; these tests hold such text
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { JobFileError, StorageError } from '../errors.js';
import { findJob, listJobs } from './job-directory.js';
import { interpolateEnv, loadJob } from './load-job.js';

const dir = mkdtempSync(join(tmpdir(), 'dlpipe-jobs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function issuesOf(path: string, env: Record<string, string> = {}): Promise<string[]> {
  try {
    await loadJob(path, env);
  } catch (err) {
    assert.ok(err instanceof JobFileError, String(err));
    assert.ok(err.message.startsWith(`${path}:`), err.message);
    return err.issues;
  }
  assert.fail('expected a JobFileError');
}

describe('loadJob', () => {
  it('loads a YAML job: name from the file, ${VAR:-default} filled, extract module imported', async () => {
    file('shop-extract.ts', 'export const title = async () => ({ t: 1 });\n');
    const path = file(
      'shop.yaml',
      'startUrls: ["${SITE:-http://127.0.0.1:1}/"]\nschedule: "*/5 * * * *"\nextract:\n  module: ./shop-extract.ts\n  export: title\n',
    );
    const job = await loadJob(path, { SITE: 'http://127.0.0.1:4242' });
    assert.equal(job.definition.name, 'shop');
    assert.deepEqual(job.definition.startUrls, ['http://127.0.0.1:4242/']);
    assert.equal(typeof job.definition.extract, 'function');
    assert.match(job.configHash, /^[0-9a-f]{16}$/);
    const other = await loadJob(path, {});
    assert.deepEqual(other.definition.startUrls, ['http://127.0.0.1:1/']);
    assert.notEqual(other.configHash, job.configHash, 'the hash follows the filled-in definition');
  });

  it('reports every problem with its field path and line', async () => {
    const path = file(
      'bad.yaml',
      [
        'name: "bad name!"', // 1
        'startUrls:', // 2
        '  - ftp://x.io/', // 3
        'maxDepth: two', // 4
        'delayMS: 100', // 5
        'extract:', // 6
        '  fields:', // 7
        '    price: { selector: .p, type: money }', // 8
        '    url: a', // 9
        'schedule: "61 * * * *"', // 10
        'wait: { until: idle }', // 11
      ].join('\n'),
    );
    const issues = await issuesOf(path);
    const expectations: [RegExp, number][] = [
      [/^name \(line 1\): use letters/, 1],
      [/^startUrls\.0 \(line 3\): expected an http\(s\) URL/, 3],
      [/^maxDepth \(line 4\): .*expected number, received string/, 4],
      [/^delayMS \(line 5\): unknown field/, 5],
      [/^extract\.fields\.price\.type \(line 8\): .*"string"\|"number"\|"boolean"/, 8],
      [/^extract\.fields\.url \(line 9\): 'url' is set by the crawler/, 9],
      [/^schedule \(line 10\): not a cron expression/, 10],
      [/^wait\.until \(line 11\): /, 11],
    ];
    for (const [re] of expectations)
      assert.ok(
        issues.some((i) => re.test(i)),
        `${re} in\n${issues.join('\n')}`,
      );
    assert.equal(issues.length, expectations.length, issues.join('\n'));
  });

  it('names YAML syntax errors, unset variables, missing modules and exports', async () => {
    assert.match(
      (await issuesOf(file('syntax.yaml', 'startUrls: [http://a.io/\nmaxDepth: 1\n')))[0]!,
      /^not valid YAML: line \d+, column \d+: /,
    );
    assert.match(
      (await issuesOf(file('env.yaml', 'startUrls: ["${NOPE}/"]\n')))[0]!,
      /^startUrls\.0: environment variable NOPE is not set/,
    );
    const noModule = await issuesOf(
      file('nomod.yaml', 'startUrls: [http://a.io/]\nextract: { module: ./missing.ts }\n'),
    );
    assert.match(noModule[0]!, /^extract\.module \(line 2\): cannot import .*missing\.ts/);
    file('fns.ts', 'export const a = () => 1;\n');
    const noExport = await issuesOf(
      file('noexp.yaml', 'startUrls: [http://a.io/]\nextract: { module: ./fns.ts, export: b }\n'),
    );
    assert.match(noExport[0]!, /has no function export 'b' \(it exports a\); set extract\.export/);
    assert.match((await issuesOf(file('list.json', '[1, 2]')))[0]!, /expected a mapping/);
    assert.match((await issuesOf(file('x.toml', 'a = 1')))[0]!, /unknown job file type '\.toml'/);
  });

  it('loads JSON and TS job modules (defineJob)', async () => {
    const json = await loadJob(file('j.json', '{"startUrls": ["http://a.io/"], "maxPages": 5}'), {});
    assert.equal(json.definition.maxPages, 5);
    const ts = await loadJob(
      file(
        'code-job.ts',
        "export default { name: 'coded', startUrls: ['http://a.io/'], extract: async () => [{ a: 1 }] };\n",
      ),
      {},
    );
    assert.equal(ts.definition.name, 'coded');
    assert.equal(typeof ts.definition.extract, 'function');
    const bad = file('bad-job.ts', "export default { startUrls: ['nope'] };\n");
    assert.match((await issuesOf(bad))[0]!, /^startUrls\.0: expected an http\(s\) URL/);
  });

  it('interpolateEnv walks nested values', () => {
    const issues: string[] = [];
    assert.deepEqual(interpolateEnv({ a: ['${X}', { b: '${Y:-y}-${X}' }], n: 1 }, { X: 'x' }, [], issues), {
      a: ['x', { b: 'y-x' }],
      n: 1,
    });
    assert.deepEqual(issues, []);
  });
});

describe('job directories', () => {
  it('lists every file, valid or not, and finds jobs by path or name', async () => {
    const jobs = mkdtempSync(join(dir, 'set-'));
    writeFileSync(join(jobs, 'one.yaml'), 'startUrls: [http://a.io/]\n');
    writeFileSync(join(jobs, 'two.yml'), 'name: second\nstartUrls: [http://b.io/]\n');
    writeFileSync(join(jobs, 'broken.yaml'), 'startUrls: 3\n');
    writeFileSync(join(jobs, 'dup.json'), '{"name": "one", "startUrls": ["http://c.io/"]}');
    writeFileSync(join(jobs, 'notes.txt'), 'not a job');
    const entries = await listJobs(jobs, {});
    assert.deepEqual(
      entries.map((e) => [e.file.slice(jobs.length + 1), e.job?.definition.name ?? e.error?.code]),
      [
        ['broken.yaml', 'JOB_FILE'],
        ['dup.json', 'one'],
        ['one.yaml', 'JOB_FILE'],
        ['two.yml', 'second'],
      ],
    );
    assert.match(entries[2]!.error!.message, /name: 'one' is also the name of .*dup\.json/);
    assert.equal((await findJob('second', jobs, {})).definition.name, 'second');
    assert.equal((await findJob(join(jobs, 'two.yml'), '/nonexistent', {})).definition.name, 'second');
    await assert.rejects(findJob('nope', jobs, {}), StorageError);
    await assert.rejects(listJobs(join(dir, 'missing')), /no jobs directory/);
  });
});
