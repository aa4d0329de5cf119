#!/usr/bin/env node
// The `ocikit` command: a thin launcher for the compiled command line in dist/.
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
