import { CliError } from '../../../lib/errors.js';
import { renderInspect, renderTemplate } from '../../../lib/cli/format/template.js';

const value = { Id: 'sha256:abc', Config: { Env: ['A=1'], User: '' }, Size: 42, Labels: null };

describe('renderTemplate', () => {
  it.each([
    ['{{.Id}}', 'sha256:abc'],
    ['{{ .Size }} bytes', '42 bytes'],
    ['id={{.Id}} user={{.Config.User}}', 'id=sha256:abc user='],
    ['{{json .Config.Env}}', '["A=1"]'],
    ['{{.Config.Env}}', '["A=1"]'],
    ['{{json .Labels}}', 'null'],
    ['{{.Labels}}', '<no value>'],
    ['plain text', 'plain text'],
  ])('%s', (template, expected) => {
    expect(renderTemplate(template, value)).toBe(expected);
  });

  it.each(['{{.Nope}}', '{{range .Config.Env}}{{end}}', '{{index .Config 0}}'])('refuses %s', (template) => {
    expect(() => renderTemplate(template, value)).toThrow(CliError);
  });
});

describe('renderInspect', () => {
  it('prints the JSON array without a format, one line per value with one', () => {
    expect(renderInspect([{ a: 1 }], undefined)).toBe('[\n    {\n        "a": 1\n    }\n]\n');
    expect(renderInspect([{ a: 1 }, { a: 2 }], '{{.a}}')).toBe('1\n2\n');
    expect(renderInspect([{ a: 1 }], 'json')).toBe('{"a":1}\n');
  });
});
