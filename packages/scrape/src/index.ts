/** @dlpipe/scrape — see the package description; work in progress. */
export {};
