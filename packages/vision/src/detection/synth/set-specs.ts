/**
 * What a generated detection set holds: its classes (emoji code points), sizes, and how objects
 * are placed. Two built-in sets: `bananas` (d2l §14.6's banana set: one 🍌 per 256×256 image,
 * 1,000 train / 100 val) and `emoji-10` (ten classes, 2–6 objects per image with overlaps,
 * 5,000 / 500). A custom spec is any `DetectionSetSpec`, checked by `detectionSetSpecSchema`.
 *
 *   const spec = resolveSetSpec('bananas', { trainSize: 8, valSize: 2 });
 *   spec.classes;   // [{ name: 'banana', emoji: '🍌', codepoint: '1f34c' }]
 */
import { OptionsError, zodMessage } from '@dlpipe/core';
import { z } from 'zod';

const range = (min: number, max: number, what: string) =>
  z
    .tuple([z.number().min(min).max(max), z.number().min(min).max(max)])
    .refine(([a, b]) => a <= b, { message: `${what}: the first value must not exceed the second` });

/** The schema of a set spec (custom specs are parsed with it). */
export const detectionSetSpecSchema = z.object({
  name: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]*$/,
      'lower-case letters, digits, ".", "_" or "-" (it names the output folder)',
    ),
  description: z.string().default(''),
  classes: z
    .array(
      z.object({
        name: z.string().min(1),
        emoji: z.string().default(''),
        codepoint: z
          .string()
          .regex(/^[0-9a-f]{4,6}(-[0-9a-f]{4,6})*$/, "lower-case hex code points joined by '-'"),
      }),
    )
    .min(1),
  trainSize: z.number().int().min(0),
  valSize: z.number().int().min(0),
  imageSize: z.number().int().positive().max(4096),
  objectsPerImage: z.tuple([z.number().int().min(0), z.number().int().min(1)]),
  scale: range(0.01, 1, 'scale'),
  flip: z.boolean().default(true),
  maxRotation: z.number().min(0).max(180).default(0),
  maxOverlap: z.number().min(0).max(1).default(0),
  minVisible: z.number().min(0).max(1).default(0.25),
  alphaThreshold: z.number().int().min(0).max(254).default(127),
  minCrop: z.number().gt(0).max(1).default(0.3),
  spriteSources: z.array(z.string().min(1)).min(1).default(['openmoji', 'twemoji']),
  format: z.enum(['jpg', 'png']).default('jpg'),
  jpegQuality: z.number().int().min(1).max(100).default(90),
});

/** A set spec as written (defaults optional). */
export type DetectionSetSpecInput = z.input<typeof detectionSetSpecSchema>;
/** A set spec with every default filled in. */
export type DetectionSetSpec = z.output<typeof detectionSetSpecSchema>;

const EMOJI_10: DetectionSetSpecInput['classes'] = [
  { name: 'banana', emoji: '🍌', codepoint: '1f34c' },
  { name: 'apple', emoji: '🍎', codepoint: '1f34e' },
  { name: 'car', emoji: '🚗', codepoint: '1f697' },
  { name: 'dog', emoji: '🐶', codepoint: '1f436' },
  { name: 'cat', emoji: '🐱', codepoint: '1f431' },
  { name: 'ball', emoji: '⚽', codepoint: '26bd' },
  { name: 'cactus', emoji: '🌵', codepoint: '1f335' },
  { name: 'bicycle', emoji: '🚲', codepoint: '1f6b2' },
  { name: 'star', emoji: '⭐', codepoint: '2b50' },
  { name: 'mushroom', emoji: '🍄', codepoint: '1f344' },
];

/** The built-in sets by name. */
export const BUILTIN_SETS = {
  bananas: {
    name: 'bananas',
    description: "One banana per image, as d2l's banana detection set (§14.6).",
    classes: [EMOJI_10[0]!],
    trainSize: 1000,
    valSize: 100,
    imageSize: 256,
    objectsPerImage: [1, 1],
    scale: [0.15, 0.5],
    maxRotation: 15,
  },
  'emoji-10': {
    name: 'emoji-10',
    description:
      'Ten emoji classes, 2–6 objects per image; boxes may overlap and later objects occlude earlier ones.',
    classes: EMOJI_10,
    trainSize: 5000,
    valSize: 500,
    imageSize: 256,
    objectsPerImage: [2, 6],
    scale: [0.12, 0.4],
    maxRotation: 20,
    maxOverlap: 0.4,
    minVisible: 0.3,
  },
} satisfies Record<string, DetectionSetSpecInput>;

export type BuiltinSetName = keyof typeof BUILTIN_SETS;

/** Overrides of a spec's sizes, as `generateDetectionSet` takes them. */
export interface SetSizeOverrides {
  trainSize?: number;
  valSize?: number;
  imageSize?: number;
}

/** A built-in name or a custom spec, with size overrides, parsed and checked (`OptionsError` on bad input). */
export function resolveSetSpec(
  set: string | DetectionSetSpecInput,
  o: SetSizeOverrides = {},
): DetectionSetSpec {
  let base: DetectionSetSpecInput;
  if (typeof set === 'string') {
    const builtin = (BUILTIN_SETS as Record<string, DetectionSetSpecInput>)[set];
    if (!builtin) {
      throw new OptionsError(
        `unknown detection set '${set}': expected one of ${Object.keys(BUILTIN_SETS).join(', ')}, or a custom DetectionSetSpec object`,
      );
    }
    base = builtin;
  } else base = set;
  const merged = {
    ...base,
    ...(o.trainSize === undefined ? {} : { trainSize: o.trainSize }),
    ...(o.valSize === undefined ? {} : { valSize: o.valSize }),
    ...(o.imageSize === undefined ? {} : { imageSize: o.imageSize }),
  };
  const r = detectionSetSpecSchema.safeParse(merged);
  if (!r.success) throw new OptionsError(zodMessage(`detection set '${merged.name ?? '?'}'`, r.error));
  if (r.data.objectsPerImage[0] > r.data.objectsPerImage[1]) {
    throw new OptionsError(
      `detection set '${r.data.name}': objectsPerImage [${r.data.objectsPerImage.join(', ')}] has min > max`,
    );
  }
  return r.data;
}
