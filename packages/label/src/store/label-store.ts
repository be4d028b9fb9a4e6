/**
 * The label store contract: every label ever given is kept (source, confidence, iteration,
 * time); an item's current label is its latest human or imported label, else its latest
 * pseudo-label, so human labels always override pseudo-labels. SQLite is the embedded default
 * (`SqliteLabelStore`), `MemoryLabelStore` serves tests.
 *
 *   const store = openLabelStore('runs/labels.sqlite');
 *   store.add([{ itemId: '17', label: 'cat', source: 'pseudo', confidence: 0.81, iteration: 2 }]);
 *   store.reviewQueue({ limit: 20 });  store.current();  store.stats();
 *
 * Besides a label per item, a store keeps box annotations per image (box-labels.ts): pseudo-boxes
 * from a pretrained detector, imported and human ones, each pending, accepted or rejected.
 */
import type { BoxAddResult, BoxQuery, BoxRecord, BoxStats, BoxStatus, NewBox } from './box-labels.js';

export type LabelSource = 'human' | 'pseudo' | 'imported';
export const LABEL_SOURCES: readonly LabelSource[] = ['human', 'pseudo', 'imported'];

export interface LabelRecord {
  itemId: string;
  label: string;
  source: LabelSource;
  /** Model probability for pseudo-labels; null for people. */
  confidence: number | null;
  /** Self-training iteration of a pseudo-label (0 for given labels); null when not from self-training. */
  iteration: number | null;
  /** ISO 8601 time the label was recorded. */
  time: string;
}

export type NewLabel = Omit<LabelRecord, 'time' | 'confidence' | 'iteration'> &
  Partial<Pick<LabelRecord, 'time' | 'confidence' | 'iteration'>>;

export interface AddResult {
  /** Records stored. */
  added: number;
  /**
   * Pseudo-labels not stored: the item has a human or imported label, or its current label is this
   * very pseudo-label (same label, confidence and iteration: a rerun of the same self-training).
   */
  skipped: number;
  /** Items whose current pseudo-label a human/imported label replaced. */
  overridden: number;
}

export interface ReviewOptions {
  /** Items in the queue. Default 20. */
  limit?: number;
  /** Only pseudo-labels at or below this confidence. */
  maxConfidence?: number;
}

export interface LabelStats {
  items: number;
  bySource: Record<LabelSource, number>;
  byLabel: Record<string, number>;
  /** Current pseudo-labels per self-training iteration. */
  byIteration: Record<string, number>;
  pseudoConfidence: { mean: number; min: number; max: number } | null;
  /** Label records in all (the history). */
  records: number;
}

export interface LabelStore {
  add(labels: NewLabel[]): AddResult;
  /** One record per item: the label in force. */
  current(): LabelRecord[];
  get(itemId: string): LabelRecord | undefined;
  /** Every record of an item, oldest first. */
  history(itemId: string): LabelRecord[];
  /** The least confident current pseudo-labels, least confident first. */
  reviewQueue(options?: ReviewOptions): LabelRecord[];
  stats(): LabelStats;
  /**
   * Runs `work` as one transaction: the store keeps its changes only if it resolves, so changes
   * and the files written meanwhile are all or nothing (on a throw or a kill, nothing is kept).
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** Adds box annotations; a box already stored (same image, class, corners, source, model) is skipped. */
  addBoxes(boxes: NewBox[]): BoxAddResult;
  /** The boxes `query` asks for (default: all), in the order they were added. */
  boxes(query?: BoxQuery): BoxRecord[];
  /** Sets the review status of the boxes with these ids; returns how many exist. */
  setBoxStatus(ids: number[], status: BoxStatus): number;
  /** Sets the class of the boxes with these ids (a reviewer's correction); returns how many exist. */
  setBoxLabel(ids: number[], label: string): number;
  boxStats(): BoxStats;
  close(): void;
}

/** Whether pseudo-label `l` is already `cur`, the item's current label (so a rerun adds nothing). */
export function samePseudoLabel(
  l: NewLabel,
  cur: Pick<LabelRecord, 'label' | 'source' | 'confidence' | 'iteration'> | undefined,
): boolean {
  return (
    l.source === 'pseudo' &&
    cur?.source === 'pseudo' &&
    cur.label === l.label &&
    cur.confidence === (l.confidence ?? null) &&
    cur.iteration === (l.iteration ?? null)
  );
}

/** Ranks records for "current": non-pseudo beats pseudo, then later beats earlier. */
export function precedes(
  a: { source: LabelSource; seq: number },
  b: { source: LabelSource; seq: number },
): boolean {
  const pa = a.source === 'pseudo' ? 0 : 1;
  const pb = b.source === 'pseudo' ? 0 : 1;
  return pa !== pb ? pa > pb : a.seq > b.seq;
}

/** Statistics over current labels and the history size. */
export function computeStats(current: LabelRecord[], records: number): LabelStats {
  const bySource: Record<LabelSource, number> = { human: 0, pseudo: 0, imported: 0 };
  const byLabel: Record<string, number> = {};
  const byIteration: Record<string, number> = {};
  const conf: number[] = [];
  for (const r of current) {
    bySource[r.source]++;
    byLabel[r.label] = (byLabel[r.label] ?? 0) + 1;
    if (r.source === 'pseudo') {
      byIteration[String(r.iteration ?? '?')] = (byIteration[String(r.iteration ?? '?')] ?? 0) + 1;
      if (r.confidence !== null) conf.push(r.confidence);
    }
  }
  const pseudoConfidence = conf.length
    ? { mean: conf.reduce((a, b) => a + b, 0) / conf.length, min: Math.min(...conf), max: Math.max(...conf) }
    : null;
  return { items: current.length, bySource, byLabel, byIteration, pseudoConfidence, records };
}
