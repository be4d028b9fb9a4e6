/**
 * Self-training on a table, end to end (what `pnpm label self-train` runs): features and labels
 * from columns, a base classifier by name, optional holdout accuracy after every round, human
 * labels from a label store taking precedence, pseudo-labels recorded back into it.
 *
 *   const r = await selfTrainTable({ data, labelCol: 'species', holdout, threshold: 0.9 });
 *   r.table  // data + label_source, label_confidence, label_iteration;  r.rounds[k].holdoutAccuracy
 */
import { makeColumn, StandardScaler, type Table } from '@dlpipe/data';
import { accuracy, type Classifier, type Features, type Matrix } from '../classifiers/classifier.js';
import { LogisticRegression } from '../classifiers/logistic-regression.js';
import { MlpClassifier } from '../classifiers/mlp-classifier.js';
import { NaiveBayesText } from '../classifiers/naive-bayes-text.js';
import { LabelError } from '../errors.js';
import {
  SelfTrainingClassifier,
  type SelfTrainingOptions,
  type TerminationCondition,
} from '../self-training.js';
import type { LabelStore, NewLabel } from '../store/label-store.js';
import { encodeKnownLabels, encodeLabels, featureMatrix, pickFeatures } from './features.js';

export type BaseName = 'logistic' | 'mlp' | 'naive-bayes';

/** Base classifiers by name. */
export const BASE_CLASSIFIERS: Record<BaseName, (seed: number, C?: number) => Classifier<never>> = {
  logistic: (_seed, C) => new LogisticRegression({ C, warmStart: true }) as Classifier<never>,
  mlp: (seed) => new MlpClassifier({ seed, epochs: 30 }) as Classifier<never>,
  'naive-bayes': () => new NaiveBayesText() as Classifier<never>,
};

export interface SelfTrainTableOptions extends Omit<SelfTrainingOptions, 'onIteration'> {
  data: Table;
  labelCol: string;
  /** Numeric feature columns. Default: every column but label and id (text ones are an error). */
  features?: string[];
  /** A text column: the documents for naive Bayes (implies classifier 'naive-bayes'). */
  textCol?: string;
  /** Column of item ids (store keys). Default 'id' when present, else the row number. */
  idCol?: string;
  /** Default 'logistic' ('naive-bayes' with textCol). */
  classifier?: BaseName;
  /** Standardize numeric features (fitted on the training table). Default true. */
  scale?: boolean;
  /** A labeled table evaluated after every round. */
  holdout?: Table;
  store?: LabelStore;
  /**
   * Add the pseudo-labels to `store` at the end. Default true; false leaves that to the caller
   * (`result.pseudoLabels`), e.g. to commit them together with the output files.
   */
  record?: boolean;
  seed?: number;
  /** Logistic regression's inverse regularization. Default 1 (scikit-learn's). */
  C?: number;
}

export interface SelfTrainRound {
  /** Pseudo-labeling rounds before this fit (0 = labeled rows only). */
  round: number;
  labeled: number;
  holdoutAccuracy?: number;
}

export interface SelfTrainTableResult {
  table: Table;
  rounds: SelfTrainRound[];
  classes: Array<string | number>;
  nIter: number;
  terminationCondition: TerminationCondition | undefined;
  warnings: string[];
  /** Rows labeled at the start, pseudo-labeled, still unlabeled. */
  counts: { given: number; pseudo: number; unlabeled: number };
  /** The pseudo-labels, as label-store records (added to `store` unless `record` is false). */
  pseudoLabels: NewLabel[];
}

function itemIds(t: Table, col?: string): string[] {
  if (!col) return Array.from({ length: t.nRows }, (_, i) => String(i));
  return t.strings(col).map((v, i) => v ?? String(i));
}

export async function selfTrainTable(o: SelfTrainTableOptions): Promise<SelfTrainTableResult> {
  const { data, labelCol } = o;
  data.column(labelCol);
  const base = o.classifier ?? (o.textCol ? 'naive-bayes' : 'logistic');
  if ((base === 'naive-bayes') !== Boolean(o.textCol)) {
    throw new LabelError(
      base === 'naive-bayes'
        ? "classifier 'naive-bayes' needs a text column (--text-col)"
        : `--text-col needs classifier 'naive-bayes', not '${base}'`,
    );
  }
  const idCol = o.idCol ?? (data.has('id') ? 'id' : undefined);
  const ids = itemIds(data, idCol);
  const { y, encoder } = encodeLabels(data, labelCol);
  applyStoreLabels(o.store, ids, y, encoder.classes);
  const prep = prepare({ ...o, idCol }, base);
  const X = prep(data);
  const Xh = o.holdout ? prep(o.holdout) : undefined;
  const yh = o.holdout ? encodeKnownLabels(o.holdout, labelCol, encoder) : undefined;
  const rounds: SelfTrainRound[] = [];
  const evaluate = async (clf: Classifier<Features>, round: number, labeled: number) => {
    rounds.push({ round, labeled, ...(Xh && yh ? { holdoutAccuracy: await accuracy(clf, Xh, yh) } : {}) });
  };
  let labeled = y.filter((v) => v >= 0).length;
  const st = new SelfTrainingClassifier(BASE_CLASSIFIERS[base](o.seed ?? 0, o.C) as Classifier<Features>, {
    ...o,
    onIteration: async (info) => {
      await evaluate(info.classifier, info.iteration - 1, labeled);
      labeled = info.labeled;
    },
  });
  await st.fit(X, y);
  await evaluate(st.classifier!, st.nIter, labeled);
  st.dispose();
  const pseudoLabels = pseudoLabelsOf(ids, st, encoder.classes);
  if (o.store && o.record !== false) o.store.add(pseudoLabels);
  return {
    pseudoLabels,
    table: annotate(data, labelCol, st, encoder.inverseTransform(st.transduction)),
    rounds,
    classes: encoder.classes,
    nIter: st.nIter,
    terminationCondition: st.terminationCondition,
    warnings: st.warnings,
    counts: {
      given: st.labeledIter.filter((v) => v === 0).length,
      pseudo: st.labeledIter.filter((v) => v > 0).length,
      unlabeled: st.labeledIter.filter((v) => v < 0).length,
    },
  };
}

/** The table → X function: text column, or (scaled) numeric matrix. */
function prepare(o: SelfTrainTableOptions, base: BaseName): (t: Table) => Features {
  if (base === 'naive-bayes') return (t) => t.strings(o.textCol!).map((s) => s ?? '');
  const cols = pickFeatures(o.data, o.labelCol, o.idCol, o.features);
  if (o.scale === false) return (t) => featureMatrix(t, cols);
  const scaler = new StandardScaler({ columns: cols.filter((c) => o.data.column(c).dtype !== 'bool') });
  scaler.fit(o.data.select(cols));
  return (t): Matrix => featureMatrix(scaler.transform(t.select(cols)), cols);
}

/** Human/imported labels in the store override the file's labels. */
function applyStoreLabels(
  store: LabelStore | undefined,
  ids: string[],
  y: Int32Array,
  classes: Array<string | number>,
): void {
  if (!store) return;
  const code = new Map(classes.map((c, i) => [String(c), i]));
  ids.forEach((id, i) => {
    const r = store.get(id);
    if (!r || r.source === 'pseudo') return;
    const k = code.get(r.label);
    if (k === undefined)
      throw new LabelError(
        `label store: item ${id} has label '${r.label}', which is not among the classes (${classes.join(', ')})`,
      );
    y[i] = k;
  });
}

/** The rows self-training labeled, as pseudo-label records. */
function pseudoLabelsOf(
  ids: string[],
  st: SelfTrainingClassifier<Features>,
  classes: Array<string | number>,
): NewLabel[] {
  return ids.flatMap((itemId, i) => {
    const it = st.labeledIter[i]!;
    if (it <= 0) return [];
    return [
      {
        itemId,
        label: String(classes[st.transduction[i]!]),
        source: 'pseudo' as const,
        confidence: st.labelConfidence[i]!,
        iteration: it,
      },
    ];
  });
}

function annotate(
  data: Table,
  labelCol: string,
  st: SelfTrainingClassifier<Features>,
  labels: Array<string | number | null>,
): Table {
  const it = Array.from(st.labeledIter);
  return data.withColumns([
    makeColumn(labelCol, labels),
    {
      name: 'label_source',
      dtype: 'string',
      data: it.map((v) => (v === 0 ? 'given' : v > 0 ? 'pseudo' : null)),
    },
    { name: 'label_confidence', dtype: 'float', data: Float64Array.from(st.labelConfidence) },
    { name: 'label_iteration', dtype: 'int', data: Float64Array.from(it, (v) => (v < 0 ? Number.NaN : v)) },
  ]);
}
