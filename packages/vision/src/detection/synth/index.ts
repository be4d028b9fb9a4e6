/**
 * Detection sets generated from real photos with pasted alpha sprites (bananas, emoji-10).
 */
export {};
