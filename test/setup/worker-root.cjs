// Runs in every test worker before its suites: a storage root of the worker's own under the run's
// root, so that suites in parallel workers never see each other's images and containers (a gc, an
// rmi by id or a clean-up sweep in one suite must not take what another one is using).
const { join } = require('node:path');

const base = process.env.OCIKIT_TEST_ROOT_BASE ?? process.env.OCIKIT_ROOT;
if (base) {
  process.env.OCIKIT_TEST_ROOT_BASE = base;
  process.env.OCIKIT_ROOT = join(base, `worker-${process.env.JEST_WORKER_ID ?? '1'}`);
}
