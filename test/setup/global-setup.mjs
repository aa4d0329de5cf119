// Runs once before all suites: one private storage root for the whole run, so no
// test touches the machine's /var/lib/ocikit, and a baseline for the leak check.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotLeaks } from './leaks.mjs';

export default async function globalSetup() {
  if (!process.env.OCIKIT_ROOT) {
    process.env.OCIKIT_ROOT = mkdtempSync(join(tmpdir(), 'ocikit-test-root-'));
    process.env.OCIKIT_TEST_ROOT_OWNED = '1';
  }
  globalThis.__ocikitLeakBaseline = snapshotLeaks();
}
