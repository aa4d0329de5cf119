//! ocikit-monitor: the parent of a detached container's PID 1.
//!
//! `ocikit-monitor <state-dir> [--cgroup <dir>]... [--no-default-seccomp]`
//!
//! Reads `<state-dir>/config.json`, starts the container, prints one JSON line on stdout (the
//! `monitor.json` record, or `{"error":…}`), detaches from it, then logs and records the exit.

use ocikit::monitor::{self, logfmt::json_string, Config};
use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut cfg = Config { default_seccomp: true, ..Config::default() };
    let mut state = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--cgroup" => cfg.cgroup_dirs.extend(args.next()),
            "--no-default-seccomp" => cfg.default_seccomp = false,
            _ if state.is_none() => state = Some(a),
            _ => {
                eprintln!("ocikit-monitor: unexpected argument {a:?}");
                std::process::exit(2);
            }
        }
    }
    let Some(state) = state else {
        eprintln!("usage: ocikit-monitor <state-dir> [--cgroup <dir>]... [--no-default-seccomp]");
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
