import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../../lib/util/atomic-write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocikit-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates and replaces a file, leaving no temp file', async () => {
    const p = join(dir, 'f.json');
    await writeJsonAtomic(p, { a: 1 });
    expect(JSON.parse(await readFile(p, 'utf8'))).toEqual({ a: 1 });
    await writeFileAtomic(p, 'second', 0o600);
    expect(await readFile(p, 'utf8')).toBe('second');
    expect((await stat(p)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['f.json']);
  });

  it('fails without leaving a temp file when the rename cannot happen', async () => {
    await expect(writeFileAtomic(join(dir, 'missing-dir', 'x'), 'new')).rejects.toMatchObject({ code: 'ENOENT' });
    // a directory in the target's place cannot be replaced by a file
    const p = join(dir, 'd');
    await mkdir(p);
    await writeFile(join(p, 'inside'), 'old');
    await expect(writeFileAtomic(p, 'new')).rejects.toMatchObject({ code: 'EISDIR' });
    expect(await readdir(dir)).toEqual(['d']);
    expect(await readFile(join(p, 'inside'), 'utf8')).toBe('old');
  });
});
