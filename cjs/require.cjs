// `require('ocikit')` lands here (the "require" condition of package.json "exports"): ocikit is
// ESM only, so say so and show the import instead of Node's ERR_PACKAGE_PATH_NOT_EXPORTED.
'use strict';

const err = new Error(
  "ocikit is an ES module only package and cannot be loaded with require(): use `import { Image, Container } from 'ocikit'` " +
    "in an ES module (a .mjs file, or \"type\": \"module\" in package.json), or `const { Image } = await import('ocikit')` from CommonJS",
);
err.code = 'ERR_REQUIRE_ESM';
throw err;
