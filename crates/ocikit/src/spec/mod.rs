//! The part of the OCI runtime spec (`config.json`) the runtime executes, read from JSON.

pub mod json;

use crate::seccomp::{LinuxSeccomp, LinuxSeccompArg, LinuxSyscall};
use json::Json;

/// A spec field that is missing or has the wrong type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError(pub String);

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid runtime spec: {}", self.0)
    }
}
impl std::error::Error for SpecError {}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mount {
    pub destination: String,
    pub kind: String,
    pub source: String,
    pub options: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rlimit {
    pub kind: String,
    pub soft: u64,
    pub hard: u64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CapLists {
    pub bounding: Vec<String>,
    pub effective: Vec<String>,
    pub inheritable: Vec<String>,
    pub permitted: Vec<String>,
    pub ambient: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Process {
    pub terminal: bool,
    pub console_size: Option<(u16, u16)>,
    pub uid: u32,
    pub gid: u32,
    pub umask: Option<u32>,
    pub additional_gids: Vec<u32>,
    pub args: Vec<String>,
    pub env: Vec<String>,
    pub cwd: String,
    pub capabilities: Option<CapLists>,
    pub rlimits: Vec<Rlimit>,
    pub no_new_privileges: bool,
    pub oom_score_adj: Option<i32>,
}

/// `linux.devices[]`: a node to create in the container.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Device {
    pub kind: String,
    pub path: String,
    pub major: u32,
    pub minor: u32,
    pub file_mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Namespace {
    pub kind: String,
    pub path: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spec {
    pub process: Process,
    pub root_path: String,
    pub root_readonly: bool,
    pub hostname: Option<String>,
    pub mounts: Vec<Mount>,
    pub namespaces: Vec<Namespace>,
    pub masked_paths: Vec<String>,
    pub readonly_paths: Vec<String>,
    pub rootfs_propagation: Option<String>,
    pub seccomp: Option<LinuxSeccomp>,
    pub sysctl: Vec<(String, String)>,
    pub domainname: Option<String>,
    pub devices: Vec<Device>,
}

fn s(v: Option<&Json>, field: &str) -> Result<Option<String>, SpecError> {
    match v {
        None => Ok(None),
        Some(j) => j.as_str().map(|x| Some(x.to_string())).ok_or_else(|| SpecError(format!("{field} must be a string"))),
    }
}

fn u(v: Option<&Json>, field: &str, max: f64) -> Result<Option<u64>, SpecError> {
    match v {
        None => Ok(None),
        Some(j) => match j.as_f64() {
            Some(n) if n >= 0.0 && n <= max && n.fract() == 0.0 => Ok(Some(n as u64)),
            _ => Err(SpecError(format!("{field} must be an integer in 0..={max}"))),
        },
    }
}

fn strings(v: Option<&Json>, field: &str) -> Result<Vec<String>, SpecError> {
    match v {
        None => Ok(Vec::new()),
        Some(Json::Arr(a)) => a
            .iter()
            .map(|x| x.as_str().map(str::to_string).ok_or_else(|| SpecError(format!("{field} must hold strings"))))
            .collect(),
        Some(_) => Err(SpecError(format!("{field} must be an array"))),
    }
}

fn process(p: &Json) -> Result<Process, SpecError> {
    let user = p.get("user");
    let caps = p.get("capabilities").map(|c| -> Result<CapLists, SpecError> {
        Ok(CapLists {
            bounding: strings(c.get("bounding"), "process.capabilities.bounding")?,
            effective: strings(c.get("effective"), "process.capabilities.effective")?,
            inheritable: strings(c.get("inheritable"), "process.capabilities.inheritable")?,
            permitted: strings(c.get("permitted"), "process.capabilities.permitted")?,
            ambient: strings(c.get("ambient"), "process.capabilities.ambient")?,
        })
    });
    let mut rlimits = Vec::new();
    for (i, r) in p.get("rlimits").map(Json::as_arr).unwrap_or(&[]).iter().enumerate() {
        let f = format!("process.rlimits[{i}]");
        rlimits.push(Rlimit {
            kind: s(r.get("type"), &f)?.ok_or_else(|| SpecError(format!("{f}.type is required")))?,
            soft: u(r.get("soft"), &f, u64::MAX as f64)?.unwrap_or(0),
            hard: u(r.get("hard"), &f, u64::MAX as f64)?.unwrap_or(0),
        });
    }
    let console = p.get("consoleSize").map(|c| -> Result<(u16, u16), SpecError> {
        Ok((
            u(c.get("height"), "consoleSize.height", 65535.0)?.unwrap_or(24) as u16,
            u(c.get("width"), "consoleSize.width", 65535.0)?.unwrap_or(80) as u16,
        ))
    });
    let oom = match p.get("oomScoreAdj").and_then(Json::as_f64) {
        Some(n) if (-1000.0..=1000.0).contains(&n) => Some(n as i32),
        Some(_) => return Err(SpecError("process.oomScoreAdj must be in -1000..=1000".into())),
        None => None,
    };
    Ok(Process {
        terminal: p.get("terminal").and_then(Json::as_bool).unwrap_or(false),
        console_size: console.transpose()?,
        uid: u(user.and_then(|x| x.get("uid")), "process.user.uid", u32::MAX as f64)?.unwrap_or(0) as u32,
        gid: u(user.and_then(|x| x.get("gid")), "process.user.gid", u32::MAX as f64)?.unwrap_or(0) as u32,
        umask: u(user.and_then(|x| x.get("umask")), "process.user.umask", 0o777 as f64)?.map(|x| x as u32),
        additional_gids: match user.and_then(|x| x.get("additionalGids")) {
            None => Vec::new(),
            Some(a) => a
                .as_arr()
                .iter()
                .map(|g| u(Some(g), "process.user.additionalGids", u32::MAX as f64).map(|x| x.unwrap_or(0) as u32))
                .collect::<Result<_, _>>()?,
        },
        args: strings(p.get("args"), "process.args")?,
        env: strings(p.get("env"), "process.env")?,
        cwd: s(p.get("cwd"), "process.cwd")?.unwrap_or_else(|| "/".into()),
        capabilities: caps.transpose()?,
        rlimits,
        no_new_privileges: p.get("noNewPrivileges").and_then(Json::as_bool).unwrap_or(false),
        oom_score_adj: oom,
    })
}

fn seccomp(j: &Json) -> Result<LinuxSeccomp, SpecError> {
    let mut syscalls = Vec::new();
    for (i, r) in j.get("syscalls").map(Json::as_arr).unwrap_or(&[]).iter().enumerate() {
        let f = format!("linux.seccomp.syscalls[{i}]");
        let mut args = Vec::new();
        for a in r.get("args").map(Json::as_arr).unwrap_or(&[]) {
            args.push(LinuxSeccompArg {
                index: u(a.get("index"), &f, 5.0)?.unwrap_or(0) as u32,
                value: u(a.get("value"), &f, u64::MAX as f64)?.unwrap_or(0),
                value_two: u(a.get("valueTwo"), &f, u64::MAX as f64)?.unwrap_or(0),
                op: s(a.get("op"), &f)?.unwrap_or_default(),
            });
        }
        syscalls.push(LinuxSyscall {
            names: strings(r.get("names"), &f)?,
            action: s(r.get("action"), &f)?.unwrap_or_default(),
            errno_ret: u(r.get("errnoRet"), &f, 4095.0)?.map(|x| x as u32),
            args,
        });
    }
    Ok(LinuxSeccomp {
        default_action: s(j.get("defaultAction"), "linux.seccomp.defaultAction")?.unwrap_or_default(),
        default_errno_ret: u(j.get("defaultErrnoRet"), "linux.seccomp.defaultErrnoRet", 4095.0)?.map(|x| x as u32),
        architectures: strings(j.get("architectures"), "linux.seccomp.architectures")?,
        flags: strings(j.get("flags"), "linux.seccomp.flags")?,
        syscalls,
    })
}

impl Spec {
    /// Reads a spec from its JSON text.
    pub fn from_json(text: &str) -> Result<Spec, SpecError> {
        let j = json::parse(text).map_err(|e| SpecError(format!("JSON at byte {}: {}", e.offset, e.message)))?;
        Spec::from_value(&j)
    }

    pub fn from_value(j: &Json) -> Result<Spec, SpecError> {
        let p = j.get("process").ok_or_else(|| SpecError("process is required".into()))?;
        let root = j.get("root").ok_or_else(|| SpecError("root is required".into()))?;
        let linux = j.get("linux");
        let lget = |k: &str| linux.and_then(|l| l.get(k));
        let mut mounts = Vec::new();
        for (i, m) in j.get("mounts").map(Json::as_arr).unwrap_or(&[]).iter().enumerate() {
            let f = format!("mounts[{i}]");
            mounts.push(Mount {
                destination: s(m.get("destination"), &f)?.ok_or_else(|| SpecError(format!("{f}.destination")))?,
                kind: s(m.get("type"), &f)?.unwrap_or_else(|| "bind".into()),
                source: s(m.get("source"), &f)?.unwrap_or_else(|| "none".into()),
                options: strings(m.get("options"), &f)?,
            });
        }
        let mut namespaces = Vec::new();
        for n in lget("namespaces").map(Json::as_arr).unwrap_or(&[]) {
            namespaces.push(Namespace {
                kind: s(n.get("type"), "linux.namespaces[].type")?.unwrap_or_default(),
                path: s(n.get("path"), "linux.namespaces[].path")?,
            });
        }
        if let Some(Json::Obj(hooks)) = j.get("hooks") {
            if hooks.values().any(|h| !h.as_arr().is_empty()) {
                return Err(SpecError("hooks are not supported".into()));
            }
        }
        let mut devices = Vec::new();
        for (i, d) in lget("devices").map(Json::as_arr).unwrap_or(&[]).iter().enumerate() {
            let f = format!("linux.devices[{i}]");
            devices.push(Device {
                kind: s(d.get("type"), &f)?.ok_or_else(|| SpecError(format!("{f}.type is required")))?,
                path: s(d.get("path"), &f)?.ok_or_else(|| SpecError(format!("{f}.path is required")))?,
                major: u(d.get("major"), &f, u32::MAX as f64)?.unwrap_or(0) as u32,
                minor: u(d.get("minor"), &f, u32::MAX as f64)?.unwrap_or(0) as u32,
                file_mode: u(d.get("fileMode"), &f, 0o7777 as f64)?.map(|x| x as u32),
                uid: u(d.get("uid"), &f, u32::MAX as f64)?.map(|x| x as u32),
                gid: u(d.get("gid"), &f, u32::MAX as f64)?.map(|x| x as u32),
            });
        }
        let sysctl = match lget("sysctl") {
            Some(Json::Obj(m)) => m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string())).collect(),
            _ => Vec::new(),
        };
        Ok(Spec {
            process: process(p)?,
            root_path: s(root.get("path"), "root.path")?.ok_or_else(|| SpecError("root.path is required".into()))?,
            root_readonly: root.get("readonly").and_then(Json::as_bool).unwrap_or(false),
            hostname: s(j.get("hostname"), "hostname")?,
            mounts,
            namespaces,
            masked_paths: strings(lget("maskedPaths"), "linux.maskedPaths")?,
            readonly_paths: strings(lget("readonlyPaths"), "linux.readonlyPaths")?,
            rootfs_propagation: s(lget("rootfsPropagation"), "linux.rootfsPropagation")?,
            seccomp: lget("seccomp").map(seccomp).transpose()?,
            sysctl,
            domainname: s(j.get("domainname"), "domainname")?,
            devices,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_spec() {
        let spec = Spec::from_json(
            r#"{"ociVersion":"1.1.0","process":{"user":{"uid":1,"gid":2,"additionalGids":[3]},"args":["sh"],
            "cwd":"/w","env":["A=1"],"rlimits":[{"type":"RLIMIT_NOFILE","soft":10,"hard":20}]},
            "root":{"path":"/r","readonly":true},"hostname":"h",
            "mounts":[{"destination":"/proc","type":"proc","source":"proc"}],
            "linux":{"namespaces":[{"type":"pid"},{"type":"network","path":"/proc/1/ns/net"}],
            "maskedPaths":["/proc/kcore"],"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
            {"names":["mount"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]}]}}}"#,
        )
        .unwrap();
        assert_eq!((spec.process.uid, spec.process.gid, spec.process.additional_gids.clone()), (1, 2, vec![3]));
        assert_eq!(spec.process.rlimits[0].hard, 20);
        assert!(spec.root_readonly);
        assert_eq!(spec.mounts[0].kind, "proc");
        assert_eq!(spec.namespaces[1].path.as_deref(), Some("/proc/1/ns/net"));
        assert_eq!(spec.seccomp.unwrap().syscalls[0].args[0].value, 1);
    }

    #[test]
    fn names_the_bad_field() {
        let e = Spec::from_json(r#"{"process":{"user":{"uid":-1},"cwd":"/"},"root":{"path":"/"}}"#).unwrap_err();
        assert!(e.0.contains("process.user.uid"), "{e}");
        assert!(Spec::from_json(r#"{"root":{"path":"/"}}"#).is_err());
        let hooks = r#"{"process":{"cwd":"/"},"root":{"path":"/"},"hooks":{"prestart":[{"path":"/x"}]}}"#;
        assert_eq!(Spec::from_json(hooks).unwrap_err().0, "hooks are not supported");
    }
}
