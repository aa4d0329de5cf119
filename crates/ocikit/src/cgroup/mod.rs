//! Cgroups: one manager per version behind [`CgroupManager`], one file per controller.
//!
//! ```ignore
//! let cg = Cgroup::create("ocikit/<id>")?;      // under the caller's own cgroup
//! cg.apply(&resources)?;
//! // v2: pass cg.cgroup_fd()? to clone3(CLONE_INTO_CGROUP); v1: cg.add_pid(pid)? right after clone
//! cg.kill_all(SIGKILL)?; cg.remove()?;
//! ```
//! A relative `cgroupsPath` is created under the caller's own cgroup in each hierarchy; an
//! absolute one under the hierarchy's root as mounted. On hybrid hosts v1 is used.

pub mod detect;
pub mod error;
pub mod fs;
pub mod resources;
pub mod stats;
pub mod v1;
pub mod v2;
#[cfg(test)]
mod tests;

pub use detect::Version;
pub use error::{Error, Result};
pub use resources::{Cpu, DeviceRule, Memory, Pids, Resources};
pub use stats::{CpuStats, MemoryStats, PidsStats, Stats};

use std::io::ErrorKind;
use std::os::fd::OwnedFd;
use std::path::PathBuf;

pub const SIGKILL: i32 = 9;

/// What the rest of the crate does with a container's cgroup, whatever the version.
pub trait CgroupManager {
    fn apply(&self, r: &Resources) -> Result<()>;
    /// Moves a process (all its threads) in.
    fn add_pid(&self, pid: u32) -> Result<()>;
    fn procs(&self) -> Result<Vec<u32>>;
    /// Returns once the kernel reports the cgroup frozen.
    fn freeze(&self) -> Result<()>;
    fn thaw(&self) -> Result<()>;
    fn stats(&self) -> Result<Stats>;
    /// How many processes the OOM killer killed in this cgroup.
    fn oom_kill_count(&self) -> Result<u64>;
    fn oom_killed(&self) -> Result<bool> {
        Ok(self.oom_kill_count()? > 0)
    }
    /// Signals every process; for SIGKILL returns once the cgroup is empty.
    fn kill_all(&self, sig: i32) -> Result<()>;
    /// Removes the container's directory in each hierarchy (not shared parents like `ocikit/`).
    fn remove(&self) -> Result<()>;
    fn paths(&self) -> Vec<PathBuf>;
}

/// A relative `a/b` name: no empty, `.` or `..` component.
pub fn check_name(name: &str) -> Result<()> {
    if name.is_empty() || name.split('/').any(|p| p.is_empty() || p == "." || p == "..") {
        return Err(Error::other("check name", name, ErrorKind::InvalidInput, "cgroup path must be a relative a/b path"));
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cgroup {
    V1(v1::Manager),
    V2(v2::Manager),
}

struct Host {
    version: Version,
    mounts: Vec<detect::Mount>,
    member: Vec<detect::Membership>,
}

fn host() -> Result<Host> {
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| Error::new("read", p, e));
    let mounts = detect::parse_mountinfo(&read("/proc/self/mountinfo")?);
    let member = detect::parse_proc_cgroup(&read("/proc/self/cgroup")?);
    let version = detect::version(&mounts)
        .ok_or_else(|| Error::other("detect", "/proc/self/mountinfo", ErrorKind::NotFound, "no cgroup mounted"))?;
    Ok(Host { version, mounts, member })
}

/// The host's layout (v1, hybrid or v2).
pub fn version() -> Result<Version> {
    Ok(host()?.version)
}

impl Cgroup {
    /// Creates the cgroup for OCI `cgroupsPath` `path` (see module docs).
    pub fn create(path: &str) -> Result<Cgroup> {
        Cgroup::locate(path, true)
    }

    /// The cgroup for `path` without creating anything (e.g. from another process).
    pub fn open(path: &str) -> Result<Cgroup> {
        Cgroup::locate(path, false)
    }

    fn locate(path: &str, create: bool) -> Result<Cgroup> {
        let h = host()?;
        let own = !path.starts_with('/');
        let name = path.trim_start_matches('/');
        match h.version {
            Version::V1 | Version::Hybrid => {
                let bases = detect::v1_bases(&h.mounts, &h.member, own);
                Ok(Cgroup::V1(if create { v1::Manager::create(&bases, name)? } else { v1::Manager::open(&bases, name)? }))
            }
            Version::V2 => {
                let base = detect::v2_base(&h.mounts, &h.member, own)
                    .ok_or_else(|| Error::other("detect", "/proc/self/mountinfo", ErrorKind::NotFound, "no cgroup2 mount"))?;
                Ok(Cgroup::V2(if create { v2::Manager::create(&base, name)? } else { v2::Manager::open(&base, name)? }))
            }
        }
    }

    /// The cgroup whose directories are `dirs` (what [`CgroupManager::paths`] returned, possibly
    /// in another process): each directory's hierarchy is found from the mount it lives on. On a
    /// hybrid host v1 directories win over a cgroup2 one.
    pub fn from_dirs(dirs: &[PathBuf]) -> Result<Cgroup> {
        let h = host()?;
        let mut v1 = Vec::new();
        let mut v2 = None;
        for d in dirs {
            let m = h
                .mounts
                .iter()
                .filter(|m| d.starts_with(&m.mount_point))
                .max_by_key(|m| m.mount_point.as_os_str().len())
                .ok_or_else(|| Error::other("locate", d, ErrorKind::InvalidInput, "not on a cgroup filesystem"))?;
            if m.fstype == "cgroup2" {
                v2.get_or_insert_with(|| d.clone());
                continue;
            }
            for c in v1::Controller::ALL {
                if m.options.iter().any(|o| o == c.name()) && !v1.iter().any(|(x, _)| x == c) {
                    v1.push((*c, d.clone()));
                }
            }
        }
        match (v1.is_empty(), v2) {
            (false, _) => Ok(Cgroup::V1(v1::Manager::from_dirs(v1))),
            (true, Some(d)) => Ok(Cgroup::V2(v2::Manager::from_dir(d))),
            (true, None) => Err(Error::other("locate", "", ErrorKind::InvalidInput, "no cgroup directory given")),
        }
    }

    /// Removes the cgroup once its processes are gone: waits up to `timeout` for `cgroup.procs`
    /// to drain (exiting tasks), then removes each directory (rmdir retries on EBUSY). A cgroup
    /// already removed is success; one still holding processes is EBUSY.
    pub fn remove_when_empty(&self, timeout: std::time::Duration) -> Result<()> {
        let empty = fs::wait_until(timeout, || match self.procs() {
            Ok(p) => Ok(p.is_empty()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(true),
            Err(e) => Err(e),
        })?;
        if !empty {
            let p = self.paths().into_iter().next().unwrap_or_default();
            return Err(Error::new("remove", p, std::io::Error::from_raw_os_error(16)));
        }
        self.remove()
    }

    /// For `CLONE_INTO_CGROUP`: `Some(fd)` on v2, `None` on v1 (use `add_pid`).
    pub fn cgroup_fd(&self) -> Result<Option<OwnedFd>> {
        match self {
            Cgroup::V1(_) => Ok(None),
            Cgroup::V2(m) => m.cgroup_fd().map(Some),
        }
    }

    fn inner(&self) -> &dyn CgroupManager {
        match self {
            Cgroup::V1(m) => m,
            Cgroup::V2(m) => m,
        }
    }
}

impl CgroupManager for Cgroup {
    fn apply(&self, r: &Resources) -> Result<()> {
        self.inner().apply(r)
    }
    fn add_pid(&self, pid: u32) -> Result<()> {
        self.inner().add_pid(pid)
    }
    fn procs(&self) -> Result<Vec<u32>> {
        self.inner().procs()
    }
    fn freeze(&self) -> Result<()> {
        self.inner().freeze()
    }
    fn thaw(&self) -> Result<()> {
        self.inner().thaw()
    }
    fn stats(&self) -> Result<Stats> {
        self.inner().stats()
    }
    fn oom_kill_count(&self) -> Result<u64> {
        self.inner().oom_kill_count()
    }
    fn kill_all(&self, sig: i32) -> Result<()> {
        self.inner().kill_all(sig)
    }
    fn remove(&self) -> Result<()> {
        self.inner().remove()
    }
    fn paths(&self) -> Vec<PathBuf> {
        self.inner().paths()
    }
}
