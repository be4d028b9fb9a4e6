import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OptionsError, Rng } from '@dlpipe/core';
import { DatasetError } from '../../errors.js';
import { decodeImage } from '../../image/decode.js';
import { loadBackgrounds } from './backgrounds.js';
import { readBackgroundCatalog, readSpriteCatalog, resolvePhotoPath } from './catalog.js';
import { sampleScene } from './scene.js';
import { resolveSetSpec } from './set-specs.js';
import { alphaBox, SpriteRasterizer } from './sprites.js';
import { type GenerateDetectionSetOptions, generateDetectionSet, imageSeed } from './write-set.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-synth-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// a tiny emoji-10: PNG so pixels can be compared, the @stdlib photos so no Debian package is needed
const tiny = (out: string, o: Partial<GenerateDetectionSetOptions> = {}) =>
  generateDetectionSet({
    name: 'emoji-10',
    out: join(tmp, out),
    trainSize: 6,
    valSize: 2,
    imageSize: 96,
    backgrounds: 'npm',
    ...o,
  });
const pngSpec = (o: object = {}) => ({
  ...resolveSetSpec('emoji-10', { trainSize: 6, valSize: 2, imageSize: 96 }),
  format: 'png' as const,
  ...o,
});

/** Every file under `dir`, relative path → bytes. */
function files(dir: string, base = dir, out = new Map<string, Buffer>()): Map<string, Buffer> {
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    if (name.isDirectory()) files(p, base, out);
    else out.set(p.slice(base.length + 1), readFileSync(p));
  }
  return out;
}

describe('generateDetectionSet', () => {
  let a: Map<string, Buffer>;
  before(async () => {
    await tiny('a', { name: pngSpec() });
    a = files(join(tmp, 'a', 'emoji-10'));
  });

  it('writes the COCO + YOLO layout', () => {
    const expected = ['README.md', 'annotations/train.json', 'annotations/val.json', 'data.yaml'];
    for (const f of expected) assert.ok(a.has(f), f);
    assert.equal([...a.keys()].filter((f) => f.startsWith('images/train/')).length, 6);
    assert.equal([...a.keys()].filter((f) => f.startsWith('labels/val/')).length, 2);
    assert.ok(a.has('images/val/000001.png') && a.has('labels/val/000001.txt'));
    assert.match(
      a.get('data.yaml')!.toString(),
      /^train: images\/train\nval: images\/val\nnc: 10\nnames:\n {2}0: "banana"\n/,
    );
  });

  it('gives byte-identical files for the same seed and different ones for another seed', async () => {
    const calls: number[][] = [];
    await tiny('b', { name: pngSpec(), progress: (done, total) => calls.push([done, total]) });
    assert.deepEqual(calls.at(-1), [8, 8]);
    assert.equal(calls.length, 8);
    const b = files(join(tmp, 'b', 'emoji-10'));
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
    for (const [f, bytes] of a)
      assert.ok(bytes.equals(b.get(f)!), `${f} differs between two runs with seed 0`);
    await tiny('c', { name: pngSpec(), seed: 1 });
    const c = files(join(tmp, 'c', 'emoji-10'));
    assert.ok(!a.get('images/train/000000.png')!.equals(c.get('images/train/000000.png')!));
    assert.notEqual(a.get('annotations/train.json')!.toString(), c.get('annotations/train.json')!.toString());
  });

  it('COCO and YOLO agree with each other and with the images', async () => {
    for (const split of ['train', 'val']) {
      const coco = JSON.parse(a.get(`annotations/${split}.json`)!.toString());
      assert.deepEqual(
        coco.categories.map((c: { id: number }) => c.id),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
      for (const im of coco.images) {
        const d = await decodeImage(join(tmp, 'a', 'emoji-10', 'images', split, im.file_name));
        assert.deepEqual([d.width, d.height, im.width, im.height], [96, 96, 96, 96]);
        const anns = coco.annotations.filter((x: { image_id: number }) => x.image_id === im.id);
        const yolo = a
          .get(`labels/${split}/${im.file_name.replace('.png', '.txt')}`)!
          .toString()
          .trim();
        const lines = yolo === '' ? [] : yolo.split('\n');
        assert.equal(lines.length, anns.length);
        anns.forEach(
          (
            an: { bbox: number[]; category_id: number; area: number; iscrowd: number; visible: number },
            k: number,
          ) => {
            const [x, y, w, h] = an.bbox as [number, number, number, number];
            assert.ok(
              x >= 0 && y >= 0 && x + w <= 96 && y + h <= 96 && w > 0 && h > 0,
              `box inside: ${an.bbox}`,
            );
            assert.deepEqual([an.area, an.iscrowd], [w * h, 0]);
            assert.ok(an.visible >= 0.3 && an.visible <= 1);
            const v = lines[k]!.split(' ').map(Number);
            assert.equal(v[0], an.category_id - 1);
            const want = [(x + w / 2) / 96, (y + h / 2) / 96, w / 96, h / 96];
            for (let j = 0; j < 4; j++)
              assert.ok(Math.abs(v[j + 1]! - want[j]!) < 5e-7, `${lines[k]} vs ${want}`);
          },
        );
      }
    }
  });

  it('boxes are the tight box of the visible pasted pixels (recomputed from the sprites, later ones hiding earlier)', async () => {
    const spec = pngSpec();
    const photos = await loadBackgrounds('npm');
    const sprites = new SpriteRasterizer(readSpriteCatalog().sources);
    const coco = JSON.parse(a.get('annotations/train.json')!.toString());
    let hidden = 0;
    for (let i = 0; i < 6; i++) {
      const scene = await sampleScene(new Rng(imageSeed(0, 'emoji-10', 'train', i)), spec, photos, sprites);
      // the written PNG is this scene's image, byte for byte
      const d = await decodeImage(join(tmp, 'a', 'emoji-10', 'images', 'train', `00000${i}.png`));
      assert.ok(Buffer.from(d.data).equals(Buffer.from(scene.image.data)), `image ${i}`);
      // masks: sprite alpha > 127 at its place; later masks hide earlier ones
      const masks = scene.placements.map((p) => {
        const m = new Uint8Array(96 * 96);
        for (let y = 0; y < p.sprite.height; y++)
          for (let x = 0; x < p.sprite.width; x++)
            if (p.sprite.data[(y * p.sprite.width + x) * 4 + 3]! > 127) m[(p.y + y) * 96 + p.x + x] = 1;
        return m;
      });
      const kept: number[][] = [];
      masks.forEach((m, k) => {
        const visible = m.map((v, j) => (v && masks.slice(k + 1).every((l) => !l[j]) ? 1 : 0));
        const all = m.reduce((s, v) => s + v, 0);
        const seen = visible.reduce((s, v) => s + v, 0);
        hidden += all - seen;
        const b = alphaBox(
          {
            width: 96,
            height: 96,
            data: Uint8Array.from({ length: 96 * 96 * 4 }, (_, j) =>
              j % 4 === 3 ? visible[j >> 2]! * 255 : 0,
            ),
          },
          0,
        );
        if (b && seen / all >= spec.minVisible)
          kept.push([b[0], b[1], b[2] - b[0], b[3] - b[1], scene.placements[k]!.classId + 1]);
      });
      const anns = coco.annotations.filter((x: { image_id: number }) => x.image_id === i + 1);
      assert.deepEqual(
        anns.map((x: { bbox: number[]; category_id: number }) => [...x.bbox, x.category_id]),
        kept,
        `image ${i}`,
      );
    }
    assert.ok(hidden > 0, 'some pixels were occluded in these six images');
  });

  it('writes an attribution README with every source and licence', () => {
    const readme = a.get('README.md')!.toString();
    for (const s of readSpriteCatalog().sources)
      assert.ok(readme.includes(`${s.npm}@${s.version}`) && readme.includes(s.licence), s.id);
    for (const p of readBackgroundCatalog().photos.filter((x) => x.npm))
      assert.ok(readme.includes(p.id) && readme.includes(p.credit), p.id);
    assert.match(readme, /CC BY-SA 4\.0/);
    assert.match(readme, /"seed": 0/);
    assert.match(readme, /less than 0\.3 of its pixels visible is left out/);
  });

  it('uses the Debian photos too with backgrounds "all"', {
    skip:
      !readBackgroundCatalog().photos.every((p) => existsSync(resolvePhotoPath(p))) &&
      'apt-get install -y darknet opencv-doc python3-skimage',
  }, async () => {
    const r = await generateDetectionSet({
      name: 'bananas',
      out: join(tmp, 'all'),
      trainSize: 12,
      valSize: 0,
      imageSize: 64,
    });
    assert.deepEqual([r.counts.train.images, r.counts.train.objects], [12, 12]);
    const coco = JSON.parse(readFileSync(join(r.dir, 'annotations', 'train.json'), 'utf8'));
    assert.ok(
      coco.images.some((im: { background: { photo: string } }) => !im.background.photo.startsWith('stdlib/')),
    );
  });

  it('refuses bad input with typed errors, leaving nothing behind', async () => {
    await assert.rejects(tiny('x', { name: 'apples' }), OptionsError);
    await assert.rejects(tiny('x', { imageSize: 0 }), /imageSize/);
    await assert.rejects(tiny('x', { seed: -1 }), /seed/);
    await assert.rejects(
      tiny('x', { name: pngSpec({ spriteSources: ['noto'] }) }),
      /unknown sprite source 'noto'/,
    );
    const missing = [
      {
        id: 'x/none',
        apt: 'no-such-package',
        path: join(tmp, 'none.jpg'),
        licence: 'CC0-1.0',
        credit: 'nobody',
      },
    ];
    await assert.rejects(
      tiny('x', { backgrounds: missing }),
      (e: Error) => e instanceof DatasetError && /apt-get install -y no-such-package/.test(e.message),
    );
    assert.equal(existsSync(join(tmp, 'x', 'emoji-10')), false);
    mkdirSync(join(tmp, 'full', 'emoji-10'), { recursive: true });
    writeFileSync(join(tmp, 'full', 'emoji-10', 'keep.txt'), 'mine');
    await assert.rejects(
      tiny('full'),
      /already exists and is not empty: pass overwrite: true \(--overwrite\)/,
    );
    assert.equal(readFileSync(join(tmp, 'full', 'emoji-10', 'keep.txt'), 'utf8'), 'mine');
  });
});
