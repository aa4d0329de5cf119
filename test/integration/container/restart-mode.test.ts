// A restart keeps a container's detached or attached nature (issue 10, item 5).
import { jest } from '@jest/globals';
import { Container } from '../../../lib/container/index.js';
import { expectGone, loadBusybox, removeMine } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;
jest.setTimeout(30_000);

const IMG = 'ocikit-restart/busybox:latest';

asRoot('Container.restart keeps how the container ran', () => {
  beforeAll(async () => {
    await loadBusybox(IMG);
  });
  afterAll(async () => {
    await removeMine('ocikit-restart/');
  });

  test('created, then started detached: a restart brings it back detached', async () => {
    const c = await Container.create(IMG, { cmd: ['sleep', '60'] });
    try {
      await c.start({ detach: true });
      await c.restart({ timeout: 0 });
      expect((await c.inspect()).State.Running).toBe(true);
      // not attached to this process: it would die with it
      expect(() => c.attach()).toThrow(expect.objectContaining({ code: 'ERR_NOT_ATTACHED' }));
    } finally {
      await c.remove({ force: true });
    }
    expectGone(c.id);
  });

  test('started attached by this process: a restart brings it back attached, also after it exited', async () => {
    const c = await Container.run(IMG, { cmd: ['sleep', '60'] });
    try {
      await c.restart({ timeout: 0 });
      expect(c.attach().stdout).toBeDefined();
      await c.kill();
      await c.wait();
      await c.restart({ timeout: 0 });
      expect(c.attach().stdout).toBeDefined();
    } finally {
      await c.remove({ force: true });
    }
    expectGone(c.id);
  });
});
