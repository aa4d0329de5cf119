//! A [`Syscall`] double for unit tests: records every call as one line (`op arg arg ...`), fails
//! the calls it is told to with an errno, and hands out fake fds, which it remembers by the path
//! they were opened from so that lines show `<path>` instead of a number (`/proc/self/fd/N` too).

use super::child::Fail;
use super::syscall::{Fd, Res, Syscall};
use crate::sys::Errno;
use rustix::fs::{Dev, FileType, Mode, OFlags};
use rustix::mount::{MountFlags, MountPropagationFlags, UnmountFlags};
use rustix::thread::{LinkNameSpaceType, ThreadNameSpaceType, UnshareFlags};
use std::cell::{Cell, RefCell};
use std::ffi::CStr;
use std::fmt::Debug;

struct Rule {
    op: &'static str,
    needle: String,
    errno: Errno,
    once: bool,
}

#[derive(Default)]
pub struct Recorder {
    calls: RefCell<Vec<String>>,
    rules: RefCell<Vec<Rule>>,
    open: RefCell<Vec<(Fd, String)>>,
    next: Cell<Fd>,
    types: RefCell<Vec<(String, FileType)>>,
}

/// `MountFlags(BIND | REC)` → `BIND|REC`.
fn flags<T: Debug>(f: T) -> String {
    let d = format!("{f:?}");
    let inner = d.find('(').map_or(d.as_str(), |i| &d[i + 1..d.len() - 1]);
    inner.replace(' ', "")
}

fn text(c: &CStr) -> String {
    c.to_string_lossy().into_owned()
}

impl Recorder {
    pub fn new() -> Recorder {
        Recorder { next: Cell::new(100), ..Recorder::default() }
    }

    /// Every call of `op` whose line contains `needle` fails with `errno`.
    pub fn fail(self, op: &'static str, needle: &str, errno: Errno) -> Recorder {
        self.rules.borrow_mut().push(Rule { op, needle: needle.into(), errno, once: false });
        self
    }

    /// Only the first such call fails.
    pub fn fail_once(self, op: &'static str, needle: &str, errno: Errno) -> Recorder {
        self.rules.borrow_mut().push(Rule { op, needle: needle.into(), errno, once: true });
        self
    }

    /// What `lstat_type` says of `path` (a directory unless told otherwise).
    pub fn with_type(self, path: &str, kind: FileType) -> Recorder {
        self.types.borrow_mut().push((path.into(), kind));
        self
    }

    pub fn calls(&self) -> Vec<String> {
        self.calls.borrow().clone()
    }

    /// The calls whose op is one of `ops`.
    pub fn only(&self, ops: &[&str]) -> Vec<String> {
        self.calls().into_iter().filter(|c| ops.contains(&c.split(' ').next().unwrap_or(""))).collect()
    }

    /// The fds opened and not closed yet (by the path they were opened from).
    pub fn still_open(&self) -> Vec<String> {
        self.open.borrow().iter().map(|(_, p)| p.clone()).collect()
    }

    fn fd_name(&self, fd: Fd) -> String {
        match self.open.borrow().iter().find(|(f, _)| *f == fd) {
            Some((_, p)) => format!("<{p}>"),
            None => format!("fd{fd}"),
        }
    }

    /// A path, with `/proc/self/fd/N` shown as the fd it names.
    fn path(&self, c: &CStr) -> String {
        let s = text(c);
        match s.strip_prefix("/proc/self/fd/").and_then(|n| n.parse::<Fd>().ok()) {
            Some(fd) => self.fd_name(fd),
            None => s,
        }
    }

    /// Records `op args` and returns the errno a rule gives it, if any.
    fn call(&self, op: &'static str, args: &[String]) -> Res {
        let mut line = String::from(op);
        for a in args {
            line.push(' ');
            line.push_str(a);
        }
        let mut rules = self.rules.borrow_mut();
        let hit = rules.iter().position(|r| r.op == op && line.contains(&r.needle));
        let result = match hit {
            Some(i) => {
                let errno = rules[i].errno;
                if rules[i].once {
                    rules.remove(i);
                }
                line.push_str(&format!(" = {}", errno.name()));
                Err(errno)
            }
            None => Ok(()),
        };
        self.calls.borrow_mut().push(line);
        result
    }

    fn new_fd(&self, label: String) -> Fd {
        let fd = self.next.get();
        self.next.set(fd + 1);
        self.open.borrow_mut().push((fd, label));
        fd
    }
}

impl Syscall for Recorder {
    fn unshare(&self, f: UnshareFlags) -> Res {
        self.call("unshare", &[flags(f)])
    }
    fn setns(&self, fd: Fd, nstype: LinkNameSpaceType) -> Res {
        self.call("setns", &[self.fd_name(fd), format!("{nstype:?}")])
    }
    fn setns_pidfd(&self, pidfd: Fd, types: ThreadNameSpaceType) -> Res {
        self.call("setns_pidfd", &[self.fd_name(pidfd), flags(types)])
    }
    fn sethostname(&self, name: &CStr) -> Res {
        self.call("sethostname", &[text(name)])
    }
    fn setdomainname(&self, name: &CStr) -> Res {
        self.call("setdomainname", &[text(name)])
    }
    fn umask(&self, mask: Mode) {
        let _ = self.call("umask", &[format!("{:o}", mask.bits())]);
    }
    fn loopback_up(&self) -> Result<(), Fail> {
        self.call("loopback_up", &[]).map_err(|errno| Fail { step: "bring lo up", errno, path: None })
    }

    fn open(&self, path: &CStr, f: OFlags, mode: Mode) -> Res<Fd> {
        self.call("open", &[text(path), flags(f), format!("{:o}", mode.bits())])?;
        Ok(self.new_fd(text(path)))
    }
    fn openat(&self, dir: Fd, name: &CStr, f: OFlags, mode: Mode) -> Res<Fd> {
        let d = self.fd_name(dir);
        self.call("openat", &[d.clone(), text(name), flags(f), format!("{:o}", mode.bits())])?;
        Ok(self.new_fd(format!("{}/{}", d.trim_matches(['<', '>']), text(name))))
    }
    fn open_in_root(&self, root: Fd, path: &CStr, f: OFlags) -> Res<Fd> {
        self.call("open_in_root", &[self.fd_name(root), text(path), flags(f)])?;
        Ok(self.new_fd(text(path)))
    }
    fn close(&self, fd: Fd) {
        let mut open = self.open.borrow_mut();
        let i = open.iter().position(|(f, _)| *f == fd).unwrap_or_else(|| panic!("close of fd {fd}, not open"));
        open.remove(i);
    }
    fn write(&self, fd: Fd, data: &[u8]) -> Res<usize> {
        self.call("write", &[self.fd_name(fd), String::from_utf8_lossy(data).into_owned()])?;
        Ok(data.len())
    }
    fn mkdirat(&self, dir: Fd, name: &CStr, mode: Mode) -> Res {
        self.call("mkdirat", &[self.fd_name(dir), text(name), format!("{:o}", mode.bits())])
    }
    fn mknodat(&self, dir: Fd, name: &CStr, kind: FileType, mode: Mode, dev: Dev) -> Res {
        let args = [self.fd_name(dir), text(name), format!("{kind:?}"), format!("{:o}", mode.bits()), format!("{dev:#x}")];
        self.call("mknodat", &args)
    }
    fn lchownat(&self, dir: Fd, name: &CStr, uid: u32, gid: u32) -> Res {
        self.call("lchownat", &[self.fd_name(dir), text(name), format!("{uid}:{gid}")])
    }
    fn symlinkat(&self, target: &CStr, dir: Fd, name: &CStr) -> Res {
        self.call("symlinkat", &[text(target), self.fd_name(dir), text(name)])
    }
    fn lstat_type(&self, path: &CStr) -> Res<FileType> {
        self.call("lstat", &[text(path)])?;
        let types = self.types.borrow();
        Ok(types.iter().find(|(p, _)| *p == text(path)).map_or(FileType::Directory, |(_, t)| *t))
    }
    fn fchdir(&self, fd: Fd) -> Res {
        self.call("fchdir", &[self.fd_name(fd)])
    }
    fn chdir(&self, path: &CStr) -> Res {
        self.call("chdir", &[text(path)])
    }

    fn mount(&self, source: &CStr, target: &CStr, fstype: &CStr, f: MountFlags, data: Option<&CStr>) -> Res {
        let data = data.map_or("-".into(), text);
        self.call("mount", &[text(source), self.path(target), text(fstype), flags(f), data])
    }
    fn bind(&self, source: &CStr, target: &CStr, recursive: bool) -> Res {
        self.call(if recursive { "rbind" } else { "bind" }, &[text(source), self.path(target)])
    }
    fn remount(&self, target: &CStr, f: MountFlags) -> Res {
        self.call("remount", &[self.path(target), flags(f)])
    }
    fn propagate(&self, target: &CStr, f: MountPropagationFlags) -> Res {
        self.call("propagate", &[self.path(target), flags(f)])
    }
    fn unmount(&self, target: &CStr, f: UnmountFlags) -> Res {
        self.call("unmount", &[self.path(target), flags(f)])
    }
    fn pivot_root(&self, new_root: &CStr, put_old: &CStr) -> Res {
        self.call("pivot_root", &[text(new_root), text(put_old)])
    }
}
