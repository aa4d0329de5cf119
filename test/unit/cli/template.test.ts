import { CliError } from '../../../lib/errors.js';
import { renderInspect, renderTemplate } from '../../../lib/cli/format/template.js';

// Shaped like `docker inspect` output; expectations are what Docker's CLI prints for them.
const value = {
  Id: 'sha256:abc',
  Name: '/web',
  Size: 42,
  Labels: null,
  Config: { Env: ['A=1', 'PATH=/bin'], User: '', Cmd: ['sh', '-c', 'x'], Labels: { 'a.b': 'dotted', z: 'last', m: 'mid' }, Tty: false, Entrypoint: null },
  State: { Status: 'running', Running: true, Pid: 4242, ExitCode: 0 },
  Mounts: [
    { Type: 'volume', Source: '/v/data', Destination: '/data' },
    { Type: 'bind', Source: '/etc/x', Destination: '/x' },
  ],
  NetworkSettings: { Ports: {} },
};

describe('renderTemplate', () => {
  it.each([
    // fields and plain text
    ['{{.Id}}', 'sha256:abc'],
    ['{{ .Size }} bytes', '42 bytes'],
    ['id={{.Id}} user={{.Config.User}}', 'id=sha256:abc user='],
    ['plain text', 'plain text'],
    // Go's %v: slices as [a b], maps as map[k:v] with sorted keys, nil as <no value>
    ['{{.Config.Env}}', '[A=1 PATH=/bin]'],
    ['{{.Config.Labels}}', 'map[a.b:dotted m:mid z:last]'],
    ['{{.Mounts}}', '[map[Destination:/data Source:/v/data Type:volume] map[Destination:/x Source:/etc/x Type:bind]]'],
    ['{{.Labels}}', '<no value>'],
    ['{{.Config.Entrypoint}}', '<no value>'],
    ['{{.State.Running}} {{.Config.Tty}}', 'true false'],
    // missing fields, as Docker's raw-JSON fallback prints them
    ['{{.Nope}}', '<no value>'],
    ['{{.Config.Nope}}', '<no value>'],
    ['{{index .Config.Labels "nope"}}', '<no value>'],
    // json
    ['{{json .Config.Env}}', '["A=1","PATH=/bin"]'],
    ['{{json .Labels}}', 'null'],
    ['{{json .Nope}}', 'null'],
    ['{{json .Config}}', JSON.stringify(value.Config)],
    ['{{json .NetworkSettings.Ports}}', '{}'],
    ['{{.Config | json}}', JSON.stringify(value.Config)],
    ['{{json "<&>"}}', '"<&>"'],
    // range
    ['{{range .Config.Env}}{{.}} {{end}}', 'A=1 PATH=/bin '],
    ['{{range $i, $e := .Config.Cmd}}{{$i}}:{{$e}} {{end}}', '0:sh 1:-c 2:x '],
    ['{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}', 'a.b=dotted;m=mid;z=last;'],
    ['{{range .Config.Labels}}{{.}},{{end}}', 'dotted,mid,last,'],
    ['{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}', '/v/data:/data /etc/x:/x '],
    ['{{range .Labels}}x{{else}}none{{end}}', 'none'],
    ['{{range .Nope}}x{{end}}', ''],
    ['{{range $m := .Mounts}}{{if eq $m.Type "bind"}}{{$m.Source}}{{end}}{{end}}', '/etc/x'],
    ['{{$n := .Name}}{{range .Config.Env}}{{$n}}={{.}} {{end}}', '/web=A=1 /web=PATH=/bin '],
    ['{{range .Mounts}}{{$.Name}}{{end}}', '/web/web'],
    // index
    ['{{index .Config.Labels "a.b"}}', 'dotted'],
    ['{{index .Config.Cmd 2}}', 'x'],
    ['{{index .Mounts 1 "Type"}}', 'bind'],
    ['{{(index .Mounts 0).Destination}}', '/data'],
    // if / with / else if
    ['{{if .State.Running}}up{{else}}down{{end}}', 'up'],
    ['{{if .Config.Tty}}tty{{else if .State.Running}}running{{else}}other{{end}}', 'running'],
    ['{{if .Labels}}has{{else}}no labels{{end}}', 'no labels'],
    ['{{if .Config.User}}u{{else}}root{{end}}', 'root'],
    ['{{if not .Config.Tty}}notty{{end}}', 'notty'],
    ['{{if and .State.Running (gt .State.Pid 100)}}big{{end}}', 'big'],
    ['{{if or .Config.Tty .State.ExitCode}}x{{else}}neither{{end}}', 'neither'],
    ['{{if eq .State.Status "exited" "running"}}live{{end}}', 'live'],
    ['{{if ne .Name "/db"}}not db{{end}}', 'not db'],
    ['{{with .State}}{{.Status}}/{{.Pid}}{{end}}', 'running/4242'],
    ['{{with .Labels}}x{{else}}nothing{{end}}', 'nothing'],
    // Go and Docker functions
    ['{{len .Config.Env}} {{len .Config.Labels}} {{len .Name}}', '2 3 4'],
    ['{{join .Config.Cmd " "}}', 'sh -c x'],
    ['{{upper .State.Status}} {{lower "ABC"}} {{title "hello world"}}', 'RUNNING abc Hello World'],
    ['{{.State.Status | upper}}', 'RUNNING'],
    ['{{split "a:b:c" ":"}}', '[a b c]'],
    ['{{index (split "a:b:c" ":") 1}}', 'b'],
    ['[{{pad .Name 2 1}}]', '[  /web ]'],
    ['{{truncate .Id 6}}', 'sha256'],
    ['{{printf "%s has pid %d" .Name .State.Pid}}', '/web has pid 4242'],
    ['{{printf "%-6s|%5d|%q" "ab" 7 "x"}}', 'ab    |    7|"x"'],
    ['{{print "a" 1 2 "b"}}', 'a1 2b'],
    // trim markers and comments
    ['a  {{- .Name -}}  b', 'a/webb'],
    ['{{/* a comment */}}ok', 'ok'],
    ['{{- /* trimmed */ -}}  ok', 'ok'],
    ['{{"}}"}}', '}}'],
    ['{{`raw\\n`}}', 'raw\\n'],
    ['{{$x := "v"}}{{$x = "w"}}{{$x}}', 'w'],
  ])('%s', (template, expected) => {
    expect(renderTemplate(template, value)).toBe(expected);
  });

  it.each([
    ['{{.Nope.Sub}}', 'nil pointer evaluating interface {}.Sub'],
    ['{{.Name.X}}', "can't evaluate field X in type string"],
    ['{{foo .Name}}', 'function "foo" not defined'],
    ['{{if .Name}}x', 'unexpected EOF'],
    ['{{end}}', 'unexpected {{end}}'],
    ['{{else}}', 'unexpected {{else}}'],
    ['{{.Name', 'unclosed action'],
    ['{{index .Config 0}}', 'value has type int; should be string'],
    ['{{index .Config.Env 5}}', 'index out of range: 5'],
    ['{{range .Name}}{{end}}', "range can't iterate over /web"],
    ['{{len .Size}}', 'len of type int'],
    ['{{upper .Size}}', 'expected string'],
    ['{{$nope}}', 'undefined variable: $nope'],
    ['{{.Name .Id}}', "can't give argument to non-function .Name"],
    ['{{template "x"}}', 'not supported'],
    ['{{(.Name}}', 'unclosed left paren'],
  ])('refuses %s', (template, message) => {
    let thrown: unknown;
    try {
      renderTemplate(template, value);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CliError);
    expect((thrown as CliError).code).toBe('ERR_CLI_TEMPLATE');
    expect((thrown as CliError).message).toContain(message);
  });
});

describe('renderInspect', () => {
  it('prints the JSON array without a format, one line per value with one', () => {
    expect(renderInspect([{ a: 1 }], undefined)).toBe('[\n    {\n        "a": 1\n    }\n]\n');
    expect(renderInspect([{ a: 1 }, { a: 2 }], '{{.a}}')).toBe('1\n2\n');
    expect(renderInspect([{ a: 1 }], 'json')).toBe('{"a":1}\n');
  });
});
