/**
 * Docker's wording for a command that cannot be executed: `exec: "x":
 * executable file not found in $PATH` rather than the bare errno text.
 *
 * @module
 */

/**
 * The message of a failed system call: for `execve` failing with `ENOENT`
 * on `path`, Docker's "executable file not found" text (the errno is in
 * the error's `code`); any other failure keeps `message`.
 */
export function syscallMessage(message: string, syscall: string, errnoName: string | undefined, path: string | undefined): string {
  if (!/exec/.test(syscall) || errnoName !== 'ENOENT' || path === undefined || path === '') return message;
  const why = path.includes('/') ? `stat ${path}: no such file or directory` : 'executable file not found in $PATH';
  return `exec: ${JSON.stringify(path)}: ${why}`;
}
