/**
 * Training history as JSON lines (`<runDir>/history.jsonl`): one record per logged step
 * (`kind: 'step'`) and per epoch (`kind: 'epoch'`). On resume the file is cut back to the
 * checkpoint, so the curve continues without duplicates.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureDir, PathError, writeFileAtomicSync } from '@dlpipe/core';
import type { HistoryRecord } from './types.js';

export class HistoryLog {
  readonly records: HistoryRecord[] = [];
  private folderMade = false;
  constructor(readonly path?: string) {}

  append(record: HistoryRecord): void {
    this.records.push(record);
    if (this.path) {
      if (!this.folderMade) ensureDir(dirname(this.path), 'run folder');
      this.folderMade = true;
      appendFileSync(this.path, `${JSON.stringify(record)}\n`);
    }
  }

  /** Loads earlier records up to a checkpoint (global step, completed epochs) and rewrites the file. */
  restore(upToStep: number, completedEpochs: number): void {
    if (!this.path || !existsSync(this.path)) return;
    const kept = readHistory(this.path).filter((r) =>
      r.kind === 'epoch' ? r.epoch <= completedEpochs : r.step <= upToStep,
    );
    this.records.push(...kept);
    writeFileAtomicSync(this.path, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  epochs(): HistoryRecord[] {
    return this.records.filter((r) => r.kind === 'epoch');
  }

  steps(): HistoryRecord[] {
    return this.records.filter((r) => r.kind === 'step');
  }
}

/** Parses a history.jsonl; a torn last line (crash mid-write) is dropped. */
export function readHistory(path: string): HistoryRecord[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const out: HistoryRecord[] = [];
  for (const [i, line] of lines.entries()) {
    try {
      out.push(JSON.parse(line) as HistoryRecord);
    } catch (err) {
      if (i === lines.length - 1) break;
      throw new PathError(
        path,
        `line ${i + 1} is not JSON (${(err as Error).message}); fix or delete that line, or start a fresh run`,
        { cause: err },
      );
    }
  }
  return out;
}
