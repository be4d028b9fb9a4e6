/**
 * An in-memory `LabelStore` (tests, throwaway runs) with the same precedence rules as SQLite's.
 *
 *   const store = new MemoryLabelStore();
 */
import { LabelStoreError } from '../errors.js';
import {
  BOX_STATUSES,
  type BoxAddResult,
  type BoxQuery,
  type BoxRecord,
  type BoxStats,
  type BoxStatus,
  boxDefaults,
  checkBox,
  checkBoxLabel,
  computeBoxStats,
  matchesBox,
  type NewBox,
  sameBox,
} from './box-labels.js';
import {
  type AddResult,
  computeStats,
  LABEL_SOURCES,
  type LabelRecord,
  type LabelStats,
  type LabelStore,
  type NewLabel,
  precedes,
  type ReviewOptions,
  samePseudoLabel,
} from './label-store.js';

type Row = LabelRecord & { seq: number };

export function checkLabel(l: NewLabel, i: number): void {
  if (!l.itemId) throw new LabelStoreError(`label ${i}: itemId is empty`);
  if (typeof l.label !== 'string' || l.label === '')
    throw new LabelStoreError(`label ${i} (item ${l.itemId}): the label is empty`);
  if (!LABEL_SOURCES.includes(l.source)) {
    throw new LabelStoreError(
      `label ${i} (item ${l.itemId}): source '${l.source}' is not one of ${LABEL_SOURCES.join(', ')}`,
    );
  }
  const c = l.confidence;
  if (c !== undefined && c !== null && !(c >= 0 && c <= 1)) {
    throw new LabelStoreError(`label ${i} (item ${l.itemId}): confidence ${c} is outside [0, 1]`);
  }
}

export class MemoryLabelStore implements LabelStore {
  private rows: Row[] = [];
  private seq = 0;
  private boxRows: BoxRecord[] = [];

  add(labels: NewLabel[]): AddResult {
    labels.forEach(checkLabel);
    const r: AddResult = { added: 0, skipped: 0, overridden: 0 };
    for (const l of labels) {
      const cur = this.get(l.itemId);
      if ((l.source === 'pseudo' && cur && cur.source !== 'pseudo') || samePseudoLabel(l, cur)) {
        r.skipped++;
        continue;
      }
      if (l.source !== 'pseudo' && cur?.source === 'pseudo') r.overridden++;
      this.rows.push({
        confidence: null,
        iteration: null,
        time: new Date().toISOString(),
        ...l,
        seq: ++this.seq,
      });
      r.added++;
    }
    return r;
  }

  private best(): Map<string, Row> {
    const m = new Map<string, Row>();
    for (const row of this.rows) {
      const b = m.get(row.itemId);
      if (!b || precedes(row, b)) m.set(row.itemId, row);
    }
    return m;
  }

  current(): LabelRecord[] {
    return [...this.best().values()].map(strip);
  }

  get(itemId: string): LabelRecord | undefined {
    const b = this.best().get(itemId);
    return b && strip(b);
  }

  history(itemId: string): LabelRecord[] {
    return this.rows.filter((r) => r.itemId === itemId).map(strip);
  }

  reviewQueue(o: ReviewOptions = {}): LabelRecord[] {
    return this.current()
      .filter(
        (r) =>
          r.source === 'pseudo' && (o.maxConfidence === undefined || (r.confidence ?? 0) <= o.maxConfidence),
      )
      .sort(
        (a, b) =>
          (a.confidence ?? 0) - (b.confidence ?? 0) ||
          (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0),
      )
      .slice(0, o.limit ?? 20);
  }

  stats(): LabelStats {
    return computeStats(this.current(), this.rows.length);
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    const [n, seq, boxes] = [this.rows.length, this.seq, this.boxRows.map((b) => ({ ...b }))];
    try {
      return await work();
    } catch (err) {
      this.rows.length = n;
      this.seq = seq;
      this.boxRows = boxes;
      throw err;
    }
  }

  addBoxes(boxes: NewBox[]): BoxAddResult {
    boxes.forEach(checkBox);
    const r: BoxAddResult = { added: 0, skipped: 0 };
    for (const nb of boxes) {
      const b = boxDefaults(nb);
      if (this.boxRows.some((old) => sameBox(old, b))) {
        r.skipped++;
        continue;
      }
      this.boxRows.push({ ...b, id: this.boxRows.length + 1 });
      r.added++;
    }
    return r;
  }

  boxes(query: BoxQuery = {}): BoxRecord[] {
    return this.boxRows.filter((b) => matchesBox(b, query)).map((b) => ({ ...b }));
  }

  setBoxStatus(ids: number[], status: BoxStatus): number {
    if (!BOX_STATUSES.includes(status))
      throw new LabelStoreError(`box status '${status}' is not one of ${BOX_STATUSES.join(', ')}`);
    const wanted = new Set(ids);
    const hit = this.boxRows.filter((b) => wanted.has(b.id));
    for (const b of hit) b.status = status;
    return hit.length;
  }

  setBoxLabel(ids: number[], label: string): number {
    checkBoxLabel(label);
    const wanted = new Set(ids);
    const hit = this.boxRows.filter((b) => wanted.has(b.id));
    for (const b of hit) b.label = label;
    return hit.length;
  }

  boxStats(): BoxStats {
    return computeBoxStats(this.boxRows);
  }

  close(): void {}
}

function strip(r: Row): LabelRecord {
  const { seq: _seq, ...rest } = r;
  return rest;
}
