/**
 * On a host whose bounding set lacks a capability (here CAP_SYS_RESOURCE):
 * --privileged and --cap-add ALL get what the host has, as with runc, and a
 * --cap-add naming the missing one is refused by name, not with capset EPERM.
 */
import { readFileSync } from 'node:fs';
import { BUSYBOX, cliSandbox, type CliSandbox } from '../../helpers/cli-child.js';
import { ALL_CAPABILITIES } from '../../../lib/container/capabilities.js';

const hostMask = /^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0';
const lastCap = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8'));
const lacking = ALL_CAPABILITIES.slice(0, lastCap + 1).filter((_c, i) => ((BigInt(`0x${hostMask}`) >> BigInt(i)) & 1n) === 0n);
const onSuchHost = process.geteuid?.() === 0 && lacking.length > 0 ? describe : describe.skip;

onSuchHost(`capabilities outside the host bounding set (${lacking.join(', ')})`, () => {
  let box: CliSandbox;
  beforeAll(() => {
    box = cliSandbox('capbnd');
  }, 120_000);
  afterAll(() => box.cleanup());

  const bounding = (out: string): string => /^CapBnd:\s*([0-9a-f]+)$/m.exec(out)?.[1] ?? '';

  test('--privileged and --cap-add ALL run with the host set', () => {
    for (const flags of [['--privileged'], ['--cap-add', 'ALL']]) {
      const r = box.run(['run', '--rm', ...flags, BUSYBOX, 'cat', '/proc/self/status']);
      expect([flags, r.code, r.stderr]).toEqual([flags, 0, '']);
      expect(bounding(r.stdout)).toBe(hostMask);
    }
  });

  test('--cap-add of a missing one: exit 125 naming it, no container left', () => {
    const name = (lacking[0] as string).replace(/^CAP_/, '').toLowerCase();
    for (const verb of ['run', 'create']) {
      const r = box.run([verb, '--cap-add', name, '--cap-add', 'SYS_ADMIN', BUSYBOX, 'true']);
      expect(r.code).toBe(125);
      expect(r.stderr).toBe(`Error: cannot add capability ${lacking[0]}: not in the host's capability bounding set (CapBnd), so no process here can hold it\n`);
    }
    expect(box.ok(['ps', '-a', '-q'])).toBe('');
  });
});
