//! cgroup v1: one directory per hierarchy, one file per controller.

pub mod cpu;
pub mod cpuacct;
pub mod cpuset;
pub mod devices;
pub mod freezer;
pub mod memory;
pub mod pids;

use super::error::{Error, Result};
use super::fs;
use super::resources::Resources;
use super::stats::Stats;
use super::{check_name, CgroupManager, SIGKILL};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Controller {
    Memory,
    Pids,
    Cpu,
    Cpuacct,
    Cpuset,
    Freezer,
    Devices,
}

impl Controller {
    /// The hierarchies a container cgroup is created in (when mounted).
    pub const ALL: &'static [Controller] = &[
        Controller::Memory,
        Controller::Pids,
        Controller::Cpu,
        Controller::Cpuacct,
        Controller::Cpuset,
        Controller::Freezer,
        Controller::Devices,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Controller::Memory => "memory",
            Controller::Pids => "pids",
            Controller::Cpu => "cpu",
            Controller::Cpuacct => "cpuacct",
            Controller::Cpuset => "cpuset",
            Controller::Freezer => "freezer",
            Controller::Devices => "devices",
        }
    }
}

/// A container's cgroup in every mounted v1 hierarchy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manager {
    dirs: Vec<(Controller, PathBuf)>,
}

impl Manager {
    /// Creates `name` (relative, `/`-separated) under each base directory, level by level;
    /// cpuset levels inherit `cpus`/`mems`. Existing directories are reused.
    pub fn create(bases: &[(Controller, PathBuf)], name: &str) -> Result<Manager> {
        check_name(name)?;
        let mut dirs = Vec::with_capacity(bases.len());
        for (c, base) in bases {
            let mut dir = base.clone();
            for part in name.split('/') {
                dir.push(part);
                fs::mkdir(&dir)?;
                if *c == Controller::Cpuset {
                    cpuset::inherit(&dir)?;
                }
            }
            dirs.push((*c, dir));
        }
        Ok(Manager { dirs })
    }

    /// The manager for known directories (e.g. `paths()` recorded by another process).
    pub fn from_dirs(dirs: Vec<(Controller, PathBuf)>) -> Manager {
        Manager { dirs }
    }

    /// The manager for an existing cgroup (nothing is created or checked).
    pub fn open(bases: &[(Controller, PathBuf)], name: &str) -> Result<Manager> {
        check_name(name)?;
        Ok(Manager { dirs: bases.iter().map(|(c, b)| (*c, b.join(name))).collect() })
    }

    pub fn dir(&self, c: Controller) -> Option<&Path> {
        self.dirs.iter().find(|(x, _)| *x == c).map(|(_, d)| d.as_path())
    }

    fn need(&self, c: Controller) -> Result<&Path> {
        self.dir(c).ok_or_else(|| {
            Error::other(format!("{} controller", c.name()), "", ErrorKind::NotFound, "hierarchy not mounted")
        })
    }

    /// Distinct directories (co-mounted controllers share one).
    fn unique_dirs(&self) -> Vec<&Path> {
        let mut v: Vec<&Path> = Vec::new();
        for (_, d) in &self.dirs {
            if !v.contains(&d.as_path()) {
                v.push(d);
            }
        }
        v
    }

    /// The directory whose `cgroup.procs` we list: the freezer's, as kill_all freezes it.
    fn procs_dir(&self) -> Result<&Path> {
        self.dir(Controller::Freezer)
            .or_else(|| self.dirs.first().map(|(_, d)| d.as_path()))
            .ok_or_else(|| Error::other("procs", "", ErrorKind::NotFound, "no hierarchy"))
    }
}

impl CgroupManager for Manager {
    fn apply(&self, r: &Resources) -> Result<()> {
        if let Some(m) = &r.memory {
            memory::apply(self.need(Controller::Memory)?, m)?;
        }
        if let Some(p) = &r.pids {
            pids::apply(self.need(Controller::Pids)?, p)?;
        }
        if let Some(d) = &r.devices {
            devices::apply(self.need(Controller::Devices)?, d)?;
        }
        if let Some(c) = &r.cpu {
            if c.shares.is_some() || c.quota.is_some() || c.period.is_some() {
                cpu::apply(self.need(Controller::Cpu)?, c)?;
            }
            if c.cpus.is_some() || c.mems.is_some() {
                cpuset::apply(self.need(Controller::Cpuset)?, c)?;
            }
        }
        Ok(())
    }

    fn add_pid(&self, pid: u32) -> Result<()> {
        for d in self.unique_dirs() {
            fs::write(d, "cgroup.procs", &pid.to_string())?;
        }
        Ok(())
    }

    fn procs(&self) -> Result<Vec<u32>> {
        fs::read_pids(self.procs_dir()?)
    }

    fn freeze(&self) -> Result<()> {
        freezer::freeze(self.need(Controller::Freezer)?)
    }

    fn thaw(&self) -> Result<()> {
        freezer::thaw(self.need(Controller::Freezer)?)
    }

    fn stats(&self) -> Result<Stats> {
        let mut s = Stats::default();
        if let Some(d) = self.dir(Controller::Memory) {
            s.memory = memory::stats(d)?;
        }
        if let Some(d) = self.dir(Controller::Cpuacct) {
            s.cpu = cpuacct::stats(d)?;
        }
        if let Some(d) = self.dir(Controller::Pids) {
            s.pids = pids::stats(d)?;
        }
        Ok(s)
    }

    fn oom_kill_count(&self) -> Result<u64> {
        memory::oom_kill_count(self.need(Controller::Memory)?)
    }

    /// Freeze, signal every task, thaw; for SIGKILL repeat until the cgroup is empty (tasks
    /// forked meanwhile are caught by the next round). Without a freezer, signals only.
    fn kill_all(&self, sig: i32) -> Result<()> {
        let dir = self.procs_dir()?.to_path_buf();
        let freezer = self.dir(Controller::Freezer).map(Path::to_path_buf);
        for _ in 0..100 {
            if let Some(f) = &freezer {
                freezer::freeze(f)?;
            }
            let signalled = fs::read_pids(&dir).map(|p| p.iter().try_for_each(|pid| fs::kill(&dir, *pid, sig)));
            if let Some(f) = &freezer {
                freezer::thaw(f)?; // thaw even if listing failed, never leave it frozen
            }
            signalled??;
            if sig != SIGKILL {
                return Ok(());
            }
            if fs::wait_until(Duration::from_millis(100), || Ok(fs::read_pids(&dir)?.is_empty()))? {
                return Ok(());
            }
        }
        Err(Error::other("kill_all", &dir, ErrorKind::TimedOut, "tasks remain after 100 rounds"))
    }

    fn remove(&self) -> Result<()> {
        for d in self.unique_dirs() {
            fs::rmdir(d)?;
        }
        Ok(())
    }

    fn paths(&self) -> Vec<PathBuf> {
        self.unique_dirs().into_iter().map(Path::to_path_buf).collect()
    }
}
