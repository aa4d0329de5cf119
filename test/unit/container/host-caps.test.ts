import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_CAPABILITIES } from '../../../lib/container/capabilities.js';
import { capabilitiesOfMask, hostBoundingSet } from '../../../lib/container/host-caps.js';

describe('host bounding set', () => {
  it('decodes a CapBnd mask (bit n = capability n)', () => {
    // This machine's mask: every capability up to CAP_CHECKPOINT_RESTORE (40) but CAP_SYS_RESOURCE (24).
    const caps = capabilitiesOfMask('000001fffeffffff');
    expect(caps).toEqual(ALL_CAPABILITIES.filter((c) => c !== 'CAP_SYS_RESOURCE'));
    expect(capabilitiesOfMask('0000000000000000')).toEqual([]);
    expect(capabilitiesOfMask('a80425fb')).toEqual([ // Docker's default set
      'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP',
      'CAP_NET_BIND_SERVICE', 'CAP_NET_RAW', 'CAP_SYS_CHROOT', 'CAP_MKNOD', 'CAP_AUDIT_WRITE', 'CAP_SETFCAP',
    ]);
  });

  it('reads CapBnd from a status file; undefined when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocikit-capbnd-'));
    try {
      writeFileSync(join(dir, 'status'), 'Name:\tx\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000003\nCapAmb:\t0\n');
      expect(hostBoundingSet(join(dir, 'status'))).toEqual(['CAP_CHOWN', 'CAP_DAC_OVERRIDE']);
      expect(hostBoundingSet(join(dir, 'missing'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads this process', () => {
    expect(hostBoundingSet()?.length).toBeGreaterThan(0);
  });
});
