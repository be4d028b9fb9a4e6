/**
 * An in-memory `LabelStore` (tests, throwaway runs) with the same precedence rules as SQLite's.
 *
 *   const store = new MemoryLabelStore();
 */
import { LabelStoreError } from '../errors.js';
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
    const [n, seq] = [this.rows.length, this.seq];
    try {
      return await work();
    } catch (err) {
      this.rows.length = n;
      this.seq = seq;
      throw err;
    }
  }

  close(): void {}
}

function strip(r: Row): LabelRecord {
  const { seq: _seq, ...rest } = r;
  return rest;
}
