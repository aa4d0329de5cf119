//! Everything the child needs, computed in the parent before the clone (the child never allocates).

use super::plan_rootfs::{rootfs_plan, RootfsPlan};
use crate::caps::{self, Capabilities};
use crate::seccomp::{self, Arch, Profile, Program};
use crate::spec::Spec;
use crate::sys::consts::*;
use crate::sys::{nr, Errno, SysError};
use rustix::thread::{LinkNameSpaceType, ThreadNameSpaceType};
use std::ffi::{c_char, CString};

/// What the caller adds to the spec: stdio, cgroup, lifetime.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// fds that become the container's 0, 1, 2 (ignored for a terminal).
    pub stdio: [i32; 3],
    /// `cgroup.procs` files the process joins before anything else (v1: one per hierarchy).
    pub cgroup_procs: Vec<String>,
    /// Signal sent to the container's process when the spawning thread dies (0 = none).
    pub pdeathsig: i32,
    /// Docker's default seccomp profile when the spec has no `linux.seccomp`.
    pub default_seccomp: bool,
    /// For exec: a pidfd of the container's init whose namespaces the process joins.
    pub join_pidfd: Option<i32>,
    /// For a terminal: the fd of a unix socket on which the child sends the pty master.
    pub console_socket: Option<i32>,
}

/// Namespaces joined by path (`linux.namespaces[].path`): an open fd and its CLONE_NEW* type.
pub struct JoinNs {
    pub fd: i32,
    pub nstype: LinkNameSpaceType,
}

pub struct Plan {
    pub clone_flags: u64,
    pub join: Vec<JoinNs>,
    pub exec_pidfd: Option<i32>,
    pub exec_nsflags: ThreadNameSpaceType,
    pub unshare_cgroupns: bool,
    pub cgroup_procs: Vec<CString>,
    /// A cgroup v2 directory the process is cloned into (`CLONE_INTO_CGROUP`), instead of joining it.
    pub cgroup_fd: Option<i32>,
    pub pdeathsig: i32,
    pub rootfs: Option<RootfsPlan>,
    pub hostname: Option<CString>,
    pub domainname: Option<CString>,
    pub sysctls: Vec<(CString, CString)>,
    pub oom_score_adj: Option<CString>,
    pub stdio: [i32; 3],
    pub console_socket: Option<i32>,
    pub winsize: [u16; 4],
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
    pub umask: u32,
    pub rlimits: Vec<(u32, [u64; 2])>,
    pub caps: caps::Prepared,
    pub no_new_privs: bool,
    pub seccomp: Option<Program>,
    pub cwd: CString,
    pub arg0: CString,
    pub argv: Vec<CString>,
    pub envp: Vec<CString>,
    pub envp_ptrs: Vec<*const c_char>,
    /// `ocikit-exec`'s argv: its name, the number of candidates, the candidates, then `argv`.
    pub helper_argv: Vec<CString>,
    pub helper_argv_ptrs: Vec<*const c_char>,
    /// The sealed `ocikit-exec` memfd the child execs (see [`super::exe`]).
    pub helper_fd: i32,
    /// Write end of the pipe on which `ocikit-exec` reports a failed exec (set by the spawner).
    pub report_fd: i32,
}

pub(super) fn cs(s: &str, what: &str) -> Result<CString, SysError> {
    CString::new(s).map_err(|_| SysError::invalid("spec", &format!("{what} contains a NUL byte")))
}

/// The namespace of an OCI `linux.namespaces[].type`.
fn ns_type(kind: &str) -> Option<LinkNameSpaceType> {
    use LinkNameSpaceType as T;
    Some(match kind {
        "pid" => T::ProcessID,
        "network" => T::Network,
        "mount" => T::Mount,
        "ipc" => T::InterProcessCommunication,
        "uts" => T::HostNameAndNISDomainName,
        "cgroup" => T::ControlGroup,
        "user" => T::User,
        _ => return None,
    })
}

fn rlimit_resource(name: &str) -> Option<u32> {
    Some(match name {
        "RLIMIT_CPU" => 0, "RLIMIT_FSIZE" => 1, "RLIMIT_DATA" => 2, "RLIMIT_STACK" => 3, "RLIMIT_CORE" => 4,
        "RLIMIT_RSS" => 5, "RLIMIT_NPROC" => 6, "RLIMIT_NOFILE" => 7, "RLIMIT_MEMLOCK" => 8, "RLIMIT_AS" => 9,
        "RLIMIT_LOCKS" => 10, "RLIMIT_SIGPENDING" => 11, "RLIMIT_MSGQUEUE" => 12, "RLIMIT_NICE" => 13,
        "RLIMIT_RTPRIO" => 14, "RLIMIT_RTTIME" => 15,
        _ => return None,
    })
}

/// The caller's own [soft, hard] limit of `res`.
fn current_rlimit(res: u32) -> Result<[u64; 2], SysError> {
    let mut cur = [0u64; 2];
    unsafe { crate::sc!(nr::PRLIMIT64, 0, res, 0, cur.as_mut_ptr()) }.map_err(|e| SysError::new(e, "prlimit64"))?;
    Ok(cur)
}

const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

impl Plan {
    /// Builds the plan of `spec` (a `run` when `opts.join_pidfd` is None, else an `exec`).
    pub fn new(spec: &Spec, opts: &Options) -> Result<Plan, SysError> {
        let p = &spec.process;
        if p.args.is_empty() {
            return Err(SysError::invalid("spec", "process.args is empty"));
        }
        let exec = opts.join_pidfd.is_some();
        let mut clone_flags = 0u64;
        let mut join = Vec::new();
        let mut unshare_cgroupns = false;
        if !exec {
            for ns in &spec.namespaces {
                let nstype = ns_type(&ns.kind)
                    .ok_or_else(|| SysError::invalid("spec", &format!("unknown namespace {:?}", ns.kind)))?;
                let flag = nstype as u32 as u64;
                if flag == CLONE_NEWUSER {
                    return Err(SysError::new(Errno::EOPNOTSUPP, "user namespace (not supported yet)"));
                }
                match &ns.path {
                    Some(path) if flag == CLONE_NEWPID => {
                        return Err(SysError::at(Errno::EOPNOTSUPP, "join pid namespace by path", path));
                    }
                    Some(path) => {
                        let c = cs(path, "namespace path")?;
                        let fd = unsafe { crate::sc!(nr::OPENAT, AT_FDCWD, c.as_ptr(), O_RDONLY | O_CLOEXEC) }
                            .map_err(|e| SysError::at(e, "open namespace", path))?;
                        join.push(JoinNs { fd: fd as i32, nstype });
                    }
                    None if flag == CLONE_NEWCGROUP => unshare_cgroupns = true,
                    None => clone_flags |= flag,
                }
            }
            if clone_flags & CLONE_NEWNS == 0 {
                return Err(SysError::invalid("spec", "a mount namespace is required"));
            }
        }
        // a v2 cgroup is entered atomically at clone time; v1 hierarchies are joined by the child
        let mut cgroup_fd = None;
        let mut cgroup_procs = Vec::new();
        for procs in &opts.cgroup_procs {
            let dir = procs.strip_suffix("/cgroup.procs").unwrap_or(procs);
            if cgroup_fd.is_none() && std::path::Path::new(dir).join("cgroup.controllers").exists() {
                let c = cs(dir, "cgroup path")?;
                let fd = unsafe { crate::sc!(nr::OPENAT, AT_FDCWD, c.as_ptr(), O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
                    .map_err(|e| SysError::at(e, "open cgroup", dir))?;
                cgroup_fd = Some(fd as i32);
            } else {
                cgroup_procs.push(cs(procs, "cgroup path")?);
            }
        }
        let rootfs = if exec { None } else { Some(rootfs_plan(spec)?) };

        let mut caps = match &p.capabilities {
            None => Capabilities::docker_default(),
            Some(c) => Capabilities::from_oci(&c.bounding, &c.effective, &c.inheritable, &c.permitted, &c.ambient)
                .map_err(|e| SysError::invalid("spec", &e.to_string()))?,
        };
        // the kernel refuses an ambient capability that is not both permitted and inheritable;
        // crun and runc skip those rather than fail (their own `spec` lists ambient without inheritable)
        caps.ambient.0 &= caps.inheritable.0 & caps.permitted.0;
        let last_cap = caps::kernel_last_cap().map_err(|_| SysError::new(Errno::EIO, "read cap_last_cap"))?;
        let arch = Arch::native();
        let profile = match &spec.seccomp {
            Some(s) => Some(Profile::from_oci(s, arch).map_err(|e| SysError::invalid("seccomp", &e.to_string()))?),
            None if opts.default_seccomp => Some(seccomp::docker::default_profile(arch, caps.bounding.0)),
            None => None,
        };
        let seccomp = profile
            .map(|pr| seccomp::compile(&pr, arch).map_err(|e| SysError::invalid("seccomp", &format!("{e:?}"))))
            .transpose()?;

        let mut rlimits = Vec::new();
        for r in &p.rlimits {
            let res = rlimit_resource(&r.kind)
                .ok_or_else(|| SysError::invalid("spec", &format!("unknown rlimit {}", r.kind)))?;
            let cur = current_rlimit(res)?;
            let hard = r.hard.min(cur[1]); // never above the caller's hard limit
            rlimits.push((res, [r.soft.min(hard), hard]));
        }

        let env_path = p.env.iter().find_map(|e| e.strip_prefix("PATH=")).unwrap_or(DEFAULT_PATH);
        let arg0 = &p.args[0];
        let candidates: Vec<String> = if arg0.contains('/') {
            vec![arg0.clone()]
        } else {
            env_path.split(':').filter(|d| !d.is_empty()).map(|d| format!("{}/{}", d.trim_end_matches('/'), arg0)).collect()
        };
        let argv: Vec<CString> = p.args.iter().map(|a| cs(a, "process.args")).collect::<Result<_, _>>()?;
        let envp: Vec<CString> = p.env.iter().map(|a| cs(a, "process.env")).collect::<Result<_, _>>()?;
        let candidates: Vec<CString> = candidates.iter().map(|c| cs(c, "process.args")).collect::<Result<_, _>>()?;
        if candidates.len() > 9999 {
            return Err(SysError::invalid("spec", "PATH has more than 9999 directories"));
        }
        let mut helper_argv = vec![cs(super::exe::HELPER_ARGV0, "helper")?, cs(&candidates.len().to_string(), "helper")?];
        helper_argv.extend(candidates);
        let mut helper_argv_ptrs: Vec<*const c_char> = helper_argv.iter().chain(argv.iter()).map(|c| c.as_ptr()).collect();
        helper_argv_ptrs.push(std::ptr::null());
        let mut envp_ptrs: Vec<*const c_char> = envp.iter().map(|c| c.as_ptr()).collect();
        envp_ptrs.push(std::ptr::null());
        let (rows, cols) = p.console_size.unwrap_or((24, 80));

        Ok(Plan {
            clone_flags,
            join,
            exec_pidfd: opts.join_pidfd,
            exec_nsflags: ThreadNameSpaceType::MOUNT
                | ThreadNameSpaceType::HOST_NAME_AND_NIS_DOMAIN_NAME
                | ThreadNameSpaceType::INTER_PROCESS_COMMUNICATION
                | ThreadNameSpaceType::NETWORK
                | ThreadNameSpaceType::PROCESS_ID
                | ThreadNameSpaceType::CONTROL_GROUP,
            unshare_cgroupns,
            cgroup_procs,
            cgroup_fd,
            pdeathsig: opts.pdeathsig,
            rootfs,
            hostname: if exec { None } else { spec.hostname.as_deref().map(|h| cs(h, "hostname")).transpose()? },
            domainname: if exec { None } else { spec.domainname.as_deref().map(|h| cs(h, "domainname")).transpose()? },
            sysctls: if exec {
                Vec::new()
            } else {
                spec.sysctl
                    .iter()
                    .map(|(k, v)| Ok((cs(&format!("/proc/sys/{}", k.replace('.', "/")), "sysctl")?, cs(v, "sysctl")?)))
                    .collect::<Result<_, SysError>>()?
            },
            oom_score_adj: p.oom_score_adj.map(|o| CString::new(o.to_string()).unwrap()),
            stdio: opts.stdio,
            console_socket: if p.terminal { opts.console_socket } else { None },
            winsize: [rows, cols, 0, 0],
            uid: p.uid,
            gid: p.gid,
            groups: p.additional_gids.clone(),
            umask: p.umask.unwrap_or(0o022),
            rlimits,
            caps: caps.prepare(last_cap),
            no_new_privs: p.no_new_privileges,
            seccomp,
            cwd: cs(&p.cwd, "process.cwd")?,
            arg0: cs(arg0, "process.args")?,
            argv,
            envp,
            envp_ptrs,
            helper_argv,
            helper_argv_ptrs,
            helper_fd: super::exe::helper_fd()?,
            report_fd: -1,
        })
    }
}

impl Drop for Plan {
    fn drop(&mut self) {
        for fd in self.join.iter().map(|j| j.fd).chain(self.cgroup_fd) {
            let _ = unsafe { crate::sc!(nr::CLOSE, fd) };
        }
    }
}
