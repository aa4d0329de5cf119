import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { ContainerError } from '../../../lib/errors.js';
import { generateId, isFullId, randomName, validateName } from '../../../lib/container/names.js';
import { STATE_VERSION, type ContainerState } from '../../../lib/container/state.js';
import { ContainerStore } from '../../../lib/container/store.js';
import { selfIdentity } from '../../../lib/util/process-identity.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function state(id: string, name: string, created = new Date().toISOString()): ContainerState {
  return {
    version: STATE_VERSION,
    id,
    name,
    created,
    image: { ref: 'docker.io/library/busybox:latest', id: `sha256:${'1'.repeat(64)}` },
    config: {
      options: { cmd: ['true'] },
      merged: {
        args: ['true'], env: [], workdir: '/', user: '', hostname: id.slice(0, 12), labels: {},
        stopSignal: 'SIGTERM', stopTimeout: 10, tty: false, openStdin: false,
      },
    },
    status: 'created',
    oomKilled: false,
    disposable: false,
    ownerPid: process.pid,
    snapshotter: 'overlay',
    rootfs: `/x/${id}/rootfs`,
    mounts: [],
  };
}

describe('ids and names', () => {
  it('generates 64-hex ids whose short form is never all digits', () => {
    const ids = new Set(Array.from({ length: 500 }, generateId));
    expect(ids.size).toBe(500);
    for (const id of ids) {
      expect(isFullId(id)).toBe(true);
      expect(id.slice(0, 12)).not.toMatch(/^[0-9]+$/);
    }
  });

  it("makes Docker-style names and checks Docker's name rule", () => {
    expect(randomName()).toMatch(/^[a-z]+_[a-z]+$/);
    expect(randomName(3)).toMatch(/^[a-z]+_[a-z]+[0-9]$/);
    expect(validateName('/web.1_a-b')).toBe('web.1_a-b');
    for (const bad of ['a', '-x', 'a/b', 'sp ace', '', '/']) {
      expect(() => validateName(bad)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_NAME' }));
    }
  });
});

describe('ContainerStore', () => {
  let root: string;
  let store: ContainerStore;
  /** A record created and finished, as createOnDisk does. */
  let create: (s: ContainerState) => Promise<ContainerState>;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ocikit-cstore-'));
    store = new ContainerStore(root);
    create = async (s: ContainerState) => store.finishCreate(await store.create(s));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates, finds by id, name and prefix, lists, updates and removes', async () => {
    const id = generateId();
    const saved = await create(state(id, 'web'));
    expect(saved.name).toBe('web');
    expect(JSON.parse(await readFile(join(root, 'containers', id, 'state.json'), 'utf8'))).toEqual(saved);
    expect((await store.get(id)).name).toBe('web');
    expect((await store.find(id)).id).toBe(id);
    expect((await store.find('web')).id).toBe(id);
    expect((await store.find('/web')).id).toBe(id);
    expect((await store.find(id.slice(0, 5))).id).toBe(id);
    const updated = await store.update(id, (s) => ({ ...s, status: 'running', pid: 42 }));
    expect((await store.get(id))).toEqual(updated);
    expect((await store.list()).map((s) => s.id)).toEqual([id]);
    // no temporary files or locks left behind
    expect((await readdir(join(root, 'containers', id))).sort()).toEqual(['state.json']);
    await store.removeState(id);
    await expect(store.find('web')).rejects.toMatchObject({ code: 'ERR_CONTAINER_NOT_FOUND' });
    expect(await store.list()).toEqual([]);
    expect(JSON.parse(await readFile(join(root, 'containers', 'names.json'), 'utf8'))).toEqual({});
  });

  it('gives a random name when none is asked for', async () => {
    const s = await create(state(generateId(), ''));
    expect(s.name).toMatch(/^[a-z]+_[a-z]+[0-9]?$/);
    expect((await store.find(s.name)).id).toBe(s.id);
  });

  it('refuses a taken name, an invalid name and a reused id, leaving nothing behind', async () => {
    const a = generateId();
    await create(state(a, 'db'));
    const b = generateId();
    const err = await store.create(state(b, 'db')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerError);
    expect(err).toMatchObject({ code: 'ERR_NAME_IN_USE' });
    await expect(store.create(state(b, 'in valid'))).rejects.toMatchObject({ code: 'ERR_INVALID_NAME' });
    await expect(store.create(state(a, 'other'))).rejects.toMatchObject({ code: 'ERR_ID_IN_USE' });
    expect((await readdir(join(root, 'containers'))).filter(isFullId)).toEqual([a]);
    await store.removeState(a);
    expect((await create(state(b, 'db'))).name).toBe('db');
  });

  it('takes a name back from a container whose directory is gone', async () => {
    const a = generateId();
    await create(state(a, 'ghost'));
    await rm(join(root, 'containers', a), { recursive: true });
    const b = generateId();
    expect((await store.create(state(b, 'ghost'))).id).toBe(b);
  });

  it('reports an ambiguous prefix, and unknown refs', async () => {
    const a = `abc0${generateId().slice(4)}`;
    const b = `abc1${generateId().slice(4)}`;
    await create(state(a, 'one', '2020-01-01T00:00:00Z'));
    await create(state(b, 'two', '2019-01-01T00:00:00Z'));
    await expect(store.find('abc')).rejects.toMatchObject({ code: 'ERR_AMBIGUOUS_ID' });
    expect((await store.find('abc1')).id).toBe(b);
    for (const ref of ['abd', 'nope', '', 'ABC0']) await expect(store.find(ref)).rejects.toMatchObject({ code: 'ERR_CONTAINER_NOT_FOUND' });
    await expect(store.get('abc0')).rejects.toMatchObject({ code: 'ERR_CONTAINER_NOT_FOUND' });
    expect(() => store.containerDir('../x')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ID' }));
    // oldest first; a directory without state.json is skipped
    await mkdir(join(root, 'containers', generateId()));
    expect((await store.list()).map((s) => s.name)).toEqual(['two', 'one']);
  });

  it('names win over id prefixes, as in Docker', async () => {
    const a = generateId();
    const b = `cafe${generateId().slice(4)}`;
    await create(state(a, 'cafe'));
    await create(state(b, 'other'));
    expect((await store.find('cafe')).id).toBe(a);
  });

  it('hides a creation in progress, which holds its name while its creator lives', async () => {
    const a = generateId();
    await store.create(state(a, 'busy'));
    await expect(store.find('busy')).rejects.toMatchObject({ code: 'ERR_CONTAINER_NOT_FOUND' });
    await expect(store.get(a)).rejects.toMatchObject({ code: 'ERR_CONTAINER_NOT_FOUND' });
    expect(await store.list()).toEqual([]);
    await expect(store.create(state(generateId(), 'busy'))).rejects.toMatchObject({ code: 'ERR_NAME_IN_USE' });
    expect(await store.abandoned()).toEqual([]); // its creator (this process) lives
  });

  it('heals what a killed creator left: its temp dir, a stateless dir, a creation it never finished', async () => {
    const dir = join(root, 'containers');
    const dead = { pid: process.pid, startTime: 1 }; // this pid with another start time: a process that is gone
    // the leftover of the old create: a directory without state.json whose name stays in names.json
    const ghost = generateId();
    await create(state(generateId(), 'keep'));
    await mkdir(join(dir, ghost));
    const names = JSON.parse(await readFile(join(dir, 'names.json'), 'utf8')) as Record<string, string>;
    await writeFile(join(dir, 'names.json'), JSON.stringify({ ...names, ghost }));
    // a creation never finished, and temp dirs of a dead and of a live creator
    const unfinished = generateId();
    await mkdir(join(dir, unfinished));
    await writeFile(join(dir, unfinished, 'state.json'), JSON.stringify({ ...state(unfinished, 'half'), creating: dead }));
    await writeFile(join(dir, 'names.json'), JSON.stringify({ ...names, ghost, half: unfinished }));
    const deadTmp = `.creating-${generateId()}-${process.pid}-1`;
    const liveTmp = `.creating-${generateId()}-${process.pid}-${String(selfIdentity().startTime)}`;
    await mkdir(join(dir, deadTmp));
    await mkdir(join(dir, liveTmp));
    // both names can be taken at once
    expect((await create(state(generateId(), 'ghost'))).name).toBe('ghost');
    const abandoned = await store.abandoned();
    expect(abandoned.map((s) => s.id)).toEqual([unfinished]);
    const left = await readdir(dir);
    expect(left).not.toContain(ghost);
    expect(left).not.toContain(deadTmp);
    expect(left).toContain(liveTmp);
    expect(left).toContain(unfinished); // the caller rolls it back (container destroy)
    await store.removeState(unfinished);
    expect(Object.keys(JSON.parse(await readFile(join(dir, 'names.json'), 'utf8')) as object).sort()).toEqual(['ghost', 'keep']);
    expect((await create(state(generateId(), 'half'))).name).toBe('half');
  });

  it('reports a corrupt state file', async () => {
    const a = generateId();
    await create(state(a, 'x1'));
    await writeFile(join(root, 'containers', a, 'state.json'), '{"version":1,"id":3}');
    await expect(store.get(a)).rejects.toMatchObject({ code: 'ERR_STATE_CORRUPT' });
    await writeFile(join(root, 'containers', a, 'state.json'), 'not json');
    await expect(store.find('x1')).rejects.toMatchObject({ code: 'ERR_STATE_CORRUPT' });
  });
});

describe('two processes claiming the same names', () => {
  let build: string;
  let root: string;
  const FILES = ['container/store.ts', 'container/names.ts', 'container/names-index.ts', 'container/state.ts', 'container/mountinfo.ts', 'util/crash-point.ts', 'util/process-identity.ts', 'errors.ts', 'error-base.ts', 'error-codes.ts', 'log.ts', 'paths.ts', 'util/atomic-write.ts', 'util/lock.ts'];

  beforeAll(async () => {
    // transpile the real store and what it imports next to node_modules, so `debug` resolves
    build = await mkdtemp(join(repo, 'node_modules', '.ocikit-container-test-'));
    root = await mkdtemp(join(tmpdir(), 'ocikit-cstore-race-'));
    for (const file of FILES) {
      const source = await readFile(join(repo, 'lib', file), 'utf8');
      const out = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
      await mkdir(dirname(join(build, file)), { recursive: true });
      await writeFile(join(build, file.replace(/\.ts$/, '.js')), out);
    }
    await writeFile(join(build, 'package.json'), '{"type":"module"}');
    await writeFile(
      join(build, 'worker.js'),
      `import { existsSync } from 'node:fs';
import { ContainerStore } from './container/store.js';
import { generateId } from './container/names.js';
const [root, go, n, template] = process.argv.slice(2);
while (!existsSync(go)) await new Promise((r) => setTimeout(r, 2));
const store = new ContainerStore(root);
const won = [];
for (let i = 0; i < Number(n); i++) {
  const id = generateId();
  try {
    await store.finishCreate(await store.create({ ...JSON.parse(template), id, name: 'race-' + i }));
    won.push(i);
  } catch (e) {
    if (e.code !== 'ERR_NAME_IN_USE') { console.error(e); process.exit(2); }
  }
}
process.stdout.write(JSON.stringify(won));
`,
    );
  });

  afterAll(async () => {
    await rm(build, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
  });

  it('gives each name to exactly one of them', async () => {
    const N = 15;
    const go = join(root, 'go');
    const template = JSON.stringify(state(generateId(), 'x'));
    const run = () =>
      new Promise<number[]>((resolve, reject) => {
        const child = spawn(process.execPath, [join(build, 'worker.js'), root, go, String(N), template], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`worker exited ${code}`))));
      });
    const both = Promise.all([run(), run()]);
    await new Promise((r) => setTimeout(r, 200));
    await writeFile(go, '');
    const [a, b] = await both;
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(Array.from({ length: N }, (_, i) => i));
    const store = new ContainerStore(root);
    const all = await store.list();
    expect(all).toHaveLength(N);
    expect(new Set(all.map((s) => s.name)).size).toBe(N);
    for (const s of all) expect((await store.find(s.name)).id).toBe(s.id);
  });
});
