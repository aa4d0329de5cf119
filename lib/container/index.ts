/**
 * Public API of the container area; lib/index.ts re-exports it.
 *
 * @module
 */
export {};
