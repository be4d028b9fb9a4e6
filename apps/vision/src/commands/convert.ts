/**
 * `pnpm vision convert --from coco --to yolo <in> <out>`: detection annotations between COCO JSON,
 * Pascal VOC XML and YOLO txt (@dlpipe/vision's `convertDetections`), every problem of the input
 * (box outside its image, negative size, unknown class, missing image, malformed file) reported
 * together by file and line or field.
 *
 *   pnpm vision convert --from voc --to coco VOC2012 voc.json
 */
import { checkInputDir, defineCommand } from '@dlpipe/core';
import { convertDetections, DETECTION_FORMATS } from '@dlpipe/vision';
import { z } from 'zod';

export const convert = defineCommand({
  summary: 'convert detection annotations between COCO JSON, Pascal VOC XML and YOLO txt',
  description: `Formats: coco (a .json file: images, annotations, categories), voc (a folder with
Annotations/*.xml and JPEGImages/), yolo (a folder with images/, labels/*.txt lines
"class cx cy w h" normalized, and classes.txt or data.yaml names). Image sizes missing from the
annotations are read from the images. VOC and YOLO outputs get copies of the images (not with
--labels-only); YOLO leaves crowd boxes out. Nothing is written unless the whole input is valid.`,
  args: {
    in: z.string().describe('the dataset to read: a COCO .json file, or a VOC or YOLO folder'),
    out: z.string().describe('where to write: a .json file for coco, a new or empty folder otherwise'),
  },
  flags: {
    from: z.enum(DETECTION_FORMATS).meta({ description: 'the input format' }),
    to: z.enum(DETECTION_FORMATS).meta({ description: 'the output format' }),
    images: z.string().optional().meta({
      placeholder: 'DIR',
      description:
        'coco input: the folder file_name is relative to (default: images/ beside the JSON, else its folder)',
    }),
    labelsOnly: z
      .boolean()
      .default(false)
      .meta({ description: 'do not copy the images into a voc/yolo output' }),
  },
  examples: [
    'pnpm vision convert --from coco --to yolo annotations.json data/yolo',
    'pnpm vision convert --from voc --to coco VOC2012 voc.json',
  ],
  json: true,
  async run(o) {
    if (o.images !== undefined) checkInputDir(o.images, '--images folder');
    const r = await convertDetections({
      from: o.from,
      to: o.to,
      input: o.in,
      output: o.out,
      imagesDir: o.images,
      copyImages: !o.labelsOnly,
    });
    const lines = [`${o.out}: ${r.images} images, ${r.boxes - r.skippedCrowd} boxes (${o.to})`];
    if (r.skippedCrowd) lines.push(`${r.skippedCrowd} crowd boxes left out (YOLO has no crowd regions)`);
    return { lines, data: { ...r, out: o.out, from: o.from, to: o.to } };
  },
});
