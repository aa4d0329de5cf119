//! File helpers for cgroupfs: every failure carries the operation and the path.

use super::error::{Error, Result};
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::time::Duration;

/// Writes `value` in one `write(2)`, as cgroupfs expects. A missing file is created only when
/// `dir` is not on cgroupfs (a test fixture); on cgroupfs it is reported as NotFound.
pub fn write(dir: &Path, file: &str, value: &str) -> Result<()> {
    let path = dir.join(file);
    let open = |create: bool| std::fs::OpenOptions::new().write(true).create(create).truncate(true).open(&path);
    let f = match open(false) {
        Err(e) if e.kind() == ErrorKind::NotFound && !on_cgroupfs(dir) => open(true),
        other => other,
    };
    let mut f = f.map_err(|e| Error::new("open", &path, e))?;
    f.write_all(value.as_bytes()).map_err(|e| Error::new(format!("write {value:?}"), &path, e))
}

extern "C" {
    fn statfs(path: *const std::ffi::c_char, buf: *mut u64) -> i32;
}

/// Whether `dir` is on a cgroup or cgroup2 filesystem (`statfs` `f_type`, the first field on
/// x86_64 and aarch64).
pub fn on_cgroupfs(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    const CGROUP_SUPER_MAGIC: u64 = 0x0027_e0eb;
    const CGROUP2_SUPER_MAGIC: u64 = 0x6367_7270;
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else { return false };
    let mut buf = [0u64; 32]; // struct statfs is 120 bytes
    // SAFETY: c is NUL-terminated; buf is larger than struct statfs.
    if unsafe { statfs(c.as_ptr(), buf.as_mut_ptr()) } != 0 {
        return false;
    }
    matches!(buf[0], CGROUP_SUPER_MAGIC | CGROUP2_SUPER_MAGIC)
}

pub fn read(dir: &Path, file: &str) -> Result<String> {
    let path = dir.join(file);
    std::fs::read_to_string(&path).map_err(|e| Error::new("read", &path, e))
}

pub fn exists(dir: &Path, file: &str) -> bool {
    dir.join(file).exists()
}

/// A single number, or `None` for `max`.
pub fn read_u64(dir: &Path, file: &str) -> Result<Option<u64>> {
    let s = read(dir, file)?;
    let t = s.trim();
    if t == "max" {
        return Ok(None);
    }
    t.parse::<u64>().map(Some).map_err(|_| parse_err(dir, file, t))
}

/// `key value` lines (`memory.stat`, `memory.events`, `cpu.stat`, `memory.oom_control`).
pub fn read_keyed(dir: &Path, file: &str, key: &str) -> Result<Option<u64>> {
    let s = read(dir, file)?;
    for line in s.lines() {
        let mut it = line.split_whitespace();
        if it.next() == Some(key) {
            let v = it.next().unwrap_or("");
            return v.parse().map(Some).map_err(|_| parse_err(dir, file, line));
        }
    }
    Ok(None)
}

fn parse_err(dir: &Path, file: &str, text: &str) -> Error {
    Error::other("parse", dir.join(file), ErrorKind::InvalidData, format!("unexpected content {text:?}"))
}

/// `cgroup.procs` as pids.
pub fn read_pids(dir: &Path) -> Result<Vec<u32>> {
    let s = read(dir, "cgroup.procs")?;
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim().parse().map_err(|_| parse_err(dir, "cgroup.procs", l)))
        .collect()
}

/// `mkdir`, accepting an existing directory.
pub fn mkdir(dir: &Path) -> Result<bool> {
    match std::fs::create_dir(dir) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::new("mkdir", dir, e)),
    }
}

const EBUSY: i32 = 16;

/// `rmdir`, retrying for about a second while the kernel still reports EBUSY (tasks that are
/// exiting); a missing directory is success.
pub fn rmdir(dir: &Path) -> Result<()> {
    let mut delay = Duration::from_millis(2);
    for attempt in 0.. {
        match std::fs::remove_dir(dir) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
            Err(e) if e.raw_os_error() == Some(EBUSY) && attempt < 20 => {
                std::thread::sleep(delay);
                delay = (delay * 2).min(Duration::from_millis(100));
            }
            Err(e) => return Err(Error::new("rmdir", dir, e)),
        }
    }
    unreachable!()
}

/// Polls `cond` until it holds or about `timeout` elapses.
pub fn wait_until(timeout: Duration, mut cond: impl FnMut() -> Result<bool>) -> Result<bool> {
    let start = std::time::Instant::now();
    let mut delay = Duration::from_micros(200);
    loop {
        if cond()? {
            return Ok(true);
        }
        if start.elapsed() >= timeout {
            return Ok(false);
        }
        std::thread::sleep(delay);
        delay = (delay * 2).min(Duration::from_millis(20));
    }
}

extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}

/// `kill(2)`; ESRCH (already gone) is success.
pub fn kill(dir: &Path, pid: u32, sig: i32) -> Result<()> {
    // SAFETY: plain syscall wrapper with integer arguments.
    if unsafe { libc_kill(pid as i32, sig) } == 0 {
        return Ok(());
    }
    let e = std::io::Error::last_os_error();
    if e.raw_os_error() == Some(3) {
        return Ok(());
    }
    Err(Error::new(format!("kill {pid} signal {sig}"), dir, e))
}
