/**
 * Example: a disposable environment in a jest test. `await using` removes the
 * container (and its anonymous volumes) when the block ends, pass or fail.
 * `stopTimeout: 0`: `sleep` as PID 1 ignores SIGTERM, so stop kills at once.
 *
 *   npm run examples -- disposable-environment
 */
import { Container, Image } from 'ocikit';
import { busyboxImage } from './busybox-image.js';

describe('a throw-away container per test', () => {
  let image: Image;
  beforeAll(async () => {
    image = await busyboxImage('examples/test-env:latest');
  });
  afterAll(async () => {
    await Image.remove('examples/test-env:latest');
  });

  test('exec runs a command in it and returns its output', async () => {
    await using env = await Container.run(image, { cmd: ['sleep', '60'], stopTimeout: 0 });
    const r = await env.exec(['sh', '-c', 'echo 42 > /tmp/answer && cat /tmp/answer']);
    expect(r).toEqual({ exitCode: 0, stdout: '42\n', stderr: '' });
    expect(await env.diff()).toContainEqual({ kind: 'A', path: '/tmp/answer' });
  }, 30_000);

  test('each test gets a fresh file system', async () => {
    await using env = await Container.run(image, { cmd: ['sleep', '60'], stopTimeout: 0 });
    const r = await env.exec(['cat', '/tmp/answer']);
    expect(r.exitCode).not.toBe(0);
  }, 30_000);
});
