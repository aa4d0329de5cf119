//! ocikit-monitor: the parent of a detached container's PID 1.
//!
//! `ocikit-monitor <state-dir> [--cgroup <dir>]... [--no-default-seccomp] [--disposable <owner-pid>[:<start-time>]]`
//!
//! Reads `<state-dir>/config.json`, starts the container, prints one JSON line on stdout (the
//! `monitor.json` record, or `{"error":…}`), detaches from it, then logs and records the exit.

use ocikit::monitor::{self, logfmt::json_string, Config};
use std::io::Write;

fn main() {
    // Whatever its starter's ancestors left open (a `$(…)` pipe, a CI log collector's pipe) would stay
    // open for the container's whole life and keep readers waiting: close every fd above stdio
    // before opening anything of our own.
    let _ = unsafe { ocikit::sc!(ocikit::sys::nr::CLOSE_RANGE, 3, u32::MAX, 0) };
    // its own session, away from its starter's terminal and its signals (the addon starts it with
    // posix_spawn; EPERM when the starter already made it a session leader, as `detached` spawns do)
    let _ = unsafe { ocikit::sc!(ocikit::sys::nr::SETSID) };
    let mut args = std::env::args().skip(1);
    let mut cfg = Config { default_seccomp: true, ..Config::default() };
    let mut state = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--cgroup" => cfg.cgroup_dirs.extend(args.next()),
            "--no-default-seccomp" => cfg.default_seccomp = false,
            "--disposable" => {
                // <owner-pid>[:<owner-start-time>]
                let v = args.next().unwrap_or_default();
                let (pid, start) = v.split_once(':').map_or((v.as_str(), None), |(p, t)| (p, Some(t)));
                match (pid.parse::<i32>(), start.map(str::parse::<u64>).transpose()) {
                    (Ok(p), Ok(t)) if p > 0 => cfg.owner = Some((p, t)),
                    _ => {
                        eprintln!("ocikit-monitor: --disposable needs <owner-pid>[:<start-time>], got {v:?}");
                        std::process::exit(2);
                    }
                }
            }
            _ if state.is_none() => state = Some(a),
            _ => {
                eprintln!("ocikit-monitor: unexpected argument {a:?}");
                std::process::exit(2);
            }
        }
    }
    let Some(state) = state else {
        eprintln!("usage: ocikit-monitor <state-dir> [--cgroup <dir>]... [--no-default-seccomp] [--disposable <owner-pid>[:<start-time>]]");
        std::process::exit(2);
    };
    cfg.state_dir = state.into();
    // a session of its own: the caller's terminal and process group signals do not reach it
    let _ = unsafe { ocikit::sc!(ocikit::sys::nr::SETSID) };
    let mut ready = |line: &str| {
        let mut out = std::io::stdout();
        let _ = out.write_all(line.as_bytes());
        let _ = out.flush();
        detach_stdio();
        trim_resident();
    };
    match monitor::run(&cfg, &mut ready) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            let line = format!(
                "{{\"error\":{{\"message\":{},\"errno\":{},\"code\":{},\"syscall\":{},\"path\":{}}}}}\n",
                json_string(&e.to_string()),
                e.errno.0,
                json_string(&e.errno.name()),
                json_string(&e.step),
                e.path.as_deref().map(json_string).unwrap_or_else(|| "null".into())
            );
            let _ = std::io::stdout().write_all(line.as_bytes());
            let _ = std::io::stderr().write_all(line.as_bytes());
            std::process::exit(1);
        }
    }
}

/// Points 0, 1, 2 at /dev/null so the starter can go away without SIGPIPE reaching us.
fn detach_stdio() {
    use std::os::fd::AsRawFd;
    if let Ok(null) = std::fs::OpenOptions::new().read(true).write(true).open("/dev/null") {
        for fd in 0..3 {
            let _ = unsafe { ocikit::sc!(ocikit::sys::nr::DUP3, null.as_raw_fd(), fd, 0) };
        }
    }
}

extern "C" {
    fn madvise(addr: *mut std::ffi::c_void, len: usize, advice: i32) -> i32;
    fn malloc_trim(pad: usize) -> i32;
}

/// Drops the start-up code from our resident set: once the container runs, the monitor only needs
/// a few pages of its text. For each file-backed mapping that is not writable and holds no
/// anonymous (copied-on-write) pages: `MADV_RANDOM` (no fault-around: later faults map one page,
/// not 16) and `MADV_DONTNEED` (unmap; the pages stay in the page cache, shared by every monitor).
/// With hundreds of monitors this keeps each one's RSS to the pages its loop touches.
fn trim_resident() {
    const MADV_RANDOM: i32 = 1;
    const MADV_DONTNEED: i32 = 4;
    let Ok(smaps) = std::fs::read_to_string("/proc/self/smaps") else { return };
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for line in smaps.lines() {
        let mut it = line.split_whitespace();
        let first = it.next().unwrap_or("");
        if let Some((a, b)) = first.split_once('-').filter(|(a, _)| a.bytes().all(|c| c.is_ascii_hexdigit())) {
            let perms = it.next().unwrap_or("");
            let path = line.split_whitespace().nth(5).unwrap_or("");
            current = None;
            if perms.len() == 4 && !perms.contains('w') && path.starts_with('/') {
                if let (Ok(a), Ok(b)) = (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16)) {
                    current = Some((a, b));
                }
            }
        } else if first == "Anonymous:" {
            if let Some(r) = current.take() {
                if it.next() == Some("0") {
                    ranges.push(r);
                }
            }
        }
    }
    drop(smaps);
    // SAFETY: glibc call without preconditions; returns freed heap pages (spec, plan) to the kernel.
    unsafe { malloc_trim(0) };
    for (a, b) in ranges {
        // SAFETY: read-only file mappings without private copies: dropping them only costs a re-fault.
        unsafe {
            madvise(a as *mut std::ffi::c_void, b - a, MADV_RANDOM);
            madvise(a as *mut std::ffi::c_void, b - a, MADV_DONTNEED);
        }
    }
}
