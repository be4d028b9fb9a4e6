/**
 * d2l §9.1 sequence models: noisy sine series, autoregressive MLP, k-step-ahead forecasts.
 */
export * from './autoregressive-mlp.js';
export * from './forecast.js';
export * from './forecast-plots.js';
export * from './forecast-series.js';
export * from './lag-features.js';
export * from './series-csv.js';
export * from './sine-series.js';
export * from './timeseries-error.js';
