// The json-file log: what the attached writer produces and what logs() reads back.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonLogWriter } from '../../../lib/container/io.js';
import { readLog } from '../../../lib/container/logs.js';
import { exitCodeOf } from '../../../lib/container/observe.js';
import { signalName } from '../../../lib/container/stop.js';

async function all(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
}

describe('container logs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ocikit-logs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('the writer splits lines per stream and keeps a partial last line', () => {
    const w = new JsonLogWriter(join(dir, 'l'));
    w.write('stdout', 'a\nb');
    w.write('stderr', 'e\n');
    w.write('stdout', 'c\nd');
    w.close();
    const entries = readFileSync(join(dir, 'l'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { log: string; stream: string; time: string });
    expect(entries.map((e) => [e.stream, e.log])).toEqual([['stdout', 'a\n'], ['stderr', 'e\n'], ['stdout', 'bc\n'], ['stdout', 'd']]);
    for (const e of entries) expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });

  test('since, until, tail, timestamps and stream filters', async () => {
    const lines = [
      { log: 'one\n', stream: 'stdout', time: '2026-01-01T00:00:01.000000000Z' },
      { log: 'two\n', stream: 'stderr', time: '2026-01-01T00:00:02.000000000Z' },
      { log: 'three\n', stream: 'stdout', time: '2026-01-01T00:00:03.000000000Z' },
    ];
    writeFileSync(join(dir, 'l'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\nnot json\n`);
    const read = (o: Parameters<typeof readLog>[1]): Promise<string[]> => all(readLog(join(dir, 'l'), o, async () => false));
    expect(await read({})).toEqual(['one\n', 'two\n', 'three\n']);
    expect(await read({ tail: 2 })).toEqual(['two\n', 'three\n']);
    expect(await read({ tail: 0 })).toEqual([]);
    expect(await read({ stderr: false })).toEqual(['one\n', 'three\n']);
    expect(await read({ since: new Date('2026-01-01T00:00:02Z') })).toEqual(['two\n', 'three\n']);
    expect(await read({ until: Date.parse('2026-01-01T00:00:02Z') / 1000 })).toEqual(['one\n']);
    expect(await read({ timestamps: true, tail: 1 })).toEqual(['2026-01-01T00:00:03.000000000Z three\n']);
    expect(await all(readLog(join(dir, 'missing'), { follow: true }, async () => false))).toEqual([]);
  });

  test('exit codes and signal names as Docker gives them', () => {
    expect(exitCodeOf({ exitCode: 3, signal: null })).toBe(3);
    expect(exitCodeOf({ exitCode: null, signal: 'SIGKILL' })).toBe(137);
    expect(exitCodeOf({ exitCode: null, signal: 'SIGTERM' })).toBe(143);
    expect(signalName('TERM')).toBe('SIGTERM');
    expect(signalName('sigusr1')).toBe('SIGUSR1');
    expect(signalName(9)).toBe('SIGKILL');
    expect(signalName('15')).toBe('SIGTERM');
    expect(() => signalName('NOPE')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SIGNAL' }));
  });
});
