//! The process part of a [`super::plan::Plan`]: capabilities and seccomp, resource limits, and the
//! argv/envp of `ocikit-exec` with the candidates it tries for `args[0]`.

use super::plan::cs;
use crate::caps::{self, Capabilities};
use crate::seccomp::{self, Arch, Profile, Program};
use crate::spec::{Process, Spec};
use crate::sys::{Errno, SysError};
use rustix::process::Resource;
use std::ffi::{c_char, CString};

const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The capability sets to apply and the seccomp filter (the spec's, else Docker's default when
/// `default_seccomp`).
pub fn privileges(spec: &Spec, default_seccomp: bool) -> Result<(caps::Prepared, Option<Program>), SysError> {
    let mut caps = match &spec.process.capabilities {
        None => Capabilities::docker_default(),
        Some(c) => Capabilities::from_oci(&c.bounding, &c.effective, &c.inheritable, &c.permitted, &c.ambient)
            .map_err(|e| SysError::invalid("spec", &e.to_string()))?,
    };
    // the kernel refuses an ambient capability that is not both permitted and inheritable;
    // crun and runc skip those rather than fail (their own `spec` lists ambient without inheritable)
    caps.ambient.0 &= caps.inheritable.0 & caps.permitted.0;
    let last_cap = caps::kernel_last_cap().map_err(|_| SysError::new(Errno::EIO, "read cap_last_cap"))?;
    let arch = Arch::native();
    let profile = match &spec.seccomp {
        Some(s) => Some(Profile::from_oci(s, arch).map_err(|e| SysError::invalid("seccomp", &e.to_string()))?),
        None if default_seccomp => Some(seccomp::docker::default_profile(arch, caps.bounding.0)),
        None => None,
    };
    let seccomp = profile
        .map(|pr| seccomp::compile(&pr, arch).map_err(|e| SysError::invalid("seccomp", &format!("{e:?}"))))
        .transpose()?;
    Ok((caps.prepare(last_cap), seccomp))
}

fn rlimit_resource(name: &str) -> Option<Resource> {
    use Resource as R;
    Some(match name {
        "RLIMIT_CPU" => R::Cpu, "RLIMIT_FSIZE" => R::Fsize, "RLIMIT_DATA" => R::Data, "RLIMIT_STACK" => R::Stack,
        "RLIMIT_CORE" => R::Core, "RLIMIT_RSS" => R::Rss, "RLIMIT_NPROC" => R::Nproc, "RLIMIT_NOFILE" => R::Nofile,
        "RLIMIT_MEMLOCK" => R::Memlock, "RLIMIT_AS" => R::As, "RLIMIT_LOCKS" => R::Locks,
        "RLIMIT_SIGPENDING" => R::Sigpending, "RLIMIT_MSGQUEUE" => R::Msgqueue, "RLIMIT_NICE" => R::Nice,
        "RLIMIT_RTPRIO" => R::Rtprio, "RLIMIT_RTTIME" => R::Rttime,
        _ => return None,
    })
}

/// `process.rlimits` as (resource, [soft, hard]), never above the caller's own hard limit.
pub fn rlimits(p: &Process) -> Result<Vec<(Resource, [u64; 2])>, SysError> {
    let mut out = Vec::new();
    for r in &p.rlimits {
        let res = rlimit_resource(&r.kind).ok_or_else(|| SysError::invalid("spec", &format!("unknown rlimit {}", r.kind)))?;
        // None is RLIM_INFINITY
        let cur_hard = rustix::process::getrlimit(res).maximum.unwrap_or(u64::MAX);
        let hard = r.hard.min(cur_hard);
        out.push((res, [r.soft.min(hard), hard]));
    }
    Ok(out)
}

/// What the child execs: `ocikit-exec` with the candidates for `args[0]`, then the args.
pub struct ExecArgs {
    pub arg0: CString,
    pub argv: Vec<CString>,
    pub envp: Vec<CString>,
    pub envp_ptrs: Vec<*const c_char>,
    /// `ocikit-exec`'s argv: its name, the number of candidates, the candidates, then `argv`.
    pub helper_argv: Vec<CString>,
    pub helper_argv_ptrs: Vec<*const c_char>,
}

pub fn exec_args(p: &Process) -> Result<ExecArgs, SysError> {
    let arg0 = p.args.first().ok_or_else(|| SysError::invalid("spec", "process.args is empty"))?;
    let env_path = p.env.iter().find_map(|e| e.strip_prefix("PATH=")).unwrap_or(DEFAULT_PATH);
    let candidates: Vec<String> = if arg0.contains('/') {
        vec![arg0.clone()]
    } else {
        env_path.split(':').filter(|d| !d.is_empty()).map(|d| format!("{}/{}", d.trim_end_matches('/'), arg0)).collect()
    };
    let argv: Vec<CString> = p.args.iter().map(|a| cs(a, "process.args")).collect::<Result<_, _>>()?;
    let envp: Vec<CString> = p.env.iter().map(|a| cs(a, "process.env")).collect::<Result<_, _>>()?;
    let candidates: Vec<CString> = candidates.iter().map(|c| cs(c, "process.args")).collect::<Result<_, _>>()?;
    if candidates.len() > 9999 {
        return Err(SysError::invalid("spec", "PATH has more than 9999 directories"));
    }
    let mut helper_argv = vec![cs(super::exe::HELPER_ARGV0, "helper")?, cs(&candidates.len().to_string(), "helper")?];
    helper_argv.extend(candidates);
    let mut helper_argv_ptrs: Vec<*const c_char> = helper_argv.iter().chain(argv.iter()).map(|c| c.as_ptr()).collect();
    helper_argv_ptrs.push(std::ptr::null());
    let mut envp_ptrs: Vec<*const c_char> = envp.iter().map(|c| c.as_ptr()).collect();
    envp_ptrs.push(std::ptr::null());
    Ok(ExecArgs { arg0: cs(arg0, "process.args")?, argv, envp, envp_ptrs, helper_argv, helper_argv_ptrs })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Rlimit;

    fn strs(v: &[CString]) -> Vec<&str> {
        v.iter().map(|c| c.to_str().unwrap()).collect()
    }

    #[test]
    fn candidates_from_path_or_the_path_given() {
        let p = Process { args: vec!["sh".into(), "-c".into()], env: vec!["PATH=/a:/b/:".into()], ..Process::default() };
        let e = exec_args(&p).unwrap();
        assert_eq!(strs(&e.helper_argv), [super::super::exe::HELPER_ARGV0, "2", "/a/sh", "/b/sh"]);
        assert_eq!(e.helper_argv_ptrs.len(), 4 + 2 + 1);
        assert!(e.helper_argv_ptrs.last().unwrap().is_null() && e.envp_ptrs.last().unwrap().is_null());
        let p = Process { args: vec!["./run".into()], ..Process::default() };
        assert_eq!(strs(&exec_args(&p).unwrap().helper_argv)[1..], ["1", "./run"]);
        let p = Process { args: vec!["x".into()], ..Process::default() };
        assert_eq!(exec_args(&p).unwrap().helper_argv.len(), 2 + DEFAULT_PATH.split(':').count());
    }

    #[test]
    fn rlimits_capped_by_our_own_hard_limit() {
        let own = rustix::process::getrlimit(Resource::Nofile).maximum.unwrap_or(u64::MAX);
        let rl = |kind: &str, soft, hard| Rlimit { kind: kind.into(), soft, hard };
        let p = Process { rlimits: vec![rl("RLIMIT_NOFILE", u64::MAX, u64::MAX), rl("RLIMIT_CORE", 5, 1)], ..Process::default() };
        assert_eq!(rlimits(&p).unwrap(), [(Resource::Nofile, [own, own]), (Resource::Core, [1, 1])]);
        let p = Process { rlimits: vec![rl("RLIMIT_BOGUS", 1, 1)], ..Process::default() };
        assert_eq!(rlimits(&p).unwrap_err().message.as_deref(), Some("unknown rlimit RLIMIT_BOGUS"));
    }
}
