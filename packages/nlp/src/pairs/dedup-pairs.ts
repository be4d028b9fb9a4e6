/**
 * Deduplication on the normalized source (`dedupKey`): of the pairs sharing a source, the one with
 * the most common translation is kept; ties go to the translation seen first, and pairs come in
 * package-name order, so the result does not depend on the file system's order.
 *
 *   dedupPairs([{ src: 'File', tgt: 'Fichier', … }, { src: 'file', tgt: 'Dossier', … }, …]);
 */
import { dedupKey } from './split.js';

/** A sentence pair with its token columns and the catalog it came from (one TSV row). */
export interface PairRecord {
  /** The cleaned English source. */
  src: string;
  /** The cleaned translation. */
  tgt: string;
  /** The source's tokens, space-separated (d2l's preprocess_nmt). */
  srcTok: string;
  /** The translation's tokens, space-separated (preprocess_nmt, or jieba for Chinese). */
  tgtTok: string;
  /** The catalog (package) it came from. */
  package: string;
}

interface Candidate {
  record: PairRecord;
  count: number;
  first: number;
}

/** The pairs with one per source, in the order their sources first appear. */
export function dedupPairs(records: readonly PairRecord[]): PairRecord[] {
  const groups = new Map<string, Map<string, Candidate>>();
  records.forEach((record, i) => {
    const key = dedupKey(record.src);
    const byTgt = groups.get(key) ?? new Map<string, Candidate>();
    groups.set(key, byTgt);
    const c = byTgt.get(record.tgt);
    if (c) c.count++;
    else byTgt.set(record.tgt, { record, count: 1, first: i });
  });
  return [...groups.values()].map((byTgt) => {
    let best: Candidate | undefined;
    for (const c of byTgt.values())
      if (!best || c.count > best.count || (c.count === best.count && c.first < best.first)) best = c;
    return (best as Candidate).record;
  });
}
