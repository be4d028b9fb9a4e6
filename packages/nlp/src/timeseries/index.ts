/**
 * d2l §9.1 sequence models: noisy sine series, autoregressive MLP, k-step-ahead forecasts.
 */
export {};
