/**
 * Public API of the snapshot area; lib/index.ts re-exports it.
 *
 * @module
 */
export {};
