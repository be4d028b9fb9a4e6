import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OptionsError } from '@dlpipe/core';
import { DatasetError } from '../../errors.js';
import { readBackgroundCatalog, readSpriteCatalog } from './catalog.js';
import { BUILTIN_SETS, resolveSetSpec } from './set-specs.js';
import { alphaBox, SpriteRasterizer, transformSprite } from './sprites.js';

const sprites = new SpriteRasterizer(readSpriteCatalog().sources);

describe('SpriteRasterizer', () => {
  it('renders every class of emoji-10 from both packages at the asked longer side', async () => {
    for (const source of ['openmoji', 'twemoji']) {
      for (const c of BUILTIN_SETS['emoji-10'].classes) {
        const img = await sprites.render(source, c.codepoint, 48);
        const b = alphaBox(img, 0)!;
        assert.deepEqual([b[0], b[1]], [0, 0], `${source} ${c.name}: cut to its content`);
        const long = Math.max(b[2] - b[0], b[3] - b[1]);
        assert.ok(Math.abs(long - 48) <= 2, `${source} ${c.name}: longer side ${long}, asked 48`);
        assert.equal(img.data.length, img.width * img.height * 4);
      }
    }
  });

  it('renders crisp edges: most pixels are fully opaque or fully clear', async () => {
    const img = await sprites.render('twemoji', '1f34c', 96);
    let edge = 0;
    for (let i = 3; i < img.data.length; i += 4) if (img.data[i]! > 0 && img.data[i]! < 255) edge++;
    assert.ok(edge / (img.width * img.height) < 0.1, `${edge} partly transparent pixels`);
  });

  it('mirrors and rotates on a transparent canvas', async () => {
    const img = await sprites.render('openmoji', '1f34c', 40);
    const flipped = await transformSprite(img, { flip: true });
    const at = (im: typeof img, x: number, y: number) =>
      Array.from(im.data.subarray((y * im.width + x) * 4, (y * im.width + x) * 4 + 4));
    assert.deepEqual(at(flipped, 0, 5), at(img, img.width - 1, 5));
    const turned = await transformSprite(img, { angle: 30 });
    assert.ok(turned.width > img.width && turned.height > img.height);
    assert.equal(turned.data[3], 0, 'the new corners are transparent');
  });

  it('refuses an unknown code point or source with a DatasetError that says what to check', async () => {
    await assert.rejects(
      sprites.render('twemoji', 'fffff', 32),
      (e: Error) => e instanceof DatasetError && /code point fffff/.test(e.message),
    );
    assert.throws(
      () => sprites.svg('noto', '1f34c'),
      /unknown sprite source; expected one of openmoji, twemoji/,
    );
  });
});

describe('catalogue and set specs', () => {
  it('lists 35 photos with a licence and credit each, from three Debian packages and six npm ones', () => {
    const { photos } = readBackgroundCatalog();
    assert.equal(photos.length, 35);
    assert.equal(new Set(photos.map((p) => p.id)).size, 35);
    assert.deepEqual(
      [...new Set(photos.flatMap((p) => (p.apt ? [p.apt] : [])))],
      ['darknet', 'opencv-doc', 'python3-skimage'],
    );
    assert.equal(photos.filter((p) => p.npm).length, 6);
    const spriteLicences = readSpriteCatalog().sources.map((s) => `${s.npm}@${s.version} ${s.licence}`);
    assert.deepEqual(spriteLicences, ['openmoji@17.0.0 CC-BY-SA-4.0', '@twemoji/svg@15.0.0 CC-BY-4.0']);
  });

  it('resolves the built-in sets with size overrides', () => {
    const b = resolveSetSpec('bananas', { trainSize: 8 });
    assert.deepEqual([b.trainSize, b.valSize, b.imageSize, b.classes.length], [8, 100, 256, 1]);
    const e = resolveSetSpec('emoji-10');
    assert.deepEqual([e.trainSize, e.valSize, e.classes.length, e.minVisible], [5000, 500, 10, 0.3]);
  });

  it('refuses unknown names and sizes that are not positive with an OptionsError naming the field', () => {
    assert.throws(
      () => resolveSetSpec('apples'),
      (e: Error) =>
        e instanceof OptionsError &&
        /unknown detection set 'apples': expected one of bananas, emoji-10/.test(e.message),
    );
    assert.throws(() => resolveSetSpec('bananas', { imageSize: 0 }), /imageSize/);
    assert.throws(() => resolveSetSpec('bananas', { imageSize: -5 }), OptionsError);
    assert.throws(() => resolveSetSpec('bananas', { trainSize: -1 }), /trainSize/);
    assert.throws(() => resolveSetSpec('bananas', { valSize: 1.5 }), /valSize/);
    const custom = { ...BUILTIN_SETS.bananas, name: 'b2', objectsPerImage: [3, 1] as [number, number] };
    assert.throws(() => resolveSetSpec(custom), /objectsPerImage \[3, 1\] has min > max/);
    assert.throws(() => resolveSetSpec({ ...custom, name: 'Bad Name' }), /name: lower-case letters/);
  });
});
