/**
 * Flag specs of the container verbs (`run`, `ps`, `logs` …). Their handlers
 * live in `container-verbs.ts`.
 *
 * @module
 */
import type { FlagSpec, VerbSpec } from '../spec.js';

const f = (name: string, type: FlagSpec['type'], description: string, extra: Partial<FlagSpec> = {}): FlagSpec => ({
  name,
  type,
  description,
  ...extra,
});

/** Flags shared by `run` and `create`. */
export const CREATE_FLAGS: readonly FlagSpec[] = [
  f('add-host', 'list', 'Add a custom host-to-IP mapping (host:ip)'),
  f('attach', 'list', 'Attach to STDIN, STDOUT or STDERR', { short: 'a' }),
  f('cap-add', 'list', 'Add Linux capabilities'),
  f('cap-drop', 'list', 'Drop Linux capabilities'),
  f('cpu-shares', 'number', 'CPU shares (relative weight)', { short: 'c' }),
  f('cpus', 'number', 'Number of CPUs', { placeholder: 'decimal' }),
  f('entrypoint', 'string', 'Overwrite the default ENTRYPOINT of the image'),
  f('env', 'list', 'Set environment variables', { short: 'e' }),
  f('hostname', 'string', 'Container host name', { short: 'h' }),
  f('interactive', 'bool', 'Keep STDIN open even if not attached', { short: 'i' }),
  f('label', 'list', 'Set meta data on a container', { short: 'l' }),
  f('memory', 'bytes', 'Memory limit', { short: 'm' }),
  f('memory-swap', 'string', "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", { placeholder: 'bytes' }),
  f('mount', 'list', 'Attach a filesystem mount to the container', { placeholder: 'mount' }),
  f('name', 'string', 'Assign a name to the container'),
  f('network', 'string', 'Connect a container to a network (none or host)', { placeholder: 'network', defaultText: '"none"', aliases: ['net'] }),
  f('pids-limit', 'number', 'Tune container pids limit (set -1 for unlimited)'),
  f('platform', 'string', 'Set platform if the image is multi-platform'),
  f('privileged', 'bool', 'Give extended privileges to this container'),
  f('read-only', 'bool', "Mount the container's root filesystem as read only"),
  f('rm', 'bool', 'Automatically remove the container and its associated anonymous volumes when it exits'),
  f('stop-signal', 'string', 'Signal to stop the container'),
  f('stop-timeout', 'number', 'Timeout (in seconds) to stop a container'),
  f('tmpfs', 'list', 'Mount a tmpfs directory'),
  f('tty', 'bool', 'Allocate a pseudo-TTY', { short: 't' }),
  f('ulimit', 'list', 'Ulimit options', { placeholder: 'ulimit' }),
  f('user', 'string', 'Username or UID (format: "<name|uid>[:<group|gid>]")', { short: 'u' }),
  f('volume', 'list', 'Bind mount a volume', { short: 'v' }),
  f('workdir', 'string', 'Working directory inside the container', { short: 'w' }),
];

const IMAGE_CMD = '[OPTIONS] IMAGE [COMMAND] [ARG...]';
const CONTAINERS = '[OPTIONS] CONTAINER [CONTAINER...]';
const one = { minArgs: 1, maxArgs: 1 } as const;
const many = { minArgs: 1 } as const;

/** Every container verb, by name. */
export const CONTAINER_SPECS: readonly VerbSpec[] = [
  {
    name: 'run',
    usage: IMAGE_CMD,
    description: 'Create and run a new container from an image',
    flags: [...CREATE_FLAGS, f('detach', 'bool', 'Run container in background and print container ID', { short: 'd' })],
    stopAfterPositionals: 1,
    minArgs: 1,
  },
  { name: 'create', usage: IMAGE_CMD, description: 'Create a new container', flags: CREATE_FLAGS, stopAfterPositionals: 1, minArgs: 1 },
  {
    name: 'start',
    usage: CONTAINERS,
    description: 'Start one or more stopped containers',
    flags: [f('attach', 'bool', 'Attach STDOUT/STDERR and forward signals', { short: 'a' }), f('interactive', 'bool', "Attach container's STDIN", { short: 'i' })],
    ...many,
  },
  { name: 'stop', usage: CONTAINERS, description: 'Stop one or more running containers', flags: [f('time', 'number', 'Seconds to wait before killing the container', { short: 't', aliases: ['timeout'] })], ...many },
  { name: 'restart', usage: CONTAINERS, description: 'Restart one or more containers', flags: [f('time', 'number', 'Seconds to wait before killing the container', { short: 't', aliases: ['timeout'] })], ...many },
  { name: 'kill', usage: CONTAINERS, description: 'Kill one or more running containers', flags: [f('signal', 'string', 'Signal to send to the container', { short: 's' })], ...many },
  {
    name: 'rm',
    usage: CONTAINERS,
    description: 'Remove one or more containers',
    flags: [f('force', 'bool', 'Force the removal of a running container (uses SIGKILL)', { short: 'f' }), f('volumes', 'bool', 'Remove anonymous volumes associated with the container', { short: 'v' })],
    ...many,
  },
  { name: 'pause', usage: CONTAINERS, description: 'Pause all processes within one or more containers', flags: [], ...many },
  { name: 'unpause', usage: CONTAINERS, description: 'Unpause all processes within one or more containers', flags: [], ...many },
  {
    name: 'ps',
    usage: '[OPTIONS]',
    description: 'List containers',
    flags: [
      f('all', 'bool', 'Show all containers (default shows just running)', { short: 'a' }),
      f('no-trunc', 'bool', "Don't truncate output"),
      f('quiet', 'bool', 'Only display container IDs', { short: 'q' }),
    ],
    maxArgs: 0,
  },
  {
    name: 'exec',
    usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
    description: 'Execute a command in a running container',
    flags: [
      f('detach', 'bool', 'Detached mode: run command in the background', { short: 'd' }),
      f('env', 'list', 'Set environment variables', { short: 'e' }),
      f('interactive', 'bool', 'Keep STDIN open even if not attached', { short: 'i' }),
      f('tty', 'bool', 'Allocate a pseudo-TTY', { short: 't' }),
      f('user', 'string', 'Username or UID (format: "<name|uid>[:<group|gid>]")', { short: 'u' }),
      f('workdir', 'string', 'Working directory inside the container', { short: 'w' }),
    ],
    stopAfterPositionals: 1,
    minArgs: 2,
  },
  {
    name: 'logs',
    usage: '[OPTIONS] CONTAINER',
    description: 'Fetch the logs of a container',
    flags: [
      f('follow', 'bool', 'Follow log output', { short: 'f' }),
      f('since', 'string', 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)'),
      f('tail', 'string', 'Number of lines to show from the end of the logs', { short: 'n', defaultText: '"all"' }),
      f('timestamps', 'bool', 'Show timestamps', { short: 't' }),
      f('until', 'string', 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)'),
    ],
    ...one,
  },
  { name: 'export', usage: '[OPTIONS] CONTAINER', description: "Export a container's filesystem as a tar archive", flags: [f('output', 'string', 'Write to a file, instead of STDOUT', { short: 'o' })], ...one },
  { name: 'port', usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]', description: 'List port mappings or a specific mapping for the container', flags: [], minArgs: 1, maxArgs: 2 },
  {
    name: 'commit',
    usage: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
    description: "Create a new image from a container's changes",
    flags: [
      f('author', 'string', 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")', { short: 'a' }),
      f('change', 'list', 'Apply Dockerfile instruction to the created image', { short: 'c' }),
      f('message', 'string', 'Commit message', { short: 'm' }),
      f('pause', 'bool', 'Pause container during commit', { short: 'p', defaultText: 'true' }),
    ],
    minArgs: 1,
    maxArgs: 2,
  },
  {
    name: 'cp',
    usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tocikit cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
    description: 'Copy files/folders between a container and the local filesystem',
    flags: [f('archive', 'bool', 'Archive mode (copy all uid/gid information)', { short: 'a' }), f('follow-link', 'bool', 'Always follow symbol link in SRC_PATH', { short: 'L' })],
    minArgs: 2,
    maxArgs: 2,
  },
  { name: 'diff', usage: 'CONTAINER', description: "Inspect changes to files or directories on a container's filesystem", flags: [], ...one },
  { name: 'top', usage: 'CONTAINER [ps OPTIONS]', description: 'Display the running processes of a container', flags: [], minArgs: 1, stopAfterPositionals: 1 },
  {
    name: 'stats',
    usage: '[OPTIONS] [CONTAINER...]',
    description: 'Display a live stream of container(s) resource usage statistics',
    flags: [f('all', 'bool', 'Show all containers (default shows just running)', { short: 'a' }), f('no-stream', 'bool', 'Disable streaming stats and only pull the first result'), f('no-trunc', 'bool', "Don't truncate output")],
  },
  { name: 'wait', usage: 'CONTAINER [CONTAINER...]', description: 'Block until one or more containers stop, then print their exit codes', flags: [], ...many },
  {
    name: 'import',
    usage: '[OPTIONS] file|URL|- [REPOSITORY[:TAG]]',
    description: 'Import the contents from a tarball to create a filesystem image',
    flags: [f('change', 'list', 'Apply Dockerfile instruction to the created image', { short: 'c' }), f('message', 'string', 'Set commit message for imported image', { short: 'm' }), f('platform', 'string', 'Set platform if server is multi-platform capable')],
    minArgs: 1,
    maxArgs: 2,
  },
];
