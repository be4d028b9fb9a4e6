/** @dlpipe/vision — work in progress. */
export {};
