import { homedir } from 'node:os';
import { join } from 'node:path';
import { storageRoot } from '../../../lib/paths.js';

const saved = { root: process.env['OCIKIT_ROOT'], xdg: process.env['XDG_DATA_HOME'] };
const realGetuid = process.getuid;

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

afterEach(() => {
  restore('OCIKIT_ROOT', saved.root);
  restore('XDG_DATA_HOME', saved.xdg);
  process.getuid = realGetuid;
});

describe('storageRoot', () => {
  it('prefers $OCIKIT_ROOT, made absolute', () => {
    process.env['OCIKIT_ROOT'] = '/srv/ocikit';
    expect(storageRoot()).toBe('/srv/ocikit');
    process.env['OCIKIT_ROOT'] = 'rel/dir';
    expect(storageRoot()).toBe(join(process.cwd(), 'rel/dir'));
  });

  it('uses /var/lib/ocikit for root', () => {
    delete process.env['OCIKIT_ROOT'];
    process.getuid = () => 0;
    expect(storageRoot()).toBe('/var/lib/ocikit');
  });

  it('uses $XDG_DATA_HOME/ocikit for other users, ~/.local/share/ocikit without it', () => {
    delete process.env['OCIKIT_ROOT'];
    process.getuid = () => 1000;
    process.env['XDG_DATA_HOME'] = '/home/u/data';
    expect(storageRoot()).toBe('/home/u/data/ocikit');
    process.env['XDG_DATA_HOME'] = 'not/absolute';
    expect(storageRoot()).toBe(join(homedir(), '.local', 'share', 'ocikit'));
    delete process.env['XDG_DATA_HOME'];
    expect(storageRoot()).toBe(join(homedir(), '.local', 'share', 'ocikit'));
  });

  it('ignores an empty $OCIKIT_ROOT', () => {
    process.env['OCIKIT_ROOT'] = '';
    process.getuid = () => 0;
    expect(storageRoot()).toBe('/var/lib/ocikit');
  });
});
