/**
 * Box annotations in the label store: per image (the item), a class name and corners in pixels,
 * where the box came from (a pretrained detector's pseudo-box, an import, a person), its review
 * status (pending → accepted / rejected) and the model that proposed it. Both stores keep them
 * behind `LabelStore`; `boxSetOf` groups the chosen boxes by image for a detection set.
 *
 *   store.addBoxes([{ itemId: 'img/dog.jpg', label: 'dog', x1: 125, y1: 208, x2: 313, y2: 542,
 *     score: 0.43, source: 'pseudo', model: 'centernet' }]);
 *   store.setBoxStatus([1, 2], 'accepted');
 *   const { classNames, images } = boxSetOf(store.boxes({ status: 'accepted' }));
 *
 * Review decisions (a filled-in review sheet, or thresholds on the score) go through
 * `applyBoxDecisions`: checked against the store first, then applied all or nothing.
 *
 *   await applyBoxDecisions(store, [{ id: 1, decision: parseBoxDecision('relabel:cat')!, where: 'line 2' }]);
 */
import { LabelStoreError } from '../errors.js';
import type { LabelSource, LabelStore } from './label-store.js';

export type BoxStatus = 'pending' | 'accepted' | 'rejected';
export const BOX_STATUSES: readonly BoxStatus[] = ['pending', 'accepted', 'rejected'];
const SOURCES: readonly LabelSource[] = ['human', 'pseudo', 'imported'];

export interface BoxRecord {
  /** Store-wide id (from 1), for `setBoxStatus`. */
  id: number;
  /** The image: its path (what `pnpm label detect` records) or another id. */
  itemId: string;
  /** The class name. */
  label: string;
  /** Corners in pixels of the image, x to the right and y down from its top-left corner. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** The detector's score in [0, 1]; null for people. */
  score: number | null;
  source: LabelSource;
  status: BoxStatus;
  /** The model that proposed the box; null when none did. */
  model: string | null;
  /** ISO 8601 time the box was recorded. */
  time: string;
}

/** A box to add: status defaults to 'pending' for pseudo-boxes and 'accepted' otherwise. */
export type NewBox = Omit<BoxRecord, 'id' | 'time' | 'score' | 'status' | 'model'> &
  Partial<Pick<BoxRecord, 'time' | 'score' | 'status' | 'model'>>;

export interface BoxAddResult {
  added: number;
  /** Boxes already in the store (same image, class, corners, source and model): a rerun. */
  skipped: number;
}

export interface BoxQuery {
  itemId?: string;
  /** One status, or 'all' (default). */
  status?: BoxStatus | 'all';
  source?: LabelSource;
}

export interface BoxStats {
  boxes: number;
  images: number;
  byStatus: Record<BoxStatus, number>;
  byLabel: Record<string, number>;
}

/** Throws on an empty id or class, a bad source/status, a score outside [0, 1] or a malformed box. */
export function checkBox(b: NewBox, i: number): void {
  const where = `box ${i}${b.itemId ? ` (item ${b.itemId})` : ''}`;
  if (!b.itemId) throw new LabelStoreError(`${where}: itemId is empty`);
  if (typeof b.label !== 'string' || b.label === '')
    throw new LabelStoreError(`${where}: the class is empty`);
  if (!SOURCES.includes(b.source))
    throw new LabelStoreError(`${where}: source '${b.source}' is not one of ${SOURCES.join(', ')}`);
  if (b.status !== undefined && !BOX_STATUSES.includes(b.status))
    throw new LabelStoreError(`${where}: status '${b.status}' is not one of ${BOX_STATUSES.join(', ')}`);
  const s = b.score;
  if (s !== undefined && s !== null && !(s >= 0 && s <= 1))
    throw new LabelStoreError(`${where}: score ${s} is outside [0, 1]`);
  const c = [b.x1, b.y1, b.x2, b.y2];
  if (!c.every(Number.isFinite) || b.x2 < b.x1 || b.y2 < b.y1 || b.x1 < 0 || b.y1 < 0) {
    throw new LabelStoreError(
      `${where}: corners (${c.join(', ')}) are not a box; expected finite x1 ≤ x2, y1 ≤ y2, not negative (pixels)`,
    );
  }
}

/** Throws on a class name a box cannot have (empty, or not a string). */
export function checkBoxLabel(label: string): void {
  if (typeof label !== 'string' || label.trim() === '')
    throw new LabelStoreError(`box class '${String(label)}' is empty; expected a class name such as 'dog'`);
}

/** The box as stored: defaults filled in. */
export function boxDefaults(b: NewBox): Omit<BoxRecord, 'id'> {
  return {
    ...b,
    score: b.score ?? null,
    status: b.status ?? (b.source === 'pseudo' ? 'pending' : 'accepted'),
    model: b.model ?? null,
    time: b.time ?? new Date().toISOString(),
  };
}

/** Whether `a` and `b` are the same box (a rerun of the same detector adds nothing). */
export function sameBox(a: Omit<BoxRecord, 'id'>, b: Omit<BoxRecord, 'id'>): boolean {
  return (
    a.itemId === b.itemId &&
    a.label === b.label &&
    a.source === b.source &&
    a.model === b.model &&
    a.x1 === b.x1 &&
    a.y1 === b.y1 &&
    a.x2 === b.x2 &&
    a.y2 === b.y2
  );
}

/** Whether a box is what `q` asks for. */
export function matchesBox(b: BoxRecord, q: BoxQuery): boolean {
  return (
    (q.itemId === undefined || b.itemId === q.itemId) &&
    (q.status === undefined || q.status === 'all' || b.status === q.status) &&
    (q.source === undefined || b.source === q.source)
  );
}

/** Counts by status and by class, and the images with boxes. */
export function computeBoxStats(boxes: BoxRecord[]): BoxStats {
  const byStatus: Record<BoxStatus, number> = { pending: 0, accepted: 0, rejected: 0 };
  const byLabel: Record<string, number> = {};
  for (const b of boxes) {
    byStatus[b.status]++;
    byLabel[b.label] = (byLabel[b.label] ?? 0) + 1;
  }
  return { boxes: boxes.length, images: new Set(boxes.map((b) => b.itemId)).size, byStatus, byLabel };
}

/** Boxes grouped by image, with class ids into the sorted class names: a detection set's shape. */
export interface BoxSet {
  classNames: string[];
  images: { itemId: string; boxes: { x1: number; y1: number; x2: number; y2: number; classId: number }[] }[];
}

/** Groups boxes by image (in order of first appearance) with class ids into sorted class names. */
export function boxSetOf(boxes: BoxRecord[]): BoxSet {
  const classNames = [...new Set(boxes.map((b) => b.label))].sort();
  const byItem = new Map<string, BoxSet['images'][number]>();
  for (const b of boxes) {
    const im = byItem.get(b.itemId) ?? { itemId: b.itemId, boxes: [] };
    byItem.set(b.itemId, im);
    im.boxes.push({ x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, classId: classNames.indexOf(b.label) });
  }
  return { classNames, images: [...byItem.values()] };
}

/** A reviewer's decision on one box: relabel accepts it with another class. */
export type BoxDecision = { action: 'accept' } | { action: 'reject' } | { action: 'relabel'; label: string };

/** The decision words a review sheet takes. */
export const BOX_DECISIONS = ['accept', 'reject', 'relabel:<class>'] as const;

/** 'accept', 'reject' or 'relabel:<class>' (keywords in any case); '' is no decision (null); anything else undefined. */
export function parseBoxDecision(text: string): BoxDecision | null | undefined {
  const t = text.trim();
  const word = t.toLowerCase();
  if (t === '') return null;
  if (word === 'accept' || word === 'reject') return { action: word };
  const m = /^relabel:(.*)$/i.exec(t);
  const label = m?.[1]?.trim();
  return label ? { action: 'relabel', label } : undefined;
}

export interface BoxDecisionRow {
  id: number;
  decision: BoxDecision;
  /** Where the decision comes from, for errors: "review.csv line 4". */
  where: string;
}

export interface BoxReviewCounts {
  accepted: number;
  rejected: number;
  /** Of the accepted, those given another class (a person's box added, the detector's rejected). */
  relabeled: number;
}

/**
 * Throws, naming its `where`, on the first decision for a box the store does not have, a second
 * decision for one box, or a relabel to a class neither in the store nor in `classes`.
 */
export function checkBoxDecisions(
  store: LabelStore,
  rows: readonly BoxDecisionRow[],
  classes: readonly string[] = [],
): void {
  const boxes = store.boxes();
  const ids = new Set(boxes.map((b) => b.id));
  const known = new Set([...boxes.map((b) => b.label), ...classes]);
  const seen = new Map<number, string>();
  for (const r of rows) {
    if (!ids.has(r.id))
      throw new LabelStoreError(`${r.where}: no box ${r.id} in the store; the sheet is from another store?`);
    const first = seen.get(r.id);
    if (first) throw new LabelStoreError(`${r.where}: box ${r.id} was already decided at ${first}`);
    seen.set(r.id, r.where);
    const d = r.decision;
    if (d.action === 'relabel' && !known.has(d.label)) {
      throw new LabelStoreError(
        `${r.where}: unknown class '${d.label}'; the store has ${[...new Set(boxes.map((b) => b.label))].sort().join(', ')} (a new class must be allowed explicitly)`,
      );
    }
  }
}

/**
 * Checks `rows` (see `checkBoxDecisions`), then applies them all in one transaction. A relabel
 * keeps the history honest: the detector's box is rejected (so the same box from a rerun of the
 * detector is recognised and skipped) and a person's box with the new class is added, accepted.
 */
export async function applyBoxDecisions(
  store: LabelStore,
  rows: readonly BoxDecisionRow[],
  classes: readonly string[] = [],
): Promise<BoxReviewCounts> {
  checkBoxDecisions(store, rows, classes);
  const ids = (a: BoxDecision['action']) => rows.filter((r) => r.decision.action === a).map((r) => r.id);
  const byId = new Map(store.boxes().map((b) => [b.id, b]));
  const corrected: NewBox[] = [];
  for (const r of rows) {
    if (r.decision.action !== 'relabel') continue;
    const b = byId.get(r.id)!; // checkBoxDecisions saw every id
    const { x1, y1, x2, y2, itemId } = b;
    corrected.push({ itemId, label: r.decision.label, x1, y1, x2, y2, source: 'human', status: 'accepted' });
  }
  return store.transaction(async () => {
    const accepted = store.setBoxStatus(ids('accept'), 'accepted');
    const rejected = store.setBoxStatus(ids('reject'), 'rejected');
    store.setBoxStatus(ids('relabel'), 'rejected');
    const relabeled = store.addBoxes(corrected).added;
    return { accepted: accepted + relabeled, rejected, relabeled };
  });
}

export interface ScoreThresholds {
  /** Accept pending boxes scoring at least this. */
  acceptAbove?: number;
  /** Reject pending boxes scoring below this. */
  rejectBelow?: number;
}

/** The pending boxes that thresholds on the score accept and reject (boxes without a score stay). */
export function decideByScore(
  boxes: readonly BoxRecord[],
  t: ScoreThresholds,
): { accept: BoxRecord[]; reject: BoxRecord[] } {
  const pending = boxes.filter((b) => b.status === 'pending' && b.score !== null);
  const { acceptAbove: hi, rejectBelow: lo } = t;
  return {
    accept: hi === undefined ? [] : pending.filter((b) => (b.score ?? 0) >= hi),
    reject:
      lo === undefined
        ? []
        : pending.filter((b) => (b.score ?? 1) < lo && (hi === undefined || (b.score ?? 0) < hi)),
  };
}
