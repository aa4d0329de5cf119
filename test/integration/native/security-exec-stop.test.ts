// A container process that SIGSTOPs exec children before they exec must not freeze the caller: the
// clone is a vfork, so the calling (JS) thread waits for the child's exec. A watchdog kills a child
// held longer than the spawn limit, and exec fails with a typed error.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { execInContainer, spawnContainer, type ContainerProcess } from '../../../lib/native/runtime.js';
import { baseSpec, buildStaticFixture, busyboxRootfs, Capture, reap } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

asRoot('exec into a container whose PID 1 stops every newcomer', () => {
  let root: string;
  let init: ContainerProcess | undefined;
  const cap = new Capture();
  beforeAll(() => {
    root = busyboxRootfs();
    buildStaticFixture(root, 'stopper');
  });
  afterAll(async () => {
    await reap(init);
    cap.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('each exec returns within the spawn limit, as a typed error when its child was stopped before its exec', async () => {
    init = spawnContainer(baseSpec(root, ['/stopper']), { stdio: cap.stdio });
    await new Promise((r) => setTimeout(r, 100));
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const t = Date.now();
      try {
        const e = execInContainer(init, baseSpec(root, ['true']), { stdio: cap.stdio });
        outcomes.push('started'); // stopped only after its exec: ours to kill
        e.kill('SIGKILL');
        await e.exited;
      } catch (err) {
        expect(err).toMatchObject({ code: 'ETIMEDOUT' });
        expect(String((err as Error).message)).toContain('stopped before it started');
        outcomes.push('refused');
      }
      expect(Date.now() - t).toBeLessThan(6000);
    }
    expect(outcomes).toContain('refused');
  }, 60_000);
});
