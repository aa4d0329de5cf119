/**
 * Resolving the user a container runs as (`--user`, the image's `User`)
 * against the container's own `/etc/passwd` and `/etc/group`, the way Docker
 * does.
 *
 * @module
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { ContainerError } from '../errors.js';
import { resolveInRoot } from './rootfs-path.js';

/** The ids a container process runs with. */
export interface ResolvedUser {
  uid: number;
  gid: number;
  /** Supplementary groups. */
  additionalGids: number[];
  /** Login name, when the passwd file has one for the uid. */
  username?: string;
  /** Home directory from the passwd file; `/` when unknown. */
  home: string;
}

/** One line of a passwd file. */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** One line of a group file. */
export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** Largest passwd or group file read; a larger one is refused. */
const MAX_FILE_BYTES = 16 * 2 ** 20;
/** Largest id a user or group may have (Docker's limit). */
const MAX_ID = 2 ** 31 - 1;

function parseId(text: string): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

function lines(text: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

/** Parses a passwd file; malformed lines are skipped. */
export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const f of lines(text)) {
    const uid = parseId(f[2] ?? '');
    const gid = parseId(f[3] ?? '');
    if (f[0] === undefined || f[0] === '' || uid === undefined || gid === undefined) continue;
    out.push({ name: f[0], uid, gid, home: f[5] || '/' });
  }
  return out;
}

/** Parses a group file; malformed lines are skipped. */
export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const f of lines(text)) {
    const gid = parseId(f[2] ?? '');
    if (f[0] === undefined || f[0] === '' || gid === undefined) continue;
    const members = (f[3] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');
    out.push({ name: f[0], gid, members });
  }
  return out;
}

/**
 * Reads a regular file at `path` inside `root`, resolved with
 * {@link resolveInRoot}. Returns `undefined` when it is missing or is not a
 * regular file (a FIFO or device is never opened for reading).
 */
export async function readFileInRoot(root: string, path: string): Promise<string | undefined> {
  const host = await resolveInRoot(root, path);
  let fh;
  try {
    fh = await open(host, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'ENXIO') return undefined;
    throw err;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return undefined;
    if (st.size > MAX_FILE_BYTES) {
      throw new ContainerError('ERR_USER_FILE_TOO_LARGE', `${path} in the container is larger than ${MAX_FILE_BYTES} bytes`);
    }
    const buf = Buffer.alloc(Math.min(st.size, MAX_FILE_BYTES) + 1);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    if (bytesRead > MAX_FILE_BYTES) {
      throw new ContainerError('ERR_USER_FILE_TOO_LARGE', `${path} in the container is larger than ${MAX_FILE_BYTES} bytes`);
    }
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

function checkRange(id: number, what: string, spec: string): void {
  if (id > MAX_ID) throw new ContainerError('ERR_USER_INVALID', `${what} ${spec} is out of range`);
}

/**
 * Resolves a user spec against parsed passwd and group entries, as Docker
 * does: `name` or `uid` picks the passwd entry (a uid without one is allowed),
 * its primary gid is the entry's, and without an explicit group the
 * supplementary groups are the groups listing the user's name. An explicit
 * `:group` (name or gid) replaces the primary group and adds none.
 *
 * @param spec `''` (root), `uid`, `uid:gid`, `name`, `name:group`.
 * @throws ContainerError `ERR_USER_UNKNOWN`, `ERR_GROUP_UNKNOWN`, `ERR_USER_INVALID`.
 */
export function resolveUserSpec(spec: string, passwd: PasswdEntry[], groups: GroupEntry[]): ResolvedUser {
  const colon = spec.indexOf(':');
  const userArg = colon === -1 ? spec : spec.slice(0, colon);
  const groupArg = colon === -1 ? '' : spec.slice(colon + 1);
  const uidArg = parseId(userArg);
  const entry = passwd.find((p) => (userArg === '' ? p.uid === 0 : uidArg !== undefined ? p.uid === uidArg : p.name === userArg));
  let user: ResolvedUser;
  if (entry !== undefined) {
    user = { uid: entry.uid, gid: entry.gid, additionalGids: [], username: entry.name, home: entry.home };
  } else if (userArg === '') {
    user = { uid: 0, gid: 0, additionalGids: [], home: '/' };
  } else if (uidArg !== undefined) {
    checkRange(uidArg, 'uid', userArg);
    user = { uid: uidArg, gid: 0, additionalGids: [], home: '/' };
  } else {
    throw new ContainerError('ERR_USER_UNKNOWN', `unable to find user ${userArg}: no matching entries in passwd file`);
  }
  if (groupArg !== '') {
    const gidArg = parseId(groupArg);
    const group = groups.find((g) => (gidArg !== undefined ? g.gid === gidArg : g.name === groupArg));
    if (group !== undefined) user.gid = group.gid;
    else if (gidArg !== undefined) {
      checkRange(gidArg, 'gid', groupArg);
      user.gid = gidArg;
    } else throw new ContainerError('ERR_GROUP_UNKNOWN', `unable to find group ${groupArg}: no matching entries in group file`);
  } else if (user.username !== undefined) {
    const name = user.username;
    const gids = groups.filter((g) => g.members.includes(name)).map((g) => g.gid);
    user.additionalGids = [...new Set(gids)];
  }
  return user;
}

/**
 * Resolves `spec` against the `/etc/passwd` and `/etc/group` of the rootfs at
 * `root`, read safely inside it (a symlinked `/etc/passwd` resolves within the
 * root, never to the host's).
 *
 * @throws ContainerError `ERR_USER_UNKNOWN`, `ERR_GROUP_UNKNOWN`, `ERR_USER_INVALID`, `ERR_SYMLINK_LOOP`.
 */
export async function resolveUser(root: string, spec: string): Promise<ResolvedUser> {
  const [passwdText, groupText] = await Promise.all([readFileInRoot(root, '/etc/passwd'), readFileInRoot(root, '/etc/group')]);
  return resolveUserSpec(spec, parsePasswd(passwdText ?? ''), parseGroup(groupText ?? ''));
}
