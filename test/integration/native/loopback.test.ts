import { rmSync } from 'node:fs';
import { baseSpec, busyboxRootfs, run } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

asRoot('a network namespace of its own (network none)', () => {
  let root: string;
  beforeAll(() => {
    root = busyboxRootfs();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('has lo up: a server on 127.0.0.1 inside is reachable from inside, nothing else is there', async () => {
    const script = [
      'mkdir -p /tmp/www && echo hello-from-lo > /tmp/www/x',
      'httpd -p 127.0.0.1:8080 -h /tmp/www',
      // (not wget: the static busybox's resolver crashes without NSS files)
      "printf 'GET /x HTTP/1.0\\r\\n\\r\\n' | nc 127.0.0.1 8080 | tail -n 1",
      'ls /sys/class/net',
    ].join(' && ');
    const r = await run(baseSpec(root, ['sh', '-c', script]));
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ exitCode: 0 });
    expect(r.stdout.split('\n')).toEqual(['hello-from-lo', 'lo', '']);
  });
});
