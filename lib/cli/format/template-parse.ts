/**
 * Parser for the Go `text/template` subset `--format` takes: text, actions
 * with trim markers (`{{- … -}}`), comments, pipelines (`a | f b`), fields,
 * variables (`$`, `$x := …`), literals, parentheses, and `if`/`else if`/
 * `range`/`with` … `else` … `end`.
 *
 * @module
 */
import { CliError } from '../../errors.js';
import { FUNCTIONS } from './template-funcs.js';

/** An operand of a command. */
export type TemplateArg =
  | { readonly kind: 'field'; readonly base: 'dot' | { readonly variable: string } | { readonly pipe: TemplatePipe }; readonly path: readonly string[] }
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'ident'; readonly name: string };

/** `$a, $b := cmd | cmd …` (`declare` false for `=`). */
export interface TemplatePipe {
  readonly vars: readonly string[];
  readonly declare: boolean;
  readonly cmds: readonly (readonly TemplateArg[])[];
}

/** A parsed template. */
export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pipe: TemplatePipe }
  | { readonly kind: 'if' | 'with' | 'range'; readonly pipe: TemplatePipe; readonly body: TemplateNode[]; readonly otherwise: TemplateNode[] };

type Token = { t: 'str' | 'num' | 'field' | 'var' | 'ident' | 'punct'; v: string; sp?: boolean };

/** The error every parse failure throws, worded like Docker's. */
export function parseError(message: string): CliError {
  return new CliError(`template parsing error: template: :1: ${message}`, { code: 'ERR_CLI_TEMPLATE' });
}

const TOKEN =
  /\s*(?:("(?:[^"\\\n]|\\.)*")|(`[^`]*`)|('(?:[^'\\]|\\.)+')|([-+]?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?))|((?:\.[A-Za-z_][A-Za-z0-9_]*)+|\.)|(\$[A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*)|(:=|[()|=,]))/y;

/** Lexes one action's words up to its closing `}}`; returns them and the index after `}}` (trim marker included). */
function lexAction(src: string, start: number): { tokens: Token[]; end: number; trimAfter: boolean } {
  const tokens: Token[] = [];
  let i = start;
  for (;;) {
    const close = /^(?:\s+-\}\}|\s*\}\})/.exec(src.slice(i));
    if (close !== null) return { tokens, end: i + close[0].length, trimAfter: close[0].endsWith('-}}') };
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(src);
    if (m === null) {
      if (src.slice(i).trim() === '') throw parseError('unclosed action');
      throw parseError(`unexpected ${JSON.stringify(src.slice(i).trim().slice(0, 10))} in command`);
    }
    i = TOKEN.lastIndex;
    if (m[1] !== undefined) tokens.push({ t: 'str', v: JSON.parse(m[1]) as string });
    else if (m[2] !== undefined) tokens.push({ t: 'str', v: m[2].slice(1, -1) });
    else if (m[3] !== undefined) tokens.push({ t: 'num', v: String((JSON.parse(`"${m[3].slice(1, -1)}"`) as string).codePointAt(0)) });
    else if (m[4] !== undefined) tokens.push({ t: 'num', v: m[4] });
    else if (m[5] !== undefined) tokens.push({ t: 'field', v: m[5] });
    else if (m[6] !== undefined) tokens.push({ t: 'var', v: m[6] });
    else if (m[7] !== undefined) tokens.push({ t: 'ident', v: m[7] });
    else tokens.push({ t: 'punct', v: m[8] as string });
    if (/^\s/.test(m[0])) (tokens[tokens.length - 1] as Token).sp = true;
  }
}

class PipeParser {
  #i = 0;
  constructor(readonly tokens: readonly Token[]) {}

  get done(): boolean {
    return this.#i >= this.tokens.length;
  }

  #peek(): Token | undefined {
    return this.tokens[this.#i];
  }

  pipe(allowDecl: boolean): TemplatePipe {
    let vars: string[] = [];
    let declare = true;
    if (allowDecl) {
      const j = this.#i;
      const names: string[] = [];
      while (this.tokens[this.#i]?.t === 'var') {
        names.push((this.tokens[this.#i] as Token).v);
        this.#i += 1;
        if (this.#peek()?.v === ',' && names.length < 2) this.#i += 1;
        else break;
      }
      const op = this.#peek();
      if (names.length > 0 && op?.t === 'punct' && (op.v === ':=' || op.v === '=')) {
        vars = names;
        declare = op.v === ':=';
        this.#i += 1;
      } else this.#i = j;
    }
    const cmds: TemplateArg[][] = [];
    for (;;) {
      const cmd: TemplateArg[] = [];
      while (!this.done && this.#peek()?.v !== '|' && this.#peek()?.v !== ')') cmd.push(this.#operand());
      if (cmd.length === 0) throw parseError(cmds.length === 0 ? 'missing value for command' : 'missing command after |');
      cmds.push(cmd);
      if (this.#peek()?.v !== '|') break;
      this.#i += 1;
    }
    return { vars, declare, cmds };
  }

  #operand(): TemplateArg {
    const tok = this.#peek() as Token;
    this.#i += 1;
    let arg: TemplateArg;
    if (tok.t === 'str') arg = { kind: 'literal', value: tok.v };
    else if (tok.t === 'num') arg = { kind: 'literal', value: Number(tok.v) };
    else if (tok.t === 'field') arg = { kind: 'field', base: 'dot', path: tok.v.split('.').filter(Boolean) };
    else if (tok.t === 'var') arg = { kind: 'field', base: { variable: tok.v }, path: [] };
    else if (tok.t === 'ident') {
      if (tok.v === 'true' || tok.v === 'false') arg = { kind: 'literal', value: tok.v === 'true' };
      else if (tok.v === 'nil') arg = { kind: 'literal', value: null };
      else if (Object.hasOwn(FUNCTIONS, tok.v)) arg = { kind: 'ident', name: tok.v };
      else throw parseError(`function ${JSON.stringify(tok.v)} not defined`);
    } else if (tok.v === '(') {
      const inner = this.pipe(false);
      if (this.#peek()?.v !== ')') throw parseError('unclosed left paren');
      this.#i += 1;
      arg = { kind: 'field', base: { pipe: inner }, path: [] };
    } else throw parseError(`unexpected ${JSON.stringify(tok.v)} in operand`);
    const next = this.#peek();
    if (next?.t === 'field' && next.sp !== true && next.v !== '.' && arg.kind === 'field' && arg.path.length === 0 && arg.base !== 'dot') {
      this.#i += 1;
      return { kind: 'field', base: arg.base, path: next.v.split('.').filter(Boolean) };
    }
    return arg;
  }
}

type Frame = { kind: 'if' | 'with' | 'range' | 'root'; pipe?: TemplatePipe; body: TemplateNode[]; otherwise: TemplateNode[]; inElse: boolean; elseIf: boolean };

/**
 * Parses `src`.
 *
 * @throws {@link CliError} `ERR_CLI_TEMPLATE` for a malformed template or an unsupported action.
 */
export function parseTemplate(src: string): TemplateNode[] {
  const stack: Frame[] = [{ kind: 'root', body: [], otherwise: [], inElse: false, elseIf: false }];
  const top = (): Frame => stack[stack.length - 1] as Frame;
  const emit = (n: TemplateNode): void => void (top().inElse ? top().otherwise : top().body).push(n);
  const closeFrame = (): void => {
    const f = stack.pop() as Frame;
    emit({ kind: f.kind as 'if', pipe: f.pipe as TemplatePipe, body: f.body, otherwise: f.otherwise });
    if (f.elseIf) closeFrame();
  };
  let i = 0;
  let trimNext = false;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = src.slice(i, open < 0 ? src.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    const trimBefore = open >= 0 && /^\{\{-\s/.test(src.slice(open));
    if (trimBefore) text = text.replace(/\s+$/, '');
    if (text !== '') emit({ kind: 'text', text });
    if (open < 0) break;
    const start = open + 2 + (trimBefore ? 1 : 0);
    const comment = /^\s*\/\*[\s\S]*?\*\/(?:(\s+-)\}\}|\s*\}\})/.exec(src.slice(start));
    if (comment !== null) {
      i = start + comment[0].length;
      trimNext = comment[1] !== undefined;
      continue;
    }
    const { tokens, end, trimAfter } = lexAction(src, start);
    i = end;
    trimNext = trimAfter;
    const head = tokens[0];
    const word = head?.t === 'ident' ? head.v : '';
    if (word === 'if' || word === 'with' || word === 'range') {
      stack.push({ kind: word, pipe: actionPipe(tokens.slice(1), true), body: [], otherwise: [], inElse: false, elseIf: false });
    } else if (word === 'else') {
      const f = top();
      if (f.kind === 'root' || f.inElse) throw parseError('unexpected {{else}}');
      f.inElse = true;
      const sub = tokens[1];
      if (sub?.t === 'ident' && (sub.v === 'if' || sub.v === 'with')) {
        stack.push({ kind: sub.v, pipe: actionPipe(tokens.slice(2), true), body: [], otherwise: [], inElse: false, elseIf: true });
      } else if (tokens.length > 1) throw parseError('unexpected words after {{else}}');
    } else if (word === 'end') {
      if (top().kind === 'root') throw parseError('unexpected {{end}}');
      if (tokens.length > 1) throw parseError('unexpected words after {{end}}');
      closeFrame();
    } else if (['define', 'template', 'block', 'break', 'continue'].includes(word)) {
      throw parseError(`{{${word}}} is not supported by ocikit`);
    } else {
      emit({ kind: 'action', pipe: actionPipe(tokens, true) });
    }
  }
  if (stack.length > 1) throw parseError(`unexpected EOF: {{${top().kind}}} without {{end}}`);
  return stack[0]?.body ?? [];
}

function actionPipe(tokens: readonly Token[], allowDecl: boolean): TemplatePipe {
  if (tokens.length === 0) throw parseError('missing value for command');
  const p = new PipeParser(tokens);
  const pipe = p.pipe(allowDecl);
  if (!p.done) throw parseError('unexpected ")" in command');
  return pipe;
}
