/**
 * Parallel sentence pairs built from gettext .mo catalogs.
 */
export {};
