/**
 * How the image's config and the user's options combine into the process a
 * container runs, with Docker's rules.
 *
 * @module
 */
import { posix } from 'node:path';
import { ContainerError } from '../errors.js';
import type { ContainerConfig } from '../oci/image-types.js';
import type { ContainerOptions } from './options.js';
import { envKey, replaceOrAppendEnv } from '../util/env-merge.js';

export { replaceOrAppendEnv };

/** `PATH` of a container whose image and options set none (Docker's). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The signal that stops a container when neither the image nor the options name one. */
export const DEFAULT_STOP_SIGNAL = 'SIGTERM';

function entrypointOption(e: string[] | string | null): string[] {
  if (e === null || e === '') return [];
  if (typeof e === 'string') return [e];
  return e.length === 1 && e[0] === '' ? [] : [...e];
}

/**
 * The entrypoint and command of a container. An entrypoint in the options
 * replaces the image's and drops the image's `Cmd`; a non-empty `cmd` in the
 * options replaces the image's `Cmd`.
 */
export function mergeEntrypointCmd(image: ContainerConfig, options: ContainerOptions): { entrypoint: string[]; cmd: string[] } {
  const userCmd = options.cmd ?? [];
  if (options.entrypoint !== undefined) {
    return { entrypoint: entrypointOption(options.entrypoint), cmd: [...userCmd] };
  }
  const cmd = userCmd.length > 0 ? userCmd : image.Cmd ?? [];
  return { entrypoint: [...(image.Entrypoint ?? [])], cmd: [...cmd] };
}

/**
 * The process arguments: entrypoint followed by command.
 *
 * @throws ContainerError `ERR_NO_COMMAND` when both are empty.
 */
export function processArgs(image: ContainerConfig, options: ContainerOptions): string[] {
  const { entrypoint, cmd } = mergeEntrypointCmd(image, options);
  const args = [...entrypoint, ...cmd];
  if (args.length === 0) throw new ContainerError('ERR_NO_COMMAND', 'no command specified');
  return args;
}

/**
 * The options' environment as `K=V` entries. In list form a bare `K` takes
 * the caller's value when it has one (as `docker run -e K` does) and stays
 * bare (a removal) otherwise.
 *
 * @throws ContainerError `ERR_INVALID_ENV` for an empty key.
 */
export function optionEnv(env: ContainerOptions['env'], callerEnv: NodeJS.ProcessEnv = process.env): string[] {
  const entries = Array.isArray(env) ? env : Object.entries(env ?? {}).map(([k, v]) => `${k}=${v}`);
  return entries.map((e) => {
    if (envKey(e) === '') throw new ContainerError('ERR_INVALID_ENV', `invalid environment variable: ${JSON.stringify(e)}`);
    if (e.includes('=')) return e;
    const v = callerEnv[e];
    return v === undefined ? e : `${e}=${v}`;
  });
}

/**
 * The container's environment: `PATH` (when unset), `HOSTNAME` and, with a
 * terminal, `TERM=xterm`, then the image's `Env`, then the options' env.
 */
export function mergeEnv(
  image: ContainerConfig,
  options: ContainerOptions,
  hostname: string,
  callerEnv: NodeJS.ProcessEnv = process.env,
): string[] {
  const configEnv = replaceOrAppendEnv(image.Env ?? [], optionEnv(options.env, callerEnv)).filter((e) => e.includes('='));
  const base: string[] = [];
  if (!configEnv.some((e) => envKey(e) === 'PATH')) base.push(`PATH=${DEFAULT_PATH}`);
  base.push(`HOSTNAME=${hostname}`);
  if (options.tty === true) base.push('TERM=xterm');
  return replaceOrAppendEnv(base, configEnv);
}

function cleanPath(p: string): string {
  const clean = posix.normalize(p);
  return clean.length > 1 ? clean.replace(/\/+$/, '') : clean;
}

/**
 * The working directory: the options', else the image's, else `/`; cleaned.
 *
 * @throws ContainerError `ERR_INVALID_WORKDIR` when the options give a relative path.
 */
export function workingDir(image: ContainerConfig, options: ContainerOptions): string {
  if (options.workdir !== undefined && options.workdir !== '') {
    if (!options.workdir.startsWith('/')) {
      throw new ContainerError('ERR_INVALID_WORKDIR', `the working directory ${JSON.stringify(options.workdir)} is invalid: it must be absolute`);
    }
    return cleanPath(options.workdir);
  }
  const fromImage = image.WorkingDir ?? '';
  return cleanPath(posix.join('/', fromImage));
}

/** The image's labels with the options' on top. */
export function mergeLabels(image: ContainerConfig, options: ContainerOptions): Record<string, string> {
  return { ...(image.Labels ?? {}), ...(options.labels ?? {}) };
}

/** The stop signal: the options', else the image's, else `SIGTERM`. */
export function stopSignal(image: ContainerConfig, options: ContainerOptions): string {
  return options.stopSignal || image.StopSignal || DEFAULT_STOP_SIGNAL;
}

/** The user spec to resolve: the options', else the image's, else `''` (root). */
export function userSpec(image: ContainerConfig, options: ContainerOptions): string {
  return options.user ?? image.User ?? '';
}
