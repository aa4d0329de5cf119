//! Everything the child needs, computed in the parent before the clone (the child never allocates).

//!
//! Built by concern: namespaces ([`super::plan_ns`]), cgroups ([`super::plan_cgroup`]), the root
//! file system ([`super::plan_rootfs`]) and the process ([`super::plan_process`]).

use super::plan_cgroup::cgroups;
use super::plan_ns::{exec_namespaces, namespaces, Namespaces};
use super::plan_process::{exec_args, privileges, rlimits, ExecArgs};
use super::plan_rootfs::{rootfs_plan, RootfsPlan};
use crate::caps;
use crate::seccomp::Program;
use crate::spec::Spec;
use crate::sys::SysError;
use rustix::fs::Gid;
use rustix::process::Resource;
use rustix::thread::{LinkNameSpaceType, ThreadNameSpaceType};
use std::ffi::CString;

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
    pub groups: Vec<Gid>,
    pub umask: u32,
    /// [soft, hard], `u64::MAX` for unlimited.
    pub rlimits: Vec<(Resource, [u64; 2])>,
    pub caps: caps::Prepared,
    pub no_new_privs: bool,
    pub seccomp: Option<Program>,
    pub cwd: CString,
    /// What the child execs: `ocikit-exec`'s argv and the environment (see [`ExecArgs`]).
    pub exec: ExecArgs,
    /// The sealed `ocikit-exec` memfd the child execs (see [`super::exe`]).
    pub helper_fd: i32,
    /// Write end of the pipe on which `ocikit-exec` reports a failed exec (set by the spawner).
    pub report_fd: i32,
}

pub(super) fn cs(s: &str, what: &str) -> Result<CString, SysError> {
    CString::new(s).map_err(|_| SysError::invalid("spec", &format!("{what} contains a NUL byte")))
}

impl Plan {
    /// Builds the plan of `spec` (a `run` when `opts.join_pidfd` is None, else an `exec`).
    pub fn new(spec: &Spec, opts: &Options) -> Result<Plan, SysError> {
        let p = &spec.process;
        if p.args.is_empty() {
            return Err(SysError::invalid("spec", "process.args is empty"));
        }
        let exec = opts.join_pidfd.is_some();
        // an exec joins the container's namespaces through the pidfd and finds its rootfs there
        let ns = if exec { Namespaces { clone_flags: 0, join: Vec::new(), unshare_cgroupns: false } } else { namespaces(spec)? };
        let cg = cgroups(&opts.cgroup_procs)?;
        let rootfs = if exec { None } else { Some(rootfs_plan(spec)?) };
        let (caps, seccomp) = privileges(spec, opts.default_seccomp)?;
        let rlimits = rlimits(p)?;
        let exec_args = exec_args(p)?;
        let (rows, cols) = p.console_size.unwrap_or((24, 80));
        let names = |v: &Option<String>, what| if exec { Ok(None) } else { v.as_deref().map(|h| cs(h, what)).transpose() };

        Ok(Plan {
            clone_flags: ns.clone_flags,
            join: ns.join,
            exec_pidfd: opts.join_pidfd,
            exec_nsflags: exec_namespaces(),
            unshare_cgroupns: ns.unshare_cgroupns,
            cgroup_procs: cg.procs,
            cgroup_fd: cg.fd,
            pdeathsig: opts.pdeathsig,
            rootfs,
            hostname: names(&spec.hostname, "hostname")?,
            domainname: names(&spec.domainname, "domainname")?,
            sysctls: if exec { Vec::new() } else { sysctls(spec)? },
            oom_score_adj: p.oom_score_adj.map(|o| CString::new(o.to_string()).unwrap()),
            stdio: opts.stdio,
            console_socket: if p.terminal { opts.console_socket } else { None },
            winsize: [rows, cols, 0, 0],
            uid: p.uid,
            gid: p.gid,
            groups: p.additional_gids.iter().map(|g| Gid::from_raw_unchecked(*g)).collect(),
            umask: p.umask.unwrap_or(0o022),
            rlimits,
            caps,
            no_new_privs: p.no_new_privileges,
            seccomp,
            cwd: cs(&p.cwd, "process.cwd")?,
            exec: exec_args,
            helper_fd: super::exe::helper_fd()?,
            report_fd: -1,
        })
    }
}

/// `linux.sysctl` as the /proc/sys files to write and their values.
fn sysctls(spec: &Spec) -> Result<Vec<(CString, CString)>, SysError> {
    spec.sysctl
        .iter()
        .map(|(k, v)| Ok((cs(&format!("/proc/sys/{}", k.replace('.', "/")), "sysctl")?, cs(v, "sysctl")?)))
        .collect()
}

impl Drop for Plan {
    fn drop(&mut self) {
        for fd in self.join.iter().map(|j| j.fd).chain(self.cgroup_fd) {
            // SAFETY: the plan opened these fds and owns them; the child is gone by now.
            drop(unsafe { <rustix::fd::OwnedFd as rustix::fd::FromRawFd>::from_raw_fd(fd) });
        }
    }
}
