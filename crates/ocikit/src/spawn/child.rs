//! Code that runs in the clone child: raw syscalls on the prepared [`Plan`], no allocation, no locks.
//!
//! A failure is written into the shared [`Report`] (the child shares the parent's memory until it
//! execs; the parent reads the report once `clone3` returns, which with `CLONE_VFORK` is after the
//! child's exec or exit), so no pipe is needed to carry it.

use super::plan::Plan;
pub use super::child_exec::exec_entry;
use super::raw::{p, R};
use super::syscall::{Real, Syscall};
use super::{rootfs, tty};
use crate::sc;
use crate::sys::consts::*;
use crate::sys::{nr, Errno};
use rustix::fd::{BorrowedFd, IntoRawFd, RawFd};
use rustix::fs::{Gid, Mode, OFlags, Uid};
use rustix::thread::UnshareFlags;
use std::ffi::{c_void, CStr};

/// Where the child leaves the outcome for the parent.
#[repr(C)]
pub struct Report {
    pub failed: bool,
    pub errno: i32,
    pub step: &'static str,
    pub path: Option<*const CStr>,
    /// exec: the pidfd and pid of the process started in the container.
    pub pidfd: i32,
    pub pid: i32,
}

impl Default for Report {
    fn default() -> Self {
        Report { failed: false, errno: 0, step: "", path: None, pidfd: -1, pid: 0 }
    }
}

/// A failed step: its name, errno and the path it worked on (borrowed from the plan).
#[derive(Debug)]
pub struct Fail {
    pub step: &'static str,
    pub errno: Errno,
    pub path: Option<*const CStr>,
}

pub trait Step<T> {
    fn step(self, name: &'static str) -> Result<T, Fail>;
    fn step_at(self, name: &'static str, path: &CStr) -> Result<T, Fail>;
}

impl<T> Step<T> for Result<T, Errno> {
    #[inline]
    fn step(self, name: &'static str) -> Result<T, Fail> {
        self.map_err(|errno| Fail { step: name, errno, path: None })
    }
    #[inline]
    fn step_at(self, name: &'static str, path: &CStr) -> Result<T, Fail> {
        self.map_err(|errno| Fail { step: name, errno, path: Some(path as *const CStr) })
    }
}

/// What the entry functions receive.
pub struct Ctx {
    pub plan: *const Plan,
    pub report: *mut Report,
    /// exec only: the stack of the second child.
    pub stack2: u64,
    pub stack2_size: u64,
}

pub(super) fn record(ctx: &Ctx, f: Fail) -> i32 {
    // SAFETY: the parent is suspended (CLONE_VFORK) and reads the report only after we exit.
    unsafe {
        let r = &mut *ctx.report;
        r.failed = true;
        r.errno = f.errno.0;
        r.step = f.step;
        r.path = f.path;
    }
    127
}

/// `struct sigaction` as the kernel takes it (handler, flags, restorer, mask).
#[repr(C)]
struct KSigaction {
    handler: usize,
    flags: u64,
    restorer: usize,
    mask: u64,
}

/// Every handler back to the default (Node's handlers would run in this shared address space, and
/// ignored signals such as SIGPIPE would survive exec). The mask stays blocked until exec.
pub(super) fn reset_signals() {
    let act = KSigaction { handler: SIG_DFL, flags: 0, restorer: 0, mask: 0 };
    for sig in 1..=NSIG {
        if sig == SIGKILL || sig == SIGSTOP {
            continue;
        }
        // rustix has no rt_sigaction (only in its `runtime` feature, meant for libc implementations)
        let _ = unsafe { sc!(nr::RT_SIGACTION, sig, &act as *const KSigaction, 0, 8) };
    }
}

pub fn set_sigmask(mask: u64) -> Result<u64, Errno> {
    let mut old = 0u64;
    // rustix has no rt_sigprocmask (only in its `runtime` feature, as for rt_sigaction)
    unsafe { sc!(nr::RT_SIGPROCMASK, SIG_SETMASK, &mask as *const u64, &mut old as *mut u64, 8) }?;
    Ok(old)
}

fn er(e: rustix::io::Errno) -> Errno {
    Errno(e.raw_os_error())
}

pub(super) fn set_pdeathsig(sig: i32) -> Result<(), Fail> {
    // SAFETY: the number only goes to prctl, which checks it; no handler is installed for it.
    let sig = unsafe { rustix::process::Signal::from_raw_unchecked(sig) };
    rustix::process::set_parent_process_death_signal(Some(sig)).map_err(er).step("prctl(PR_SET_PDEATHSIG)")
}

fn write_file<S: Syscall>(sys: &S, path: &CStr, data: &[u8], step: &'static str) -> Result<(), Fail> {
    let fd = sys.open(path, OFlags::WRONLY | OFlags::CLOEXEC, Mode::empty()).step_at(step, path)?;
    let r = sys.write(fd, data);
    sys.close(fd);
    r.step_at(step, path).map(|_| ())
}

pub(super) fn join_cgroups<S: Syscall>(sys: &S, plan: &Plan) -> Result<(), Fail> {
    for procs in &plan.cgroup_procs {
        write_file(sys, procs, b"0", "join cgroup")?;
    }
    Ok(())
}

/// The part shared by run and exec: terminal/stdio, fds, user, capabilities, limits, seccomp, exec.
pub(super) fn finish_process(plan: &Plan) -> Result<(), Fail> {
    let mut stdio = plan.stdio;
    if let Some(sock) = plan.console_socket {
        let slave = tty::open_in_child(sock, &plan.winsize)?;
        stdio = [slave as i32; 3];
    }
    // Move every source out of the way first (to fds >= 5), so that a source that is itself one of
    // 0..4 is not overwritten, then lay out 0..2 = stdio, 3 = the report pipe of ocikit-exec (it
    // makes it close-on-exec itself), 4 = the sealed ocikit-exec memfd (close-on-exec).
    let sources = [stdio[0], stdio[1], stdio[2], plan.report_fd, plan.helper_fd];
    let mut high = [0 as RawFd; 5];
    for i in 0..5 {
        // a borrowed -1 would panic: refuse it the way the kernel would
        let src = if sources[i] < 0 { Err(Errno::EBADF) } else { Ok(sources[i]) }.step("dup stdio")?;
        // SAFETY: `src` is an open fd of the plan or the caller's stdio, alive for the call.
        let dup = rustix::io::fcntl_dupfd_cloexec(unsafe { BorrowedFd::borrow_raw(src) }, 5);
        high[i] = dup.map(IntoRawFd::into_raw_fd).map_err(er).step("dup stdio")?;
    }
    for (i, fd) in high.iter().enumerate() {
        let flags = if i == HELPER_FD { O_CLOEXEC } else { 0 };
        // rustix's dup3 wants its target as an OwnedFd, which a free slot 0..4 is not
        unsafe { sc!(nr::DUP3, *fd, i, flags) }.step("dup3 stdio")?;
    }
    // rustix has no close_range
    unsafe { sc!(nr::CLOSE_RANGE, 5, u32::MAX, 0) }.step("close_range")?;

    let limit = |v: u64| if v == u64::MAX { None } else { Some(v) }; // RLIM_INFINITY
    for (res, lim) in &plan.rlimits {
        let new = rustix::process::Rlimit { current: limit(lim[0]), maximum: limit(lim[1]) };
        rustix::process::prlimit(None, *res, new).map_err(er).step("setrlimit")?;
    }
    rustix::thread::set_thread_groups(&plan.groups).map_err(er).step("setgroups")?;
    let (uid, gid) = (Uid::from_raw_unchecked(plan.uid), Gid::from_raw_unchecked(plan.gid));
    rustix::thread::set_thread_res_gid(gid, gid, gid).map_err(er).step("setresgid")?;
    rustix::thread::set_keep_capabilities(true).map_err(er).step("prctl(PR_SET_KEEPCAPS)")?;
    rustix::thread::set_thread_res_uid(uid, uid, uid).map_err(er).step("setresuid")?;
    if plan.uid != 0 {
        // setresuid cleared the effective set; raise it back to the permitted set so the bounding
        // set can be dropped (needs CAP_SETPCAP) before the final capset.
        let mut sets = rustix::thread::capabilities(None).map_err(er).step("capget")?;
        sets.effective = sets.permitted;
        rustix::thread::set_capabilities(None, sets).map_err(er).step("capset")?;
    }
    if let Err(e) = plan.caps.apply() {
        let (step, errno) = match e {
            crate::caps::ApplyError::BoundingDrop { errno, .. } => ("prctl(PR_CAPBSET_DROP)", errno),
            crate::caps::ApplyError::Capset { errno } => ("capset", errno),
            crate::caps::ApplyError::AmbientClear { errno } => ("prctl(PR_CAP_AMBIENT_CLEAR_ALL)", errno),
            crate::caps::ApplyError::AmbientRaise { errno, .. } => ("prctl(PR_CAP_AMBIENT_RAISE)", errno),
        };
        return Err(Fail { step, errno: Errno(errno), path: None });
    }
    rustix::process::umask(Mode::from_raw_mode(plan.umask));
    if plan.no_new_privs {
        rustix::thread::set_no_new_privs(true).map_err(er).step("prctl(PR_SET_NO_NEW_PRIVS)")?;
    }
    Real.chdir(&plan.cwd).step_at("chdir to the working directory", &plan.cwd)?;
    if let Some(prog) = &plan.seccomp {
        if let Err(e) = crate::seccomp::install(prog) {
            return Err(Fail { step: e.step(), errno: Errno(e.errno()), path: None });
        }
    }
    set_sigmask(0).step("sigprocmask")?;
    // never the container's program directly: see super::exe
    let empty = c"";
    // rustix has no execveat (only in its `runtime` feature, as for rt_sigaction)
    let r: R = unsafe {
        sc!(nr::EXECVEAT, HELPER_FD, p(empty), plan.exec.helper_argv_ptrs.as_ptr(), plan.exec.envp_ptrs.as_ptr(), AT_EMPTY_PATH)
    };
    // execveat returns only on failure; ENOEXEC stands in should it ever return success
    let errno = r.err().unwrap_or(Errno(8));
    Err(Fail { step: "execveat (ocikit-exec)", errno, path: None })
}

/// Where the child puts the ocikit-exec memfd before it execs it.
const HELPER_FD: usize = 4;

/// A run child's namespaces, cgroups and filesystem, in order: everything before the process's
/// own setup ([`finish_process`]).
pub(super) fn setup_container<S: Syscall>(sys: &S, plan: &Plan) -> Result<(), Fail> {
    join_cgroups(sys, plan)?;
    // the namespaces joined by path first, then the cgroup namespace is unshared: as in runc, a
    // namespace made here then belongs to a joined user namespace (once those are supported), and
    // the new cgroup namespace is rooted at the cgroup joined above
    for j in &plan.join {
        sys.setns(j.fd, j.nstype).step("setns")?;
    }
    if plan.unshare_cgroupns {
        sys.unshare(UnshareFlags::NEWCGROUP).step("unshare cgroup namespace")?;
    }
    sys.umask(Mode::empty());
    if plan.clone_flags & UnshareFlags::NEWNET.bits() as u64 != 0 {
        sys.loopback_up()?;
    }
    if let Some(rf) = &plan.rootfs {
        rootfs::setup(sys, rf)?;
    }
    for (path, value) in &plan.sysctls {
        write_file(sys, path, value.to_bytes(), "sysctl")?;
    }
    if let Some(h) = &plan.hostname {
        sys.sethostname(h).step("sethostname")?;
    }
    if let Some(d) = &plan.domainname {
        sys.setdomainname(d).step("setdomainname")?;
    }
    if let Some(o) = &plan.oom_score_adj {
        write_file(sys, c"/proc/self/oom_score_adj", o.to_bytes(), "oom_score_adj")?;
    }
    Ok(())
}

fn run_child(plan: &Plan) -> Result<(), Fail> {
    reset_signals();
    if plan.pdeathsig != 0 {
        set_pdeathsig(plan.pdeathsig)?;
    }
    setup_container(&Real, plan)?;
    finish_process(plan)
}

/// Entry of the container's first process.
pub unsafe extern "C" fn run_entry(arg: *mut c_void) -> i32 {
    let ctx = &*(arg as *const Ctx);
    match run_child(&*ctx.plan) {
        Ok(()) => 0,
        Err(f) => record(ctx, f),
    }
}

#[cfg(test)]
#[path = "child_tests.rs"]
mod tests;
