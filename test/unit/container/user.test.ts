import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerError } from '../../../lib/errors.js';
import { parseGroup, parsePasswd, resolveUser } from '../../../lib/container/user.js';

const PASSWD = `# comment
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1::/usr/sbin:/usr/sbin/nologin
broken line without fields
bad:x:notanumber:1::/:/bin/false
app:x:1000:1000:App User:/home/app:/bin/sh
`;
const GROUP = `root:x:0:
wheel:x:10:app,other
staff:x:50:
docker:x:999: app
app:x:1000:
`;

async function makeRoot(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ocikit-user-'));
  await mkdir(join(root, 'etc'));
  for (const [p, content] of Object.entries(files)) await writeFile(join(root, p), content);
  return root;
}

describe('passwd and group parsing', () => {
  it('skips comments and malformed lines', () => {
    expect(parsePasswd(PASSWD).map((p) => p.name)).toEqual(['root', 'daemon', 'app']);
    expect(parseGroup(GROUP).find((g) => g.name === 'docker')?.members).toEqual(['app']);
  });
});

describe('resolveUser against a fixture rootfs', () => {
  let root: string;
  beforeAll(async () => {
    root = await makeRoot({ 'etc/passwd': PASSWD, 'etc/group': GROUP });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const cases: [string, { uid: number; gid: number; additionalGids: number[]; username?: string }][] = [
    ['', { uid: 0, gid: 0, additionalGids: [], username: 'root' }],
    ['root', { uid: 0, gid: 0, additionalGids: [], username: 'root' }],
    ['app', { uid: 1000, gid: 1000, additionalGids: [10, 999], username: 'app' }],
    ['1000', { uid: 1000, gid: 1000, additionalGids: [10, 999], username: 'app' }],
    ['app:staff', { uid: 1000, gid: 50, additionalGids: [], username: 'app' }],
    ['app:50', { uid: 1000, gid: 50, additionalGids: [] }],
    ['app:4242', { uid: 1000, gid: 4242, additionalGids: [] }],
    ['4242', { uid: 4242, gid: 0, additionalGids: [] }],
    ['4242:4343', { uid: 4242, gid: 4343, additionalGids: [] }],
    ['daemon:wheel', { uid: 1, gid: 10, additionalGids: [] }],
  ];
  it.each(cases)('user %j', async (spec, want) => {
    expect(await resolveUser(root, spec)).toMatchObject(want);
  });

  it('gives home from passwd', async () => {
    expect((await resolveUser(root, 'app')).home).toBe('/home/app');
    expect((await resolveUser(root, '4242')).home).toBe('/');
  });

  it("rejects unknown names with Docker's message", async () => {
    const err = await resolveUser(root, 'nobody').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerError);
    expect(err).toMatchObject({ code: 'ERR_USER_UNKNOWN', message: 'unable to find user nobody: no matching entries in passwd file' });
    await expect(resolveUser(root, 'app:nogroup')).rejects.toMatchObject({ code: 'ERR_GROUP_UNKNOWN' });
    await expect(resolveUser(root, '99999999999')).rejects.toMatchObject({ code: 'ERR_USER_INVALID' });
  });

  it('allows numeric ids and root when there is no passwd file at all', async () => {
    const bare = await makeRoot({});
    try {
      expect(await resolveUser(bare, '')).toMatchObject({ uid: 0, gid: 0, additionalGids: [] });
      expect(await resolveUser(bare, '123:456')).toMatchObject({ uid: 123, gid: 456 });
      await expect(resolveUser(bare, 'app')).rejects.toMatchObject({ code: 'ERR_USER_UNKNOWN' });
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });
});

describe('hostile /etc/passwd (SECURITY 9/14)', () => {
  const roots: string[] = [];
  afterAll(async () => {
    for (const r of roots) await rm(r, { recursive: true, force: true });
  });
  async function hostile(): Promise<string> {
    const r = await makeRoot({});
    roots.push(r);
    return r;
  }

  it('a symlink to /etc/shadow reads the rootfs shadow, never the host one', async () => {
    const r = await hostile();
    await symlink('/etc/shadow', join(r, 'etc', 'passwd'));
    // the host's /etc/shadow has a `root:` line whose third field would parse as a uid
    await expect(resolveUser(r, 'root')).rejects.toMatchObject({ code: 'ERR_USER_UNKNOWN' });
    await writeFile(join(r, 'etc', 'shadow'), 'inside:x:4000:4001::/:/bin/sh\n');
    expect(await resolveUser(r, 'inside')).toMatchObject({ uid: 4000, gid: 4001 });
  });

  it('a relative symlink climbing out is clamped to the root', async () => {
    const r = await hostile();
    await mkdir(join(r, 'lib'));
    await writeFile(join(r, 'lib', 'passwd'), 'clamped:x:7:7::/:/bin/sh\n');
    await symlink('../../../../../../../lib/passwd', join(r, 'etc', 'passwd'));
    expect(await resolveUser(r, 'clamped')).toMatchObject({ uid: 7, gid: 7 });
  });

  it('a symlinked /etc pointing at the host /etc loops inside the root', async () => {
    const r = await hostile();
    await rm(join(r, 'etc'), { recursive: true });
    await symlink('/etc', join(r, 'etc'));
    await expect(resolveUser(r, 'root')).rejects.toMatchObject({ code: 'ERR_SYMLINK_LOOP' });
  });

  it('a FIFO or a device link is not read (no hang, no host device)', async () => {
    const r = await hostile();
    execFileSync('mkfifo', [join(r, 'etc', 'passwd')]);
    await symlink('/dev/zero', join(r, 'etc', 'group'));
    expect(await resolveUser(r, '5:6')).toMatchObject({ uid: 5, gid: 6, additionalGids: [] });
    await expect(resolveUser(r, 'root')).rejects.toMatchObject({ code: 'ERR_USER_UNKNOWN' });
  });
});
