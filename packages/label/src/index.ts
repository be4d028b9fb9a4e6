/**
 * @dlpipe/label — semi-supervised labeling: scikit-learn's `SelfTrainingClassifier`, base
 * classifiers on @dlpipe/tensor (logistic regression, MLP) and natural (naive Bayes for text),
 * and a SQLite label store with a review queue and CSV import.
 *
 *   const st = new SelfTrainingClassifier(new LogisticRegression(), { threshold: 0.9 });
 *   await st.fit(X, y);   // y: -1 / null = unlabeled
 */
export * from './classifiers/classifier.js';
export * from './classifiers/lbfgs.js';
export * from './classifiers/logistic-regression.js';
export * from './classifiers/mlp-classifier.js';
export * from './classifiers/naive-bayes-text.js';
export * from './errors.js';
export * from './pipeline/features.js';
export * from './pipeline/plot-rounds.js';
export * from './pipeline/self-train-table.js';
export * from './self-training.js';
export * from './store/box-labels.js';
export * from './store/commit-outputs.js';
export * from './store/csv-labels.js';
export * from './store/label-store.js';
export * from './store/memory-store.js';
export * from './store/sqlite-boxes.js';
export * from './store/sqlite-store.js';
