import { hostFact } from '../../../lib/util/host-fact.js';
import { callerLimits } from '../../../lib/container/rlimits.js';
import { hostBoundingSet } from '../../../lib/container/host-caps.js';

describe('hostFact', () => {
  it('reads once per TTL and again after it', () => {
    let t = 0;
    let reads = 0;
    const f = hostFact(() => ++reads, 1000, () => t);
    expect([f(), f(), f()]).toEqual([1, 1, 1]);
    t = 999;
    expect(f()).toBe(1);
    t = 1000;
    expect(f()).toBe(2);
  });

  it('does not cache a throw', () => {
    let fail = true;
    const f = hostFact(() => {
      if (fail) throw new Error('no /proc');
      return 'ok';
    });
    expect(() => f()).toThrow('no /proc');
    fail = false;
    expect(f()).toBe('ok');
  });

  it('hands out copies: a caller mutating its result does not change the next', () => {
    const a = callerLimits();
    (a[0] as { soft: number }).soft = -1;
    a.length = 0;
    expect(callerLimits().length).toBeGreaterThan(0);
    expect(callerLimits()[0]?.soft).not.toBe(-1);
    const b = hostBoundingSet();
    b?.splice(0);
    expect(hostBoundingSet()).toEqual(expect.arrayContaining(['CAP_CHOWN']));
  });
});
