/**
 * Public API of the reference area; lib/index.ts re-exports it.
 *
 * @module
 */
export {};
