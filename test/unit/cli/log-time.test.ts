import { goDurationMs, parseLogTime } from '../../../lib/cli/log-time.js';

describe('logs --since/--until times', () => {
  it('reads Go durations', () => {
    expect(goDurationMs('10m')).toBe(600_000);
    expect(goDurationMs('1h30m')).toBe(5_400_000);
    expect(goDurationMs('1.5s')).toBe(1500);
    expect(goDurationMs('250ms')).toBe(250);
    for (const bad of ['', '10', 'm', '10x', '1h 2m', '-5m']) expect(goDurationMs(bad)).toBeUndefined();
  });
  it('reads durations before now, Unix times and RFC 3339 dates; refuses the rest', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseLogTime('10m', 'until', 'logs', now).toISOString()).toBe('2025-12-31T23:50:00.000Z');
    expect(parseLogTime('1700000000.5', 'until', 'logs', now).getTime()).toBe(1_700_000_000_500);
    expect(parseLogTime('2013-01-02T13:23:37Z', 'until', 'logs', now).toISOString()).toBe('2013-01-02T13:23:37.000Z');
    expect(() => parseLogTime('yesterday', 'until', 'logs', now)).toThrow(expect.objectContaining({ code: 'ERR_CLI_BAD_VALUE' }));
  });
});
