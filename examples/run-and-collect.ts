/**
 * Example: run a command in a container and collect what it printed.
 *
 *   npm run examples -- run-and-collect
 */
import { Container, Image } from 'ocikit';
import { busyboxImage } from './busybox-image.js';

const image = await busyboxImage('examples/busybox:latest');
const c = await Container.run(image, { cmd: ['sh', '-c', 'echo "hello from $(uname -s)"; echo "to stderr" >&2; exit 7'] });
const { exitCode } = await c.wait();
let output = '';
for await (const line of c.logs()) output += line;
await c.remove();
await Image.remove('examples/busybox:latest');

console.log(`exit code: ${exitCode}`);
console.log(`output:\n${output.trimEnd()}`);
if (exitCode !== 7 || !output.includes('hello from Linux') || !output.includes('to stderr')) {
  throw new Error('unexpected result');
}
