import { ProgressRenderer, renderBar, type LayerProgress } from '../../../lib/cli/format/progress.js';

function capture(): { out: { write(t: string): boolean }; text: () => string } {
  let buf = '';
  return { out: { write: (t: string) => ((buf += t), true) }, text: () => buf };
}

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const events: LayerProgress[] = [
  { id: A, state: 'waiting', current: 0, total: 5_000_000 },
  { id: B, state: 'exists', current: 0, total: 100 },
  { id: A, state: 'downloading', current: 1_200_000, total: 5_000_000 },
  { id: A, state: 'downloading', current: 2_500_000, total: 5_000_000 },
  { id: A, state: 'verifying', current: 5_000_000, total: 5_000_000 },
  { id: A, state: 'complete', current: 5_000_000, total: 5_000_000 },
];

describe('renderBar', () => {
  it('draws fifty cells and the byte counts', () => {
    expect(renderBar(1_200_000, 5_000_000)).toBe(`[${'='.repeat(12)}>${' '.repeat(38)}]    1.2MB/5MB`);
    expect(renderBar(5_000_000, 5_000_000)).toBe(`[${'='.repeat(50)}>]      5MB/5MB`);
  });

  it('prints only bytes without a total, nothing without either', () => {
    expect(renderBar(1500, undefined)).toBe('   1.5kB');
    expect(renderBar(0, 0)).toBe('');
  });
});

describe('ProgressRenderer', () => {
  it('writes one plain line per state change when not a terminal', () => {
    const c = capture();
    const r = new ProgressRenderer(c.out, { tty: false });
    r.message('latest: Pulling from library/busybox');
    for (const e of events) r.update(e);
    expect(c.text()).toBe(
      [
        'latest: Pulling from library/busybox',
        'aaaaaaaaaaaa: Waiting',
        'bbbbbbbbbbbb: Already exists',
        'aaaaaaaaaaaa: Downloading',
        'aaaaaaaaaaaa: Verifying Checksum',
        'aaaaaaaaaaaa: Pull complete',
        '',
      ].join('\n'),
    );
  });

  it('redraws a layer line in place on a terminal', () => {
    const c = capture();
    const r = new ProgressRenderer(c.out, { tty: true });
    for (const e of events.slice(0, 3)) r.update(e);
    expect(c.text()).toBe(
      'aaaaaaaaaaaa: Waiting\n' +
        'bbbbbbbbbbbb: Already exists\n' +
        `\x1b[2A\r\x1b[2Kaaaaaaaaaaaa: Downloading ${renderBar(1_200_000, 5_000_000)}\r\x1b[2B`,
    );
  });

  it('uses push words in push mode', () => {
    const c = capture();
    const r = new ProgressRenderer(c.out, { tty: false, mode: 'push' });
    r.update({ id: A, state: 'waiting', current: 0, total: 1 });
    r.update({ id: A, state: 'uploading', current: 0, total: 1 });
    r.update({ id: A, state: 'complete', current: 1, total: 1 });
    r.update({ id: B, state: 'exists', current: 0, total: 1 });
    r.update({ id: B, state: 'mounted', current: 0, total: 1, from: 'library/busybox' });
    expect(c.text().split('\n')).toEqual([
      'aaaaaaaaaaaa: Waiting',
      'aaaaaaaaaaaa: Pushing',
      'aaaaaaaaaaaa: Pushed',
      'bbbbbbbbbbbb: Layer already exists',
      'bbbbbbbbbbbb: Mounted from library/busybox',
      '',
    ]);
  });

  it('names unknown states readably', () => {
    const c = capture();
    new ProgressRenderer(c.out, { tty: false }).update({ id: 'abcdef0123456789', state: 'unpacking_layer' });
    expect(c.text()).toBe('abcdef012345: Unpacking layer\n');
  });
});
