import { InvalidDigestError, InvalidReferenceError } from '../../../lib/errors.js';
import { Reference, parseReference } from '../../../lib/reference/index.js';

const H64 = 'a'.repeat(64);
const D256 = `sha256:${H64}`;
const D512 = `sha512:${'b'.repeat(128)}`;

interface Ok {
  input: string;
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
  full: string;
  familiar: string;
}

const valid: Ok[] = [
  { input: 'ubuntu', domain: 'docker.io', path: 'library/ubuntu', tag: 'latest', full: 'docker.io/library/ubuntu:latest', familiar: 'ubuntu:latest' },
  { input: 'ubuntu:16.04', domain: 'docker.io', path: 'library/ubuntu', tag: '16.04', full: 'docker.io/library/ubuntu:16.04', familiar: 'ubuntu:16.04' },
  { input: 'repo:tag', domain: 'docker.io', path: 'library/repo', tag: 'tag', full: 'docker.io/library/repo:tag', familiar: 'repo:tag' },
  { input: 'user/app:1', domain: 'docker.io', path: 'user/app', tag: '1', full: 'docker.io/user/app:1', familiar: 'user/app:1' },
  { input: 'docker.io/ubuntu', domain: 'docker.io', path: 'library/ubuntu', tag: 'latest', full: 'docker.io/library/ubuntu:latest', familiar: 'ubuntu:latest' },
  { input: 'docker.io/library/ubuntu:16.04', domain: 'docker.io', path: 'library/ubuntu', tag: '16.04', full: 'docker.io/library/ubuntu:16.04', familiar: 'ubuntu:16.04' },
  { input: 'index.docker.io/x', domain: 'docker.io', path: 'library/x', tag: 'latest', full: 'docker.io/library/x:latest', familiar: 'x:latest' },
  { input: 'index.docker.io/team/x:2', domain: 'docker.io', path: 'team/x', tag: '2', full: 'docker.io/team/x:2', familiar: 'team/x:2' },
  { input: 'library/a/b', domain: 'docker.io', path: 'library/a/b', tag: 'latest', full: 'docker.io/library/a/b:latest', familiar: 'library/a/b:latest' },
  { input: 'localhost:5000/repo:tag', domain: 'localhost:5000', path: 'repo', tag: 'tag', full: 'localhost:5000/repo:tag', familiar: 'localhost:5000/repo:tag' },
  { input: 'localhost:5000/x:y', domain: 'localhost:5000', path: 'x', tag: 'y', full: 'localhost:5000/x:y', familiar: 'localhost:5000/x:y' },
  { input: 'localhost/repo', domain: 'localhost', path: 'repo', tag: 'latest', full: 'localhost/repo:latest', familiar: 'localhost/repo:latest' },
  { input: 'registry.example.com:443/team/repo', domain: 'registry.example.com:443', path: 'team/repo', tag: 'latest', full: 'registry.example.com:443/team/repo:latest', familiar: 'registry.example.com:443/team/repo:latest' },
  { input: 'Registry.Example.com/a', domain: 'Registry.Example.com', path: 'a', tag: 'latest', full: 'Registry.Example.com/a:latest', familiar: 'Registry.Example.com/a:latest' },
  { input: 'example.com/a/b/c:v1.2-rc_3', domain: 'example.com', path: 'a/b/c', tag: 'v1.2-rc_3', full: 'example.com/a/b/c:v1.2-rc_3', familiar: 'example.com/a/b/c:v1.2-rc_3' },
  { input: '127.0.0.1:5000/busybox', domain: '127.0.0.1:5000', path: 'busybox', tag: 'latest', full: '127.0.0.1:5000/busybox:latest', familiar: '127.0.0.1:5000/busybox:latest' },
  { input: '[::1]:5000/repo:tag', domain: '[::1]:5000', path: 'repo', tag: 'tag', full: '[::1]:5000/repo:tag', familiar: '[::1]:5000/repo:tag' },
  { input: '[fe80::1]/repo', domain: '[fe80::1]', path: 'repo', tag: 'latest', full: '[fe80::1]/repo:latest', familiar: '[fe80::1]/repo:latest' },
  { input: `ubuntu@${D256}`, domain: 'docker.io', path: 'library/ubuntu', digest: D256, full: `docker.io/library/ubuntu@${D256}`, familiar: `ubuntu@${D256}` },
  { input: `ubuntu:16.04@${D256}`, domain: 'docker.io', path: 'library/ubuntu', tag: '16.04', digest: D256, full: `docker.io/library/ubuntu:16.04@${D256}`, familiar: `ubuntu:16.04@${D256}` },
  { input: `localhost:5000/x@${D512}`, domain: 'localhost:5000', path: 'x', digest: D512, full: `localhost:5000/x@${D512}`, familiar: `localhost:5000/x@${D512}` },
  { input: 'a.b-c--d.e9/x', domain: 'a.b-c--d.e9', path: 'x', tag: 'latest', full: 'a.b-c--d.e9/x:latest', familiar: 'a.b-c--d.e9/x:latest' },
  { input: 'a/b.c_d__e-f---g', domain: 'docker.io', path: 'a/b.c_d__e-f---g', tag: 'latest', full: 'docker.io/a/b.c_d__e-f---g:latest', familiar: 'a/b.c_d__e-f---g:latest' },
  { input: `x:_${'a'.repeat(127)}`, domain: 'docker.io', path: 'library/x', tag: `_${'a'.repeat(127)}`, full: `docker.io/library/x:_${'a'.repeat(127)}`, familiar: `x:_${'a'.repeat(127)}` },
  { input: 'localhost:5000', domain: 'docker.io', path: 'library/localhost', tag: '5000', full: 'docker.io/library/localhost:5000', familiar: 'localhost:5000' },
  { input: 'foo_bar/baz', domain: 'docker.io', path: 'foo_bar/baz', tag: 'latest', full: 'docker.io/foo_bar/baz:latest', familiar: 'foo_bar/baz:latest' },
];

describe('parseReference: valid references', () => {
  it.each(valid)('$input', (c) => {
    const ref = parseReference(c.input);
    expect(ref.domain).toBe(c.domain);
    expect(ref.path).toBe(c.path);
    expect(ref.tag).toBe(c.tag);
    expect(ref.digest).toBe(c.digest);
    expect(ref.toString()).toBe(c.full);
    expect(ref.familiar()).toBe(c.familiar);
    expect(ref.name).toBe(`${c.domain}/${c.path}`);
    // normalising is idempotent
    expect(parseReference(ref.toString()).toString()).toBe(c.full);
    expect(parseReference(ref.familiar()).toString()).toBe(c.full);
  });
});

interface Bad {
  input: string;
  part: InvalidReferenceError['part'];
  message: RegExp;
}

const invalid: Bad[] = [
  { input: '', part: 'reference', message: /reference is empty/ },
  { input: ':tag', part: 'name', message: /name is empty/ },
  { input: `@${D256}`, part: 'name', message: /name is empty/ },
  { input: H64, part: 'name', message: /image ID/ },
  { input: 'Ubuntu', part: 'path', message: /path component "Ubuntu" must be lowercase/ },
  { input: 'docker.io/Library/ubuntu', part: 'path', message: /component "Library" must be lowercase/ },
  { input: 'localhost:5000/Repo', part: 'path', message: /component "Repo" must be lowercase/ },
  { input: 'a//b', part: 'path', message: /component 2 of "a\/\/b" is empty/ },
  { input: '/a', part: 'path', message: /component 1 of "\/a" is empty/ },
  { input: 'a/', part: 'path', message: /component 2 of "a\/" is empty/ },
  { input: 'example.com/', part: 'path', message: /path is empty/ },
  { input: 'a..b', part: 'path', message: /component "a..b" must be letters and digits joined by/ },
  { input: 'a___b', part: 'path', message: /component "a___b"/ },
  { input: '-a', part: 'path', message: /component "-a"/ },
  { input: 'a-', part: 'path', message: /component "a-"/ },
  { input: '_a/b', part: 'path', message: /component "_a"/ },
  { input: 'a b', part: 'path', message: /component "a b"/ },
  { input: 'ubuntu\n', part: 'path', message: /component "ubuntu\\n"/ },
  { input: 'ubuntu:1\n', part: 'tag', message: /tag "1\\n"/ },
  { input: 'example.com\n/x', part: 'domain', message: /label "com\\n"/ },
  { input: 'ubuntu:1 ', part: 'tag', message: /tag "1 "/ },
  { input: 'ubuntu:', part: 'tag', message: /tag is empty/ },
  { input: `ubuntu:${'a'.repeat(129)}`, part: 'tag', message: /tag exceeds 128 characters/ },
  { input: 'ubuntu:-x', part: 'tag', message: /tag "-x" must start with/ },
  { input: 'ubuntu:.x', part: 'tag', message: /tag ".x"/ },
  { input: 'ubuntu:a:b', part: 'tag', message: /tag "a:b"/ },
  { input: 'ubuntu:a+b', part: 'tag', message: /tag "a\+b"/ },
  { input: 'ubuntu@', part: 'digest', message: /digest is empty/ },
  { input: 'ubuntu@sha256:abc', part: 'digest', message: /digest "sha256:abc" is not valid: sha256 needs 64 lowercase hex/ },
  { input: `ubuntu@sha256:${'a'.repeat(65)}`, part: 'digest', message: /sha256 needs 64/ },
  { input: `ubuntu@sha512:${H64}`, part: 'digest', message: /sha512 needs 128/ },
  { input: `ubuntu@md5:${'a'.repeat(32)}`, part: 'digest', message: /unsupported algorithm "md5"/ },
  { input: `ubuntu@sha256:${'A'.repeat(64)}`, part: 'digest', message: /lowercase hex/ },
  { input: `ubuntu@${H64}`, part: 'digest', message: /expected "algorithm:hex"/ },
  { input: `ubuntu@sha256:../../${'a'.repeat(58)}`, part: 'digest', message: /digest/ },
  { input: `ubuntu@${D256}@${D256}`, part: 'digest', message: /digest/ },
  { input: 'localhost:abc/x', part: 'domain', message: /port "abc" must be digits/ },
  { input: 'localhost:/x', part: 'domain', message: /port "" must be digits/ },
  { input: 'localhost:70000/x', part: 'domain', message: /port 70000 is out of range/ },
  { input: 'localhost:0/x', part: 'domain', message: /port 0 is out of range/ },
  { input: 'exa_mple.com/x', part: 'domain', message: /label "exa_mple"/ },
  { input: '-bad.com/x', part: 'domain', message: /label "-bad"/ },
  { input: 'bad-.com/x', part: 'domain', message: /label "bad-"/ },
  { input: 'a..com/x', part: 'domain', message: /label ""/ },
  { input: ':5000/x', part: 'domain', message: /empty host/ },
  { input: '[::1/x', part: 'domain', message: /unclosed/ },
  { input: '[::1]x:5000/x', part: 'domain', message: /text after "]"/ },
  { input: '[zz::1]:5000/x', part: 'domain', message: /not a bracketed IPv6/ },
  { input: '[]:5000/x', part: 'domain', message: /not a bracketed IPv6/ },
  { input: `example.com/${'a'.repeat(244)}`, part: 'name', message: /name exceeds 255 characters \(256\)/ },
  { input: 'a'.repeat(246), part: 'name', message: /exceeds 255 characters \(264\)/ },
];

describe('parseReference: invalid references', () => {
  it.each(invalid)('$input', (c) => {
    let caught: unknown;
    try {
      parseReference(c.input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidReferenceError);
    const err = caught as InvalidReferenceError;
    expect(err.code).toBe('ERR_INVALID_REFERENCE');
    expect(err.part).toBe(c.part);
    expect(err.reference).toBe(c.input);
    expect(err.message).toMatch(c.message);
  });

  it('keeps the digest error as the cause', () => {
    expect(() => parseReference('x@sha256:1')).toThrow(
      expect.objectContaining({ part: 'digest', cause: expect.any(InvalidDigestError) }) as Error,
    );
  });

  it('accepts a name of exactly 255 characters after normalisation', () => {
    const path = 'a'.repeat(255 - 'example.com/'.length);
    expect(parseReference(`example.com/${path}`).name).toHaveLength(255);
    // docker.io/library/ adds 18 characters to a short Docker Hub name
    expect(parseReference('a'.repeat(255 - 18)).name).toHaveLength(255);
    expect(() => parseReference('a'.repeat(256 - 18))).toThrow(InvalidReferenceError);
  });
});

describe('Reference', () => {
  it('sends Docker Hub requests to registry-1.docker.io and others to their domain', () => {
    expect(parseReference('ubuntu').registryHost).toBe('registry-1.docker.io');
    expect(parseReference('index.docker.io/x').registryHost).toBe('registry-1.docker.io');
    expect(parseReference('localhost:5000/x').registryHost).toBe('localhost:5000');
    expect(parseReference('[::1]:5000/x').registryHost).toBe('[::1]:5000');
  });

  it('identifies the manifest by digest when pinned, else by tag', () => {
    expect(parseReference('ubuntu').identifier).toBe('latest');
    expect(parseReference('ubuntu:16.04').identifier).toBe('16.04');
    expect(parseReference(`ubuntu:16.04@${D256}`).identifier).toBe(D256);
  });

  it('withTag and withDigest return new references and validate', () => {
    const base = Reference.parse('localhost:5000/team/app:1');
    const tagged = base.withTag('2');
    expect(tagged.toString()).toBe('localhost:5000/team/app:2');
    expect(base.toString()).toBe('localhost:5000/team/app:1');
    const pinned = base.withDigest(D256);
    expect(pinned.toString()).toBe(`localhost:5000/team/app:1@${D256}`);
    expect(pinned.withTag('3').toString()).toBe(`localhost:5000/team/app:3@${D256}`);
    expect(() => base.withTag('-bad')).toThrow(expect.objectContaining({ part: 'tag' }) as Error);
    expect(() => base.withTag('a'.repeat(129))).toThrow(/tag exceeds 128 characters/);
    expect(() => base.withDigest('sha1:abc')).toThrow(expect.objectContaining({ part: 'digest' }) as Error);
  });

  it('compares and serialises by its full form', () => {
    expect(parseReference('ubuntu').equals(parseReference('docker.io/library/ubuntu:latest'))).toBe(true);
    expect(parseReference('ubuntu').equals(parseReference('ubuntu:16.04'))).toBe(false);
    expect(JSON.stringify({ r: parseReference('busybox:1') })).toBe('{"r":"docker.io/library/busybox:1"}');
    expect(`${parseReference('user/app')}`).toBe('docker.io/user/app:latest');
  });
});
