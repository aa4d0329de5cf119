/**
 * Runs a parsed `--format` template against one JSON-shaped value, the way
 * Docker's `inspect` does once it falls back to the raw JSON: fields of maps,
 * `<no value>` for what is missing, Go's `%v` for everything printed.
 *
 * @module
 */
import { FUNCTIONS } from './template-funcs.js';
import type { TemplateArg, TemplateNode, TemplatePipe } from './template-parse.js';
import { execError, field, formatValue, rangeEntries, truthy } from './template-value.js';

type Vars = Array<[string, unknown]>;

function describe(arg: TemplateArg): string {
  if (arg.kind === 'ident') return arg.name;
  if (arg.kind === 'literal') return JSON.stringify(arg.value);
  const base = arg.base === 'dot' ? '' : 'variable' in arg.base ? arg.base.variable : '(…)';
  return arg.path.length === 0 && base === '' ? '.' : `${base}${arg.path.map((p) => `.${p}`).join('')}`;
}

function variable(vars: Vars, name: string, at: string): unknown {
  for (let i = vars.length - 1; i >= 0; i -= 1) if ((vars[i] as [string, unknown])[0] === name) return (vars[i] as [string, unknown])[1];
  throw execError(at, `undefined variable: ${name}`);
}

function operand(arg: TemplateArg, dot: unknown, vars: Vars): unknown {
  const at = describe(arg);
  if (arg.kind === 'literal') return arg.value;
  if (arg.kind === 'ident') {
    const fn = FUNCTIONS[arg.name];
    if (fn === undefined) throw execError(at, `function "${arg.name}" not defined`);
    return fn([], at);
  }
  let v = arg.base === 'dot' ? dot : 'variable' in arg.base ? variable(vars, arg.base.variable, at) : pipeline(arg.base.pipe, dot, vars);
  for (const key of arg.path) v = field(v, key, at);
  return v;
}

function command(cmd: readonly TemplateArg[], dot: unknown, vars: Vars, piped: { value: unknown } | undefined): unknown {
  const [head, ...rest] = cmd as [TemplateArg, ...TemplateArg[]];
  const at = describe(head);
  if (head.kind === 'ident') {
    const fn = FUNCTIONS[head.name];
    if (fn === undefined) throw execError(at, `function "${head.name}" not defined`);
    const args = rest.map((a) => operand(a, dot, vars));
    return fn(piped === undefined ? args : [...args, piped.value], at);
  }
  if (rest.length > 0 || piped !== undefined) throw execError(at, `can't give argument to non-function ${at}`);
  return operand(head, dot, vars);
}

function pipeline(pipe: TemplatePipe, dot: unknown, vars: Vars): unknown {
  let piped: { value: unknown } | undefined;
  for (const cmd of pipe.cmds) piped = { value: command(cmd, dot, vars, piped) };
  const value = piped?.value;
  if (pipe.vars.length > 0 && !pipe.declare) {
    const name = pipe.vars[0] as string;
    const i = vars.map((v) => v[0]).lastIndexOf(name);
    if (i < 0) throw execError(name, `undefined variable: ${name}`);
    vars[i] = [name, value];
  } else if (pipe.vars.length > 0) vars.push([pipe.vars[pipe.vars.length - 1] as string, value]);
  return value;
}

/** Renders `nodes` with `dot` as `.`; `vars` holds `$` and the variables in scope. */
export function execute(nodes: readonly TemplateNode[], dot: unknown, vars: Vars, out: string[]): void {
  for (const node of nodes) {
    if (node.kind === 'text') {
      out.push(node.text);
      continue;
    }
    const mark = vars.length;
    if (node.kind === 'action') {
      const value = pipeline(node.pipe, dot, vars);
      if (node.pipe.vars.length === 0) out.push(formatValue(value));
      continue;
    }
    if (node.kind === 'range') {
      const entries = rangeEntries(pipeline({ ...node.pipe, vars: [] }, dot, vars), 'range');
      for (const [key, elem] of entries) {
        const inner = vars.length;
        if (node.pipe.vars.length === 2) vars.push([node.pipe.vars[0] as string, key], [node.pipe.vars[1] as string, elem]);
        else if (node.pipe.vars.length === 1) vars.push([node.pipe.vars[0] as string, elem]);
        execute(node.body, elem, vars, out);
        vars.length = inner;
      }
      if (entries.length === 0) execute(node.otherwise, dot, vars, out);
    } else {
      const value = pipeline(node.pipe, dot, vars);
      if (truthy(value)) execute(node.body, node.kind === 'with' ? value : dot, vars, out);
      else execute(node.otherwise, dot, vars, out);
    }
    vars.length = mark;
  }
}
