import { humanSize, binarySize } from '../../../lib/cli/format/size.js';
import { ellipsis, renderJson, renderTable, shortId } from '../../../lib/cli/format/table.js';
import { humanDuration, timeAgo } from '../../../lib/cli/format/time.js';

describe('humanSize', () => {
  it.each([
    [0, '0B'],
    [999, '999B'],
    [1000, '1kB'],
    [5_242_880, '5.24MB'],
    [5_200_000, '5.2MB'],
    [77_812_345, '77.8MB'],
    [128_000_000, '128MB'],
    [999_999, '1MB'],
    [1_500_000_000, '1.5GB'],
  ])('%d → %s', (bytes, text) => {
    expect(humanSize(bytes)).toBe(text);
  });

  it('uses 4 digits when asked, as progress bars do', () => {
    expect(humanSize(1_234_567, 4)).toBe('1.235MB');
  });

  it('prints memory in binary units', () => {
    expect(binarySize(2 ** 30 * 1.944)).toBe('1.944GiB');
    expect(binarySize(512)).toBe('512B');
  });
});

describe('relative times', () => {
  const now = Date.parse('2026-01-10T12:00:00Z');
  it.each([
    [500, 'Less than a second'],
    [1000, '1 second'],
    [42_000, '42 seconds'],
    [90_000, 'About a minute'],
    [120_000, '2 minutes'],
    [59 * 60_000, '59 minutes'],
    [3_600_000, 'About an hour'],
    [5 * 3_600_000, '5 hours'],
    [47 * 3_600_000, '47 hours'],
    [3 * 86_400_000, '3 days'],
    [20 * 86_400_000, '2 weeks'],
    [90 * 86_400_000, '3 months'],
    [800 * 86_400_000, '2 years'],
  ])('%d ms is "%s"', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('says "ago" and N/A for unknown times', () => {
    expect(timeAgo('2026-01-10T11:58:00Z', now)).toBe('2 minutes ago');
    expect(timeAgo(new Date(now - 3 * 86_400_000), now)).toBe('3 days ago');
    expect(timeAgo(undefined, now)).toBe('N/A');
    expect(timeAgo('0001-01-01T00:00:00Z', now)).toBe('N/A');
  });
});

describe('tables', () => {
  it('pads columns like docker images', () => {
    const out = renderTable(
      ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'],
      [
        ['busybox', 'latest', 'a416a98b71e2', '2 weeks ago', '4.26MB'],
        ['localhost:5000/team/app', '1.0', '0123456789ab', '3 minutes ago', '77.8MB'],
      ],
    );
    expect(out).toBe(
      [
        'REPOSITORY                TAG       IMAGE ID       CREATED         SIZE',
        'busybox                   latest    a416a98b71e2   2 weeks ago     4.26MB',
        'localhost:5000/team/app   1.0       0123456789ab   3 minutes ago   77.8MB',
        '',
      ].join('\n'),
    );
  });

  it('prints the header alone when there are no rows', () => {
    expect(renderTable(['DRIVER', 'VOLUME NAME'], [])).toBe('DRIVER    VOLUME NAME\n');
  });

  it('shortens ids and text', () => {
    expect(shortId(`sha256:${'ab'.repeat(32)}`)).toBe('abababababab');
    expect(shortId('0123456789abcdef')).toBe('0123456789ab');
    expect(ellipsis('/bin/sh -c echo hello world', 10)).toBe('/bin/sh -…');
    expect(ellipsis('/bin/sh -c echo hello world', 10, true)).toBe('/bin/sh -c echo hello world');
  });

  it('prints inspect JSON as an array indented by four', () => {
    expect(renderJson([{ Id: 'x', Tags: ['a'] }])).toBe('[\n    {\n        "Id": "x",\n        "Tags": [\n            "a"\n        ]\n    }\n]\n');
    expect(renderJson([])).toBe('[]\n');
  });
});
