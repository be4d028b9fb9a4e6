/**
 * Problems found in detection annotations (COCO JSON, Pascal VOC XML, YOLO txt), collected while a
 * whole dataset is read and reported together, each with its file and line or field.
 *
 *   const log = new ProblemLog();
 *   log.add('labels/a.txt', 'unknown class 7 (3 classes)', { line: 4 });
 *   log.throwIfAny('data/yolo'); // AnnotationError: data/yolo: 1 problem: labels/a.txt:4: unknown class 7 …
 */
import { DatasetError } from '../../errors.js';

/** One problem: where (file, and line or field within it) and what. */
export interface AnnotationProblem {
  file: string;
  /** 1-based line, for text formats. */
  line?: number;
  /** A field path, for JSON (`annotations.3.bbox`) and XML (`object[2].bndbox.xmin`). */
  field?: string;
  message: string;
}

/** `file:line: message` or `file: field: message` (`line 4: …` when the file is `base`). */
export function formatProblem(p: AnnotationProblem, base?: string): string {
  const file = p.file === base ? '' : p.file;
  const line = p.line === undefined ? '' : file ? `:${p.line}` : `line ${p.line}`;
  const where = [`${file}${line}`, p.field].filter(Boolean).join(': ');
  return where ? `${where}: ${p.message}` : p.message;
}

/** How many problems a message lists before "… and N more". */
const SHOWN = 20;

/** A dataset's annotations are malformed or inconsistent; `problems` lists all of them. */
export class AnnotationError extends DatasetError {
  readonly problems: AnnotationProblem[];
  constructor(path: string, problems: AnnotationProblem[]) {
    const lines = problems.slice(0, SHOWN).map((p) => formatProblem(p, path));
    if (problems.length > SHOWN) lines.push(`… and ${problems.length - SHOWN} more`);
    const n = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super(path, problems.length === 1 ? lines[0]! : `${n}: ${lines.join('\n  ')}`);
    this.problems = problems;
  }
}

/** Collects problems across files; `throwIfAny` reports them all at once. */
export class ProblemLog {
  readonly problems: AnnotationProblem[] = [];
  add(file: string, message: string, where: { line?: number; field?: string } = {}): void {
    this.problems.push({ file, message, ...where });
  }
  get size(): number {
    return this.problems.length;
  }
  /** Throws an `AnnotationError` for `path` when any problem was logged. */
  throwIfAny(path: string): void {
    if (this.problems.length > 0) throw new AnnotationError(path, this.problems);
  }
}
