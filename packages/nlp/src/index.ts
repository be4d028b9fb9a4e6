/** @dlpipe/nlp — work in progress. */
export {};
