/** @dlpipe/label — see the package description; work in progress. */
export {};
