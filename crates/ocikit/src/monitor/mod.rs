//! The per-container monitor of detached containers (`ocikit-monitor`): parent of the container's
//! PID 1, it writes the container's output as json-file logs and records its exit atomically, and
//! keeps running after the Node process that started it is gone.
//!
//! State directory layout: `config.json` (read), `monitor.json` (pids, written at start),
//! `container.log` (JSON lines), `exit.json` (written once, by rename, when PID 1 has exited).

pub mod logfmt;
pub mod pidctl;

use crate::sc;
use crate::spawn::{self, reaper, Options};
use crate::spec::Spec;
use crate::sys::consts::*;
use crate::sys::{nr, Errno, SysError};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use crate::cgroup::{Cgroup, CgroupManager};

/// What the monitor is asked to run.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub state_dir: PathBuf,
    pub cgroup_dirs: Vec<String>,
    pub default_seccomp: bool,
    /// Disposable: the owner's pid and (optionally) its start time; when the owner exits, even
    /// by SIGKILL, the container is killed, its exit recorded, and the monitor exits.
    pub owner: Option<(i32, Option<u64>)>,
}

/// Writes `data` to `dir/name` through a temporary file and rename (readers never see a partial
/// file); `durable` adds fsync of the file and the directory (the exit record: it must survive a
/// crash of the host; `monitor.json` need not, the container would not survive it either).
pub fn write_atomic(dir: &Path, name: &str, data: &str, durable: bool) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut f = File::create(&tmp)?;
    f.write_all(data.as_bytes())?;
    if durable {
        f.sync_all()?;
    }
    std::fs::rename(&tmp, dir.join(name))?;
    if durable {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

fn pipe() -> Result<[i32; 2], SysError> {
    let mut fds = [-1i32; 2];
    unsafe { sc!(nr::PIPE2, fds.as_mut_ptr(), O_CLOEXEC) }.map_err(|e| SysError::new(e, "pipe2"))?;
    Ok(fds)
}

fn close(fd: i32) {
    let _ = unsafe { sc!(nr::CLOSE, fd) };
}

fn cgroup_of(cgroup_dirs: &[String]) -> Option<Cgroup> {
    if cgroup_dirs.is_empty() {
        return None;
    }
    Cgroup::from_dirs(&cgroup_dirs.iter().map(PathBuf::from).collect::<Vec<_>>()).ok()
}

/// Whether the memory cgroup's `oom_kill` counter is above 0: any process of it, not only PID 1.
fn oom_killed(cgroup_dirs: &[String]) -> bool {
    cgroup_of(cgroup_dirs).is_some_and(|c| c.oom_killed().unwrap_or(false))
}

/// A pidfd on the owner, or `None` when it is already gone (or its pid was recycled).
fn watch_owner(pid: i32, start: Option<u64>) -> Option<i32> {
    let fd = pidctl::pidfd_open(pid).ok()?;
    if start.is_some_and(|t| pidctl::start_time(pid) != Some(t)) {
        pidctl::close(fd);
        return None;
    }
    Some(fd)
}

#[repr(C)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}

/// Starts the container and supervises it until it exits. `ready` receives the start result line.
pub fn run(cfg: &Config, ready: &mut dyn FnMut(&str)) -> Result<i32, SysError> {
    let dir = &cfg.state_dir;
    let text = std::fs::read_to_string(dir.join("config.json"))
        .map_err(|e| SysError::at(Errno(e.raw_os_error().unwrap_or(2)), "read config.json", &dir.to_string_lossy()))?;
    let spec = Spec::from_json(&text).map_err(|e| SysError::invalid("spec", &e.0))?;
    let out = pipe()?;
    let err = pipe()?;
    let null = std::fs::File::open("/dev/null").map_err(|_| SysError::new(Errno::ENOENT, "open /dev/null"))?;
    use std::os::fd::AsRawFd;
    let opts = Options {
        stdio: [null.as_raw_fd(), out[1], err[1]],
        cgroup_procs: cfg.cgroup_dirs.iter().map(|d| format!("{d}/cgroup.procs")).collect(),
        pdeathsig: SIGKILL,
        default_seccomp: cfg.default_seccomp,
        join_pidfd: None,
        console_socket: None,
    };
    let started_at = SystemTime::now();
    let started = spawn::spawn(&spec, &opts);
    close(out[1]);
    close(err[1]);
    drop(null);
    let started = started?;
    let me = std::process::id() as i32;
    let monitor = format!(
        "{{\"pid\":{},\"monitorPid\":{},\"startedAt\":\"{}\",\"startTime\":{},\"monitorStartTime\":{}}}\n",
        started.pid,
        me,
        logfmt::rfc3339(started_at),
        pidctl::start_time(started.pid).map_or("null".into(), |t| t.to_string()),
        pidctl::start_time(me).map_or("null".into(), |t| t.to_string()),
    );
    // disposable: watch the owner from now on (gone already: kill at once)
    let mut owner_fd: Option<i32> = None;
    let mut owner_gone = false;
    if let Some((pid, start)) = cfg.owner {
        owner_fd = watch_owner(pid, start);
        owner_gone = owner_fd.is_none();
    }
    write_atomic(dir, "monitor.json", &monitor, false).map_err(|_| SysError::new(Errno::EIO, "write monitor.json"))?;
    ready(&monitor);

    let mut log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("container.log"))
        .map_err(|e| SysError::new(Errno(e.raw_os_error().unwrap_or(5)), "open container.log"))?;
    let streams = [(out[0], "stdout"), (err[0], "stderr")];
    let mut bufs = [Vec::new(), Vec::new()];
    let mut open = [true, true];
    let mut exit: Option<(i32, i32)> = None;
    let mut chunk = vec![0u8; 16 * 1024];
    while open.iter().any(|o| *o) || exit.is_none() {
        if owner_gone {
            owner_gone = false;
            if let Some(fd) = owner_fd.take() {
                close(fd);
            }
            // PID 1 first (its pid namespace dies with it), then anything left in the cgroup
            let _ = pidctl::pidfd_signal(started.pidfd, SIGKILL);
            if let Some(cg) = cgroup_of(&cfg.cgroup_dirs) {
                let _ = cg.kill_all(SIGKILL);
            }
        }
        let mut fds = [
            PollFd { fd: if open[0] { out[0] } else { -1 }, events: 1, revents: 0 },
            PollFd { fd: if open[1] { err[0] } else { -1 }, events: 1, revents: 0 },
            PollFd { fd: if exit.is_none() { started.pidfd } else { -1 }, events: 1, revents: 0 },
            PollFd { fd: owner_fd.unwrap_or(-1), events: 1, revents: 0 },
        ];
        match unsafe { sc!(nr::PPOLL, fds.as_mut_ptr(), 4, 0, 0, 8) } {
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(SysError::new(e, "ppoll")),
            Ok(_) => {}
        }
        for (i, (fd, stream)) in streams.iter().enumerate() {
            if !open[i] || fds[i].revents == 0 {
                continue;
            }
            let n = unsafe { sc!(nr::READ, *fd, chunk.as_mut_ptr(), chunk.len()) }.unwrap_or(0);
            let now = SystemTime::now();
            if n == 0 {
                open[i] = false;
                if !bufs[i].is_empty() {
                    let _ = log.write_all(logfmt::record(&bufs[i], stream, now).as_bytes());
                    bufs[i].clear();
                }
                close(*fd);
                continue;
            }
            bufs[i].extend_from_slice(&chunk[..n]);
            logfmt::drain_lines(&mut bufs[i], |line| {
                let _ = log.write_all(logfmt::record(line, stream, now).as_bytes());
            });
        }
        if owner_fd.is_some() && fds[3].revents != 0 {
            owner_gone = true;
        }
        if exit.is_none() && fds[2].revents != 0 {
            exit = Some(reaper::wait_pidfd(started.pidfd).map_err(|e| SysError::new(e, "waitid"))?);
            close(started.pidfd);
        }
    }
    if let Some(fd) = owner_fd {
        close(fd);
    }
    let (code, signal) = exit.unwrap_or((-1, 0));
    // As Docker: any OOM kill the cgroup recorded, also of a child while PID 1 lived on.
    let oom = oom_killed(&cfg.cgroup_dirs);
    let record = format!(
        "{{\"exitCode\":{},\"signal\":{},\"oomKilled\":{},\"startedAt\":\"{}\",\"finishedAt\":\"{}\"}}\n",
        if signal == 0 { code.to_string() } else { "null".into() },
        signal,
        oom,
        logfmt::rfc3339(started_at),
        logfmt::rfc3339(SystemTime::now())
    );
    let _ = log.sync_all();
    write_atomic(dir, "exit.json", &record, true).map_err(|_| SysError::new(Errno::EIO, "write exit.json"))?;
    Ok(0)
}
