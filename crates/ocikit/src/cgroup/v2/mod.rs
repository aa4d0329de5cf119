//! cgroup v2: one directory in the unified hierarchy.

pub mod cpu;
pub mod cpuset;
pub mod freezer;
pub mod memory;
pub mod pids;

use super::error::{Error, Result};
use super::fs;
use super::resources::Resources;
use super::stats::Stats;
use super::{check_name, CgroupManager, SIGKILL};
use std::io::ErrorKind;
use std::os::fd::OwnedFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Controllers a container cgroup asks its ancestors to delegate.
pub const CONTROLLERS: &[&str] = &["cpuset", "cpu", "memory", "pids"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manager {
    dir: PathBuf,
}

impl Manager {
    /// Creates `name` under `base`, enabling [`CONTROLLERS`] (those `base` offers) in
    /// `cgroup.subtree_control` of `base` and of every intermediate level, never in the leaf.
    ///
    /// Enabling is best effort: a `base` that holds processes refuses it (EBUSY, the "no
    /// internal processes" rule), and then `apply` reports the missing interface files.
    pub fn create(base: &Path, name: &str) -> Result<Manager> {
        check_name(name)?;
        let offered = if fs::exists(base, "cgroup.controllers") { fs::read(base, "cgroup.controllers")? } else { String::new() };
        let enable: Vec<String> =
            CONTROLLERS.iter().filter(|c| offered.split_whitespace().any(|o| o == **c)).map(|c| format!("+{c}")).collect();
        let enable = enable.join(" ");
        let mut dir = base.to_path_buf();
        for part in name.split('/') {
            if !enable.is_empty() {
                let _ = fs::write(&dir, "cgroup.subtree_control", &enable);
            }
            dir.push(part);
            fs::mkdir(&dir)?;
        }
        Ok(Manager { dir })
    }

    pub fn open(base: &Path, name: &str) -> Result<Manager> {
        check_name(name)?;
        Ok(Manager { dir: base.join(name) })
    }

    /// The manager for a known directory.
    pub fn from_dir(dir: PathBuf) -> Manager {
        Manager { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `open(dir, O_PATH|O_DIRECTORY|O_CLOEXEC)` for `clone3`'s `CLONE_INTO_CGROUP`.
    pub fn cgroup_fd(&self) -> Result<OwnedFd> {
        const O_PATH: i32 = 0o10_000_000;
        #[cfg(target_arch = "aarch64")]
        const O_DIRECTORY: i32 = 0o40_000;
        #[cfg(not(target_arch = "aarch64"))]
        const O_DIRECTORY: i32 = 0o200_000;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(O_PATH | O_DIRECTORY)
            .open(&self.dir)
            .map(OwnedFd::from)
            .map_err(|e| Error::new("open O_PATH", &self.dir, e))
    }

    fn wait_empty(&self, timeout: Duration) -> Result<bool> {
        fs::wait_until(timeout, || Ok(fs::read_pids(&self.dir)?.is_empty()))
    }
}

impl CgroupManager for Manager {
    fn apply(&self, r: &Resources) -> Result<()> {
        if let Some(m) = &r.memory {
            memory::apply(&self.dir, m)?;
        }
        if let Some(p) = &r.pids {
            pids::apply(&self.dir, p)?;
        }
        if r.devices.as_ref().is_some_and(|d| !d.is_empty()) {
            // v2 device control is an eBPF program attached to the cgroup: not implemented
            return Err(Error::other("devices", &self.dir, ErrorKind::Unsupported, "device rules need a BPF_CGROUP_DEVICE program on cgroup v2"));
        }
        if let Some(c) = &r.cpu {
            cpu::apply(&self.dir, c)?;
            cpuset::apply(&self.dir, c)?;
        }
        Ok(())
    }

    fn add_pid(&self, pid: u32) -> Result<()> {
        fs::write(&self.dir, "cgroup.procs", &pid.to_string())
    }

    fn procs(&self) -> Result<Vec<u32>> {
        fs::read_pids(&self.dir)
    }

    fn freeze(&self) -> Result<()> {
        freezer::freeze(&self.dir)
    }

    fn thaw(&self) -> Result<()> {
        freezer::thaw(&self.dir)
    }

    fn stats(&self) -> Result<Stats> {
        let d = &self.dir;
        Ok(Stats {
            memory: if fs::exists(d, "memory.current") { memory::stats(d)? } else { Default::default() },
            cpu: if fs::exists(d, "cpu.stat") { cpu::stats(d)? } else { Default::default() },
            pids: if fs::exists(d, "pids.current") { pids::stats(d)? } else { Default::default() },
        })
    }

    fn oom_kill_count(&self) -> Result<u64> {
        memory::oom_kill_count(&self.dir)
    }

    /// SIGKILL through `cgroup.kill` (5.14+) when present; otherwise freeze, signal each
    /// task, thaw, and for SIGKILL repeat until empty.
    fn kill_all(&self, sig: i32) -> Result<()> {
        let d = &self.dir;
        if sig == SIGKILL && fs::exists(d, "cgroup.kill") {
            fs::write(d, "cgroup.kill", "1")?;
            if self.wait_empty(Duration::from_secs(5))? {
                return Ok(());
            }
            return Err(Error::other("kill_all", d.join("cgroup.procs"), ErrorKind::TimedOut, "tasks remain 5 s after cgroup.kill"));
        }
        for _ in 0..100 {
            freezer::freeze(d)?;
            let signalled = fs::read_pids(d).map(|p| p.iter().try_for_each(|pid| fs::kill(d, *pid, sig)));
            freezer::thaw(d)?;
            signalled??;
            if sig != SIGKILL || self.wait_empty(Duration::from_millis(100))? {
                return Ok(());
            }
        }
        Err(Error::other("kill_all", d.join("cgroup.procs"), ErrorKind::TimedOut, "tasks remain after 100 rounds"))
    }

    fn remove(&self) -> Result<()> {
        fs::rmdir(&self.dir)
    }

    fn paths(&self) -> Vec<PathBuf> {
        vec![self.dir.clone()]
    }
}
