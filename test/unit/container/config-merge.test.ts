import { ContainerError } from '../../../lib/errors.js';
import type { ContainerConfig } from '../../../lib/oci/image-types.js';
import {
  DEFAULT_PATH,
  mergeEntrypointCmd,
  mergeEnv,
  mergeLabels,
  optionEnv,
  processArgs,
  replaceOrAppendEnv,
  stopSignal,
  userSpec,
  workingDir,
} from '../../../lib/container/config-merge.js';
import type { ContainerOptions } from '../../../lib/container/options.js';

const EP_CMD: ContainerConfig = { Entrypoint: ['/ep', '--flag'], Cmd: ['default-arg'] };
const CMD_ONLY: ContainerConfig = { Cmd: ['/bin/sh'] };
const EP_ONLY: ContainerConfig = { Entrypoint: ['/ep'] };
const NOTHING: ContainerConfig = { Entrypoint: null, Cmd: null };

describe('entrypoint and cmd, as docker run merges them', () => {
  const cases: [string, ContainerConfig, ContainerOptions, string[] | 'ERR_NO_COMMAND'][] = [
    ['image entrypoint + cmd, no options', EP_CMD, {}, ['/ep', '--flag', 'default-arg']],
    ['options cmd replaces image cmd, keeps entrypoint', EP_CMD, { cmd: ['mine'] }, ['/ep', '--flag', 'mine']],
    ['empty options cmd keeps image cmd', EP_CMD, { cmd: [] }, ['/ep', '--flag', 'default-arg']],
    ['options entrypoint replaces entrypoint and drops image cmd', EP_CMD, { entrypoint: ['/x'] }, ['/x']],
    ['options entrypoint + cmd', EP_CMD, { entrypoint: ['/x'], cmd: ['y', 'z'] }, ['/x', 'y', 'z']],
    ['string entrypoint is one program, not split', EP_CMD, { entrypoint: '/bin/sh -c' }, ['/bin/sh -c']],
    ['entrypoint "" clears both: nothing left', EP_CMD, { entrypoint: '' }, 'ERR_NO_COMMAND'],
    ['entrypoint null + cmd', EP_CMD, { entrypoint: null, cmd: ['sh'] }, ['sh']],
    ['entrypoint [] drops image cmd', EP_CMD, { entrypoint: [] }, 'ERR_NO_COMMAND'],
    ['entrypoint [""] is a clear', EP_CMD, { entrypoint: [''], cmd: ['ls'] }, ['ls']],
    ['image cmd only', CMD_ONLY, {}, ['/bin/sh']],
    ['image cmd only, options cmd', CMD_ONLY, { cmd: ['echo', 'hi'] }, ['echo', 'hi']],
    ['image cmd only, options entrypoint', CMD_ONLY, { entrypoint: '/bin/echo' }, ['/bin/echo']],
    ['image entrypoint only', EP_ONLY, {}, ['/ep']],
    ['image entrypoint only, options cmd', EP_ONLY, { cmd: ['a'] }, ['/ep', 'a']],
    ['nothing anywhere', NOTHING, {}, 'ERR_NO_COMMAND'],
    ['nothing in image, options cmd', NOTHING, { cmd: ['true'] }, ['true']],
    ['empty image config', {}, { cmd: [] }, 'ERR_NO_COMMAND'],
  ];
  it.each(cases)('%s', (_name, image, options, want) => {
    if (want === 'ERR_NO_COMMAND') {
      expect(() => processArgs(image, options)).toThrow(ContainerError);
      expect(() => processArgs(image, options)).toThrow(expect.objectContaining({ code: 'ERR_NO_COMMAND', message: 'no command specified' }));
    } else {
      expect(processArgs(image, options)).toEqual(want);
    }
  });

  it('never changes its inputs', () => {
    const image = structuredClone(EP_CMD);
    const opts: ContainerOptions = { cmd: ['a'] };
    const { entrypoint, cmd } = mergeEntrypointCmd(image, opts);
    entrypoint.push('x');
    cmd.push('y');
    expect(image).toEqual(EP_CMD);
    expect(opts.cmd).toEqual(['a']);
  });
});

describe('environment', () => {
  it('replaces by key in place, appends new keys, removes bare keys', () => {
    expect(replaceOrAppendEnv(['A=1', 'B=2', 'C=3'], ['B=x', 'D=4', 'C'])).toEqual(['A=1', 'B=x', 'D=4']);
    expect(replaceOrAppendEnv(['A=1'], ['A='])).toEqual(['A=']);
  });

  it('merges with duplicate keys as before: the first live entry is replaced or removed', () => {
    expect(replaceOrAppendEnv(['A=1', 'B=2', 'A=3'], ['A=x', 'A', 'A=y', 'A', 'A', 'A=z', 'A=w'])).toEqual(['B=2', 'A=w']);
    expect(replaceOrAppendEnv([], ['N=1', 'N=2', 'N'])).toEqual([]);
  });

  it('merges 100k image entries with 100k overrides in linear time, in order', () => {
    const n = 100_000;
    const image = Array.from({ length: n }, (_, i) => `K${i}=image`);
    const overrides = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? `K${i}=opt` : `N${i}=new`));
    overrides.push('K1'); // a removal
    const started = performance.now();
    const out = replaceOrAppendEnv(image, overrides);
    const merged = mergeEnv({ Env: image }, { env: overrides }, 'h', {});
    const elapsed = performance.now() - started;
    // quadratic (findIndex per entry) took minutes here; linear takes tens of milliseconds
    expect(elapsed).toBeLessThan(2000);
    expect(out).toHaveLength(n + n / 2 - 1);
    expect(out.slice(0, 4)).toEqual(['K0=opt', 'K2=opt', 'K3=image', 'K4=opt']);
    expect(out[n - 2]).toBe('K99999=image');
    expect(out[n - 1]).toBe('N1=new');
    expect(out.at(-1)).toBe('N99999=new');
    expect(merged.slice(0, 3)).toEqual([`PATH=${DEFAULT_PATH}`, 'HOSTNAME=h', 'K0=opt']);
    expect(merged).toHaveLength(out.length + 2);
  });

  it('takes a bare key from the caller when set (docker run -e K)', () => {
    expect(optionEnv(['K', 'L', 'M=v=w'], { K: 'from-host' })).toEqual(['K=from-host', 'L', 'M=v=w']);
    expect(optionEnv({ A: '1', B: 'x=y' })).toEqual(['A=1', 'B=x=y']);
    expect(() => optionEnv(['=v'])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ENV' }));
  });

  it('puts PATH, HOSTNAME and the image env under the options env', () => {
    const env = mergeEnv({ Env: ['A=image', 'B=image'] }, { env: { B: 'opt', C: 'opt' } }, 'abc', {});
    expect(env).toEqual([`PATH=${DEFAULT_PATH}`, 'HOSTNAME=abc', 'A=image', 'B=opt', 'C=opt']);
  });

  it("keeps the image's PATH and lets the options change it", () => {
    expect(mergeEnv({ Env: ['PATH=/img'] }, {}, 'h', {})).toEqual(['HOSTNAME=h', 'PATH=/img']);
    expect(mergeEnv({ Env: ['PATH=/img'] }, { env: ['PATH=/mine'] }, 'h', {})).toEqual(['HOSTNAME=h', 'PATH=/mine']);
    expect(mergeEnv({}, { env: { PATH: '/only' } }, 'h', {})).toEqual(['HOSTNAME=h', 'PATH=/only']);
  });

  it('sets TERM=xterm with a tty unless the image or options set TERM', () => {
    expect(mergeEnv({}, { tty: true }, 'h', {})).toContain('TERM=xterm');
    expect(mergeEnv({}, {}, 'h', {}).some((e) => e.startsWith('TERM='))).toBe(false);
    const env = mergeEnv({ Env: ['TERM=dumb'] }, { tty: true }, 'h', {});
    expect(env.filter((e) => e.startsWith('TERM='))).toEqual(['TERM=dumb']);
  });

  it('drops an image variable the options unset, and lets the options override HOSTNAME', () => {
    const env = mergeEnv({ Env: ['SECRET=1', 'X=2'] }, { env: ['SECRET', 'HOSTNAME=custom'] }, 'h', {});
    expect(env).toEqual([`PATH=${DEFAULT_PATH}`, 'HOSTNAME=custom', 'X=2']);
  });
});

describe('working dir, labels, stop signal, user', () => {
  it('uses options, then image, then /', () => {
    expect(workingDir({ WorkingDir: '/img' }, { workdir: '/opt/../srv/' })).toBe('/srv');
    expect(workingDir({ WorkingDir: '/img' }, {})).toBe('/img');
    expect(workingDir({ WorkingDir: 'rel' }, {})).toBe('/rel');
    expect(workingDir({}, {})).toBe('/');
    expect(() => workingDir({}, { workdir: 'relative' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_WORKDIR' }));
  });

  it('merges labels with options on top', () => {
    expect(mergeLabels({ Labels: { a: '1', b: '2' } }, { labels: { b: 'x', c: '3' } })).toEqual({ a: '1', b: 'x', c: '3' });
  });

  it('picks the stop signal and user spec', () => {
    expect(stopSignal({}, {})).toBe('SIGTERM');
    expect(stopSignal({ StopSignal: 'SIGQUIT' }, {})).toBe('SIGQUIT');
    expect(stopSignal({ StopSignal: 'SIGQUIT' }, { stopSignal: 'SIGINT' })).toBe('SIGINT');
    expect(userSpec({ User: 'nobody' }, {})).toBe('nobody');
    expect(userSpec({ User: 'nobody' }, { user: '0:0' })).toBe('0:0');
    expect(userSpec({}, {})).toBe('');
  });
});
