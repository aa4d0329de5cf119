import { isLoopback } from '../../../lib/reference/index.js';

describe('isLoopback', () => {
  it.each([
    'localhost', 'LOCALHOST', 'localhost:5000', '127.0.0.1', '127.0.0.1:5000', '127.1.2.3', '::1', '[::1]',
    '[::1]:5000', '0:0:0:0:0:0:0:1', '[0:0:0::1]:443', '::ffff:127.0.0.1', '[::ffff:127.9.9.9]:80',
  ])('%s is loopback', (host) => {
    expect(isLoopback(host)).toBe(true);
  });

  it.each([
    'example.com', 'localhost.example.com', 'mylocalhost', '128.0.0.1', '10.0.0.1', '127.0.0.256', '::2',
    '[::2]:5000', '::ffff:10.0.0.1', '[::1', '[::1]x', 'localhost:abc', '127.0.0.1:', '', 'docker.io',
  ])('%s is not loopback', (host) => {
    expect(isLoopback(host)).toBe(false);
  });
});
