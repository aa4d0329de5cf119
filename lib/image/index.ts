/**
 * Public API of the image area; lib/index.ts re-exports it.
 *
 * @module
 */
export {};
