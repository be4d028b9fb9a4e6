/**
 * The annotation files of a generated set, as text: COCO `annotations/<split>.json` (images,
 * annotations with `bbox` [x, y, w, h] in pixels, `area` = w·h, `iscrowd` 0, `category_id` =
 * class + 1 as COCO counts from 1), YOLO `labels/<split>/<image>.txt` (`class cx cy w h`,
 * normalized to [0, 1], class from 0; an image without objects gets an empty file) and YOLO's
 * `data.yaml`. Each COCO annotation also carries `visible`, the share of the object's pixels
 * that no later object hides.
 *
 *   writeFileSync('annotations/train.json', synthCocoJson(records, ['banana'], 'bananas'));
 *   synthYoloLabels(records[0]);   // '0 0.412109 0.568359 0.316406 0.214844\n'
 */
import type { BackgroundCrop } from './backgrounds.js';
import type { PixelBox } from './sprites.js';

/** One object of an image record: its class (from 0), visible box and visible share. */
export interface SynthObject {
  classId: number;
  box: PixelBox;
  visible: number;
}

/** One image of a split, as written. */
export interface SynthImageRecord {
  /** COCO image id (from 1 within the split). */
  id: number;
  /** File name inside `images/<split>/`. */
  fileName: string;
  width: number;
  height: number;
  objects: SynthObject[];
  background: BackgroundCrop;
}

/** The COCO JSON of one split (stable key order, two-space indent for the header, one line per entry). */
export function synthCocoJson(records: SynthImageRecord[], classNames: string[], setName: string): string {
  let annId = 1;
  const images = records.map((r) => ({
    id: r.id,
    file_name: r.fileName,
    width: r.width,
    height: r.height,
    background: r.background,
  }));
  const annotations = records.flatMap((r) =>
    r.objects.map((o) => {
      const [x1, y1, x2, y2] = o.box;
      return {
        id: annId++,
        image_id: r.id,
        category_id: o.classId + 1,
        bbox: [x1, y1, x2 - x1, y2 - y1],
        area: (x2 - x1) * (y2 - y1),
        iscrowd: 0,
        visible: Math.round(o.visible * 1e4) / 1e4,
      };
    }),
  );
  const categories = classNames.map((name, i) => ({ id: i + 1, name, supercategory: 'emoji' }));
  const lines = (xs: unknown[]) => xs.map((x) => `    ${JSON.stringify(x)}`).join(',\n');
  const info = { description: `${setName}: sprites pasted on photos by @dlpipe/vision`, version: '1.0' };
  return (
    `{\n  "info": ${JSON.stringify(info)},\n  "images": [\n${lines(images)}\n  ],\n` +
    `  "annotations": [\n${lines(annotations)}\n  ],\n  "categories": [\n${lines(categories)}\n  ]\n}\n`
  );
}

const fmt = (v: number) => v.toFixed(6);

/** The YOLO label file of one image: `class cx cy w h` per object, normalized by the image size. */
export function synthYoloLabels(r: SynthImageRecord): string {
  return r.objects
    .map((o) => {
      const [x1, y1, x2, y2] = o.box;
      const cx = (x1 + x2) / 2 / r.width;
      const cy = (y1 + y2) / 2 / r.height;
      return `${o.classId} ${fmt(cx)} ${fmt(cy)} ${fmt((x2 - x1) / r.width)} ${fmt((y2 - y1) / r.height)}\n`;
    })
    .join('');
}

/** YOLO's data.yaml (paths relative to the yaml's folder, as Ultralytics reads them). */
export function synthDataYaml(classNames: string[]): string {
  const names = classNames.map((n, i) => `  ${i}: ${JSON.stringify(n)}`).join('\n');
  return `train: images/train\nval: images/val\nnc: ${classNames.length}\nnames:\n${names}\n`;
}
