/**
 * The batched products of `pnpm bench engine`'s BatchMatMul rows, shared by the worker that times
 * them, the planner and the table: attention's QKᵀ at L 256, d 64 ([64, 256, 64] · [64, 64, 256],
 * bound by writing the output) and a square one bound by arithmetic ([64, 256, 256]²).
 * bench/engine_torch.py's BMM_SHAPES holds the same shapes for PyTorch.
 *
 *   bmmLabel('bmm-square');   // 'BatchMatMul [64,256,256]·[64,256,256]'
 */
export const BMM_SHAPES = {
  attention: { batch: 64, m: 256, k: 64, n: 256 },
  square: { batch: 64, m: 256, k: 256, n: 256 },
} as const;
export type BmmShape = keyof typeof BMM_SHAPES;

/** The rows' cell names (`bmm-attention`), in table order. */
export const BMM_ROWS = (Object.keys(BMM_SHAPES) as BmmShape[]).map((s) => `bmm-${s}` as const);
export type BmmRow = (typeof BMM_ROWS)[number];

/** The shape of a row's cell name, or undefined. */
export function bmmShapeOf(row: string): BmmShape | undefined {
  const s = row.replace(/^bmm-/, '');
  return Object.hasOwn(BMM_SHAPES, s) ? (s as BmmShape) : undefined;
}

/** The row's label in the table. */
export function bmmLabel(row: string): string {
  const shape = bmmShapeOf(row);
  if (!shape) return row;
  const { batch, m, k, n } = BMM_SHAPES[shape];
  return `BatchMatMul [${batch},${m},${k}]·[${batch},${k},${n}]`;
}
