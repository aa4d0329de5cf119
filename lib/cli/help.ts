/**
 * `--help` text generated from verb specs, laid out like Docker's.
 *
 * @module
 */
import type { FlagSpec, VerbSpec } from './spec.js';

const PLACEHOLDER: Readonly<Record<FlagSpec['type'], string>> = {
  bool: '',
  string: 'string',
  list: 'list',
  number: 'int',
  bytes: 'bytes',
};

/** Renders the help of one verb: usage line, description, aliases and options table. */
export function renderVerbHelp(spec: VerbSpec): string {
  const lines = [`Usage:  ocikit ${spec.name} ${spec.usage}`.trimEnd(), '', spec.description, ''];
  if (spec.aliases !== undefined && spec.aliases.length > 0) {
    const parent = spec.name.includes(' ') ? `${spec.name.slice(0, spec.name.lastIndexOf(' '))} ` : '';
    lines.push('Aliases:', `  ${[spec.name, ...spec.aliases.map((a) => parent + a)].map((n) => `ocikit ${n}`).join(', ')}`, '');
  }
  const rows = [...spec.flags].sort((a, b) => a.name.localeCompare(b.name)).map(flagRow);
  // `-h` is `--help` unless a flag has it (`run -h` is `--hostname`, as in Docker).
  rows.push([spec.flags.some((f) => f.short === 'h') ? '      --help' : '  -h, --help', 'Print usage']);
  const width = Math.max(...rows.map(([left]) => left.length)) + 3;
  lines.push('Options:');
  for (const [left, right] of rows) lines.push(`${left.padEnd(width)}${right}`.trimEnd());
  return `${lines.join('\n')}\n`;
}

function flagRow(f: FlagSpec): [string, string] {
  const short = f.short === undefined ? '    ' : `-${f.short}, `;
  const placeholder = f.placeholder ?? PLACEHOLDER[f.type];
  const left = `  ${short}--${f.name}${placeholder === '' ? '' : ` ${placeholder}`}`;
  const right = f.defaultText === undefined ? f.description : `${f.description} (default ${f.defaultText})`;
  return [left, right];
}

/** A group of verbs in the top-level help, such as "Commands" or "Management Commands". */
export interface VerbGroup {
  /** Heading, such as `Commands`. */
  readonly title: string;
  /** Name and one-line description of each verb. */
  readonly verbs: readonly { readonly name: string; readonly description: string }[];
}

/** Renders `ocikit --help`: usage, description and every verb by group. */
export function renderRootHelp(groups: readonly VerbGroup[]): string {
  const lines = [
    'Usage:  ocikit [OPTIONS] COMMAND',
    '',
    "Docker's job without a daemon: pull, push, run, exec and commit OCI containers",
    '',
    'Options:',
    '  -h, --help      Print usage',
    '  -v, --version   Print version information and quit',
  ];
  const width = Math.max(...groups.flatMap((g) => g.verbs.map((v) => v.name.length))) + 3;
  for (const g of groups) {
    lines.push('', `${g.title}:`);
    for (const v of [...g.verbs].sort((a, b) => a.name.localeCompare(b.name))) {
      lines.push(`  ${v.name.padEnd(width)}${v.description}`);
    }
  }
  lines.push('', "Run 'ocikit COMMAND --help' for more information on a command.");
  return `${lines.join('\n')}\n`;
}
