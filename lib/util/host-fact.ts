/**
 * Host facts read from `/proc/self` (limits, bounding set) on every container start cost a
 * synchronous read and a parse on the JS thread each; 50 parallel starts paid that 50 times in one
 * burst. A fact is read at most once per `ttlMs` and shared. The short TTL keeps a change (a
 * `prlimit` from outside, a dropped capability) visible within a second.
 *
 * @module
 */

/** Default freshness of a cached host fact, in milliseconds. */
export const HOST_FACT_TTL_MS = 1000;

/** `read`, called at most once per `ttlMs`; a throw is not cached. `now` is for tests. */
export function hostFact<T>(read: () => T, ttlMs = HOST_FACT_TTL_MS, now: () => number = () => performance.now()): () => T {
  let cached: { value: T; at: number } | undefined;
  return () => {
    const t = now();
    if (cached === undefined || t - cached.at >= ttlMs) cached = { value: read(), at: t };
    return cached.value;
  };
}
