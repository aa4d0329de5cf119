/**
 * Public API of the native area; lib/index.ts re-exports it.
 *
 * @module
 */
export {};
