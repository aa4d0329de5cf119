/**
 * Public API of the registry area; lib/index.ts re-exports it.
 *
 * @module
 */
export {};
