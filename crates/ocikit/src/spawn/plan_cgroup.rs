//! The cgroup part of a [`super::plan::Plan`]: a v2 cgroup is entered atomically at clone time
//! (`CLONE_INTO_CGROUP`, through an fd of its directory); v1 hierarchies are joined by the child,
//! which writes to each `cgroup.procs`.

use super::plan::cs;
use crate::sys::{Errno, SysError};
use rustix::fd::IntoRawFd;
use rustix::fs::{Mode, OFlags};
use std::ffi::CString;

pub struct Cgroups {
    /// The v2 cgroup directory the process is cloned into.
    pub fd: Option<i32>,
    /// The `cgroup.procs` files the child joins.
    pub procs: Vec<CString>,
}

pub fn cgroups(cgroup_procs: &[String]) -> Result<Cgroups, SysError> {
    let mut cg = Cgroups { fd: None, procs: Vec::new() };
    for procs in cgroup_procs {
        let dir = procs.strip_suffix("/cgroup.procs").unwrap_or(procs);
        if cg.fd.is_none() && std::path::Path::new(dir).join("cgroup.controllers").exists() {
            let c = cs(dir, "cgroup path")?;
            let fd = rustix::fs::open(c.as_c_str(), OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
                .map_err(|e| SysError::at(Errno(e.raw_os_error()), "open cgroup", dir))?;
            cg.fd = Some(fd.into_raw_fd());
        } else {
            cg.procs.push(cs(procs, "cgroup path")?);
        }
    }
    Ok(cg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_v2_directory_is_opened_once_and_the_rest_joined_by_the_child() {
        let base = std::env::temp_dir().join(format!("ocikit-plan-cg-{}", std::process::id()));
        for d in ["a", "b", "v1"] {
            std::fs::create_dir_all(base.join(d)).unwrap();
        }
        std::fs::write(base.join("a/cgroup.controllers"), b"").unwrap();
        std::fs::write(base.join("b/cgroup.controllers"), b"").unwrap();
        let p = |d: &str| base.join(d).join("cgroup.procs").to_str().unwrap().to_string();
        let cg = cgroups(&[p("v1"), p("a"), p("b")]).unwrap();
        let fd = cg.fd.expect("the first v2 directory is opened");
        let path = std::fs::read_link(format!("/proc/self/fd/{fd}")).unwrap();
        assert_eq!(path, base.join("a"));
        let procs: Vec<String> = cg.procs.iter().map(|c| c.to_str().unwrap().to_string()).collect();
        assert_eq!(procs, [p("v1"), p("b")]);
        // SAFETY: the fd was opened for the plan part and nothing else owns it.
        drop(unsafe { <rustix::fd::OwnedFd as rustix::fd::FromRawFd>::from_raw_fd(fd) });
        std::fs::remove_dir_all(&base).unwrap();
    }
}
