import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeTree, removeTreeAsync } from '../../../lib/layer/remove-tree.js';

describe('removeTreeAsync', () => {
  test('removes a deep tree without following symlinks; a missing path is fine', async () => {
    const base = mkdtempSync(join(tmpdir(), 'ocikit-rmtree-'));
    try {
      const keep = join(base, 'keep');
      mkdirSync(keep);
      writeFileSync(join(keep, 'f'), 'x');
      let d = join(base, 'tree');
      for (let i = 0; i < 300; i++) {
        d = join(d, 'd');
        mkdirSync(d, { recursive: true });
        writeFileSync(join(d, 'f'), String(i));
      }
      symlinkSync(keep, join(base, 'tree', 'link'));
      await removeTreeAsync(join(base, 'tree'));
      expect(existsSync(join(base, 'tree'))).toBe(false);
      expect(existsSync(join(keep, 'f'))).toBe(true);
      await removeTreeAsync(join(base, 'tree'));
      writeFileSync(join(base, 'file'), 'x');
      await removeTreeAsync(join(base, 'file'));
      expect(existsSync(join(base, 'file'))).toBe(false);
    } finally {
      removeTree(base);
    }
  });
});
