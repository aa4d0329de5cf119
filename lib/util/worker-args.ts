/**
 * Node flags for the library's eval'd worker threads: the caller's, less `--input-type`. A
 * worker inherits the parent's flags, and a parent run as `node --input-type=module -e …`
 * would make the worker's CommonJS source an ES module (where `require` does not exist).
 *
 * @module
 */
export function workerExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--input-type') {
      i++; // its value is the next argument
      continue;
    }
    if (a.startsWith('--input-type=')) continue;
    out.push(a);
  }
  return out;
}
