import { createHash } from 'node:crypto';
import { chainIds } from '../../../lib/snapshot/index.js';

const d = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

test('chain IDs follow the OCI definition', () => {
  const [a, b, c] = [d('a'), d('b'), d('c')];
  const ab = d(`${a} ${b}`);
  expect(chainIds([a, b, c])).toEqual([a, ab, d(`${ab} ${c}`)]);
  expect(() => chainIds(['sha256:../x'])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIGEST' }));
});
