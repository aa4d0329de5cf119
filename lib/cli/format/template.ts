/**
 * Go templates for `--format`, as Docker's CLI runs them: text with actions,
 * fields (`{{.Config.Env}}`), pipelines, variables, `if`/`range`/`with` …
 * `else` … `end`, Go's functions (`index`, `len`, `eq`, `printf` …) and
 * Docker's (`json`, `join`, `split`, `upper`, `lower`, `title`, `pad`,
 * `truncate`). A field that is not there prints `<no value>`.
 *
 * @module
 */
import { execute } from './template-exec.js';
import { parseTemplate } from './template-parse.js';

/**
 * Renders `template` against `value`.
 *
 * @throws {@link CliError} `ERR_CLI_TEMPLATE` for a malformed template or one that fails on `value`.
 */
export function renderTemplate(template: string, value: unknown): string {
  const out: string[] = [];
  execute(parseTemplate(template), value, [['$', value]], out);
  return out.join('');
}

/**
 * Prints inspect results: the JSON array, or one rendered template line per
 * value when `format` is given (`json` prints each value as JSON).
 */
export function renderInspect(values: readonly unknown[], format: string | undefined): string {
  if (format === undefined || format === '') return `${JSON.stringify(values, null, 4)}\n`;
  if (format === 'json') return values.map((v) => `${JSON.stringify(v)}\n`).join('');
  return values.map((v) => `${renderTemplate(format, v)}\n`).join('');
}
