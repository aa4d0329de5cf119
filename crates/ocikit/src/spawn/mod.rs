//! Starting container processes: `clone3(CLONE_VM|CLONE_VFORK|CLONE_PIDFD)` into new namespaces,
//! the child set up with raw syscalls on a plan prepared beforehand, then exec.
//!
//! ```ignore
//! let spec = Spec::from_json(&text)?;
//! let started = spawn(&spec, &Options { stdio: [0, 1, 2], ..Options::default() })?;
//! ```

pub mod child;
pub mod child_exec;
pub mod clone;
pub mod exe;
pub mod loopback;
pub mod mount_opts;
pub mod plan;
pub mod plan_cgroup;
pub mod plan_ns;
pub mod plan_process;
pub mod plan_rootfs;
pub mod raw;
pub mod reaper;
pub mod rootfs;
pub mod syscall;
#[cfg(test)]
mod syscall_test;
pub mod tty;
pub mod undumpable;
pub mod watchdog;

use crate::sc;
use crate::spec::Spec;
use crate::sys::consts::*;
use crate::sys::{nr, Errno, SysError};
use child::{Ctx, Report};
use clone::{clone3, CloneArgs, Stack};
pub use plan::Options;
use plan::Plan;
use std::ffi::c_void;

/// A started process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spawned {
    /// Its pid in the caller's pid namespace.
    pub pid: i32,
    /// A pidfd for it (close-on-exec); the caller owns it.
    pub pidfd: i32,
    /// The pty master, when the spec asked for a terminal; the caller owns it.
    pub pty_master: Option<i32>,
}

const STACK: usize = 128 * 1024;

fn close(fd: i32) {
    if fd >= 0 {
        let _ = unsafe { sc!(nr::CLOSE, fd) };
    }
}

/// Starts `spec`'s process: a new container (`opts.join_pidfd` unset) or an exec into the container
/// whose init `opts.join_pidfd` refers to.
pub fn spawn(spec: &Spec, opts: &Options) -> Result<Spawned, SysError> {
    let mut opts = opts.clone();
    let sockets = if spec.process.terminal { Some(tty::socketpair()?) } else { None };
    opts.console_socket = sockets.map(|s| s[1]);
    let result = spawn_with(spec, &opts, sockets);
    if let Some(s) = sockets {
        close(s[0]);
        close(s[1]);
    }
    result
}

fn spawn_with(spec: &Spec, opts: &Options, sockets: Option<[i32; 2]>) -> Result<Spawned, SysError> {
    let mut plan = Plan::new(spec, opts)?;
    let mut pipe = ReportPipe::new()?;
    plan.report_fd = pipe.write;
    let exec = plan.exec_pidfd.is_some();
    let mut report = Report::default();
    let mut stack = Stack::new(STACK);
    let mut stack2 = Stack::new(if exec { STACK } else { 16 });
    let ctx = Ctx { plan: &plan, report: &mut report, stack2: stack2.base(), stack2_size: stack2.size() };
    let mut pidfd: i32 = -1;
    let mut args = CloneArgs {
        flags: if exec { CLONE_VM | CLONE_VFORK | CLONE_FILES } else { CLONE_VM | CLONE_VFORK | CLONE_PIDFD | plan.clone_flags },
        pidfd: &mut pidfd as *mut i32 as u64,
        exit_signal: SIGCHLD as u64,
        stack: stack.base(),
        stack_size: stack.size(),
        ..CloneArgs::default()
    };
    if let (Some(fd), false) = (plan.cgroup_fd, exec) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = fd as u64;
    }
    let entry = if exec { child::exec_entry } else { child::run_entry };
    // block every signal around the clone: no handler of Node's may run in the child
    let old = child::set_sigmask(!0).map_err(|e| SysError::new(e, "sigprocmask"))?;
    let undumpable = undumpable::Undumpable::enter()?;
    // the child a container process could stop: the run child, or exec's inner child
    let watched: *const i32 = if exec { &report.pidfd } else { &pidfd };
    let watchdog = watchdog::Watchdog::arm(watched);
    let res = unsafe { clone3(&mut args, entry, &ctx as *const Ctx as *mut c_void) };
    let stopped = watchdog.disarm();
    let _ = child::set_sigmask(old);
    let pid = res.map_err(|e| SysError::new(e, "clone3"))? as i32;
    let (pid, pidfd) = if exec {
        // the helper has exited (vfork): reap it; the exec'd process is our child too (CLONE_PARENT)
        let mut info = [0i32; 32];
        loop {
            match unsafe { sc!(nr::WAITID, P_PID, pid, info.as_mut_ptr(), WEXITED, 0) } {
                Err(Errno::EINTR) => continue,
                _ => break,
            }
        }
        (report.pid, report.pidfd)
    } else {
        (pid, pidfd)
    };
    if stopped && !report.failed {
        report.failed = true;
        report.errno = Errno::ETIMEDOUT.0;
        report.step = "exec (the process was stopped before it started)";
    }
    if !report.failed {
        pipe.close_write();
        match pipe.outcome() {
            Outcome::Started => {}
            Outcome::Failed(errno) => {
                report.failed = true;
                report.errno = errno.0;
                report.step = "execve";
                report.path = Some(&*plan.exec.arg0 as *const std::ffi::CStr);
            }
            // a container process stopped the child before its first exec went through: it may
            // still hold our memory, so it must not live on once we are dumpable again
            Outcome::TimedOut if still_runs_our_binary(pid) => {
                let _ = unsafe { sc!(nr::PIDFD_SEND_SIGNAL, pidfd, SIGKILL, 0, 0) };
                report.failed = true;
                report.errno = Errno::ETIMEDOUT.0;
                report.step = "exec (the process was stopped before it started)";
            }
            Outcome::TimedOut => {}
        }
    }
    if report.failed {
        if pidfd >= 0 {
            let _ = reaper::wait_pidfd(pidfd);
            close(pidfd);
        }
        drop(undumpable);
        let path = report.path.map(|p| unsafe { &*p }.to_string_lossy().into_owned());
        return Err(SysError { errno: Errno(report.errno), step: report.step.to_string(), path, message: None });
    }
    // Only now is our memory ours alone again. The vfork wait ends when the child's exec releases
    // our mm, but the kernel switches the child to its new mm a little later (exec_mm_release comes
    // before exec_mmap): until then /proc/<child>/mem still opens our memory. The report pipe's end
    // (closed at the exec of the container's program, after ocikit-exec's own exec) is past that.
    drop(undumpable);
    drop(stack);
    drop(stack2);
    let pty_master = match sockets {
        Some(s) => tty::receive_master(s[0])?,
        None => None,
    };
    Ok(Spawned { pid, pidfd, pty_master })
}

/// The pipe on which `ocikit-exec` reports that no candidate could be exec'd.
struct ReportPipe {
    read: i32,
    write: i32,
}

/// How long to wait for ocikit-exec's word: it only execs, so anything near this means a container
/// process stopped it; then the process counts as started and its exit status tells the rest.
const REPORT_WAIT_MS: i32 = 5000;

impl ReportPipe {
    fn new() -> Result<ReportPipe, SysError> {
        let mut fds = [-1i32; 2];
        unsafe { sc!(nr::PIPE2, fds.as_mut_ptr(), O_CLOEXEC) }.map_err(|e| SysError::new(e, "pipe2"))?;
        Ok(ReportPipe { read: fds[0], write: fds[1] })
    }

    fn close_write(&mut self) {
        close(self.write);
        self.write = -1;
    }

    /// What ocikit-exec said: its exec went through (the pipe closed), failed (an errno came), or
    /// nothing within [`REPORT_WAIT_MS`].
    fn outcome(&self) -> Outcome {
        #[repr(C)]
        struct PollFd {
            fd: i32,
            events: i16,
            revents: i16,
        }
        let mut pfd = PollFd { fd: self.read, events: POLLIN, revents: 0 };
        let ts = [(REPORT_WAIT_MS / 1000) as i64, ((REPORT_WAIT_MS % 1000) as i64) * 1_000_000];
        loop {
            match unsafe { sc!(nr::PPOLL, &mut pfd as *mut PollFd, 1, ts.as_ptr(), 0, 0) } {
                Err(Errno::EINTR) => continue,
                Ok(1) => break,
                Ok(_) => return Outcome::TimedOut,
                Err(_) => return Outcome::Started,
            }
        }
        let mut buf = [0u8; 4];
        loop {
            match unsafe { sc!(nr::READ, self.read, buf.as_mut_ptr(), 4) } {
                Err(Errno::EINTR) => continue,
                Ok(4) => return Outcome::Failed(Errno(i32::from_ne_bytes(buf))),
                _ => return Outcome::Started,
            }
        }
    }
}

enum Outcome {
    Started,
    Failed(Errno),
    TimedOut,
}

/// Whether `pid` still runs our own binary: it has not got through its first exec, so it may still
/// share our memory.
fn still_runs_our_binary(pid: i32) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata("/proc/self/exe"), std::fs::metadata(format!("/proc/{pid}/exe"))) {
        (Ok(me), Ok(it)) => me.dev() == it.dev() && me.ino() == it.ino(),
        _ => false,
    }
}

impl Drop for ReportPipe {
    fn drop(&mut self) {
        close(self.read);
        close(self.write);
    }
}
