/**
 * Detection sets generated from real photos with pasted alpha sprites (bananas, emoji-10).
 */
export * from './backgrounds.js';
export * from './catalog.js';
export * from './load-set.js';
export * from './paste.js';
export * from './scene.js';
export * from './set-files.js';
export * from './set-readme.js';
export * from './set-specs.js';
export * from './sprites.js';
export * from './write-set.js';
