// commit stores the image's env and the user's, not what ocikit injects at run (issue 10, item 7).
import { jest } from '@jest/globals';
import { Container } from '../../../lib/container/index.js';
import { Image } from '../../../lib/image/image.js';
import { loadBusybox, removeMine } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;
jest.setTimeout(30_000);

async function output(c: Container): Promise<string> {
  let text = '';
  for await (const l of c.logs()) text += l;
  return text;
}

asRoot('commit and the environment', () => {
  beforeAll(async () => {
    await loadBusybox('ocikit-commitenv/env-base:latest', { Env: ['PATH=/bin', 'A=image'] });
  });
  afterAll(async () => {
    await removeMine('ocikit-commitenv/');
    for (const r of ['ocikit-commitenv/env-committed:1', 'ocikit-commitenv/env-committed:2', 'ocikit-commitenv/env-base:latest']) await Image.remove(r, { force: true }).catch(() => undefined);
  });

  test('no HOSTNAME (nor TERM of a terminal) in the committed Env; a container of the new image has its own hostname', async () => {
    const src = await Container.run('ocikit-commitenv/env-base', { cmd: ['true'], env: { B: 'opt', A: 'mine' }, hostname: 'source-host', tty: true });
    let committed: Image;
    try {
      await src.wait();
      committed = await src.commit({ ref: 'ocikit-commitenv/env-committed:1' });
    } finally {
      await src.remove();
    }
    expect(committed.config.config?.Env).toEqual(['PATH=/bin', 'A=mine', 'B=opt']);

    const next = await Container.run('ocikit-commitenv/env-committed:1', { cmd: ['sh', '-c', 'echo "$HOSTNAME $(hostname) $TERM."'] });
    try {
      await next.wait();
      const hostname = (await next.inspect()).Config.Hostname;
      expect(hostname).toBe(next.id.slice(0, 12));
      expect(await output(next)).toBe(`${hostname} ${hostname} .\n`);
    } finally {
      await next.remove();
    }
  });

  test('a HOSTNAME the user set is theirs, and is kept', async () => {
    const src = await Container.run('ocikit-commitenv/env-base', { cmd: ['true'], env: ['HOSTNAME=chosen'] });
    try {
      await src.wait();
      const img = await src.commit({ ref: 'ocikit-commitenv/env-committed:2' });
      expect(img.config.config?.Env).toEqual(['PATH=/bin', 'A=image', 'HOSTNAME=chosen']);
    } finally {
      await src.remove();
    }
  });
});
