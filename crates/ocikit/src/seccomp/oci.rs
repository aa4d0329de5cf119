//! The OCI runtime spec's `linux.seccomp` as plain structs (helper code fills them from JSON),
//! and its conversion into a [`Profile`].

use super::profile::{Action, ArgCmp, Op, Profile, Rule};
use super::profile::{SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW, SECCOMP_FILTER_FLAG_TSYNC};
use super::syscalls::Arch;

const EPERM: u32 = 1;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinuxSeccomp {
    /// e.g. `SCMP_ACT_ERRNO`.
    pub default_action: String,
    pub default_errno_ret: Option<u32>,
    /// `SCMP_ARCH_*`; empty means native. Only the native 64-bit arch is filtered (see module docs).
    pub architectures: Vec<String>,
    /// `SECCOMP_FILTER_FLAG_*` names.
    pub flags: Vec<String>,
    pub syscalls: Vec<LinuxSyscall>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinuxSyscall {
    pub names: Vec<String>,
    pub action: String,
    pub errno_ret: Option<u32>,
    pub args: Vec<LinuxSeccompArg>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinuxSeccompArg {
    pub index: u32,
    pub value: u64,
    pub value_two: u64,
    /// `SCMP_CMP_EQ`, `_NE`, `_LT`, `_LE`, `_GT`, `_GE`, `_MASKED_EQ`.
    pub op: String,
}

/// A spec that cannot be turned into a filter: which field, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "seccomp: {}: {}", self.field, self.message)
    }
}
impl std::error::Error for SpecError {}

fn err(field: impl Into<String>, message: impl Into<String>) -> SpecError {
    SpecError { field: field.into(), message: message.into() }
}

/// `SCMP_ACT_*` name → action; `errno` for `SCMP_ACT_ERRNO` / `SCMP_ACT_TRACE`.
pub fn parse_action(name: &str, errno: Option<u32>, field: &str) -> Result<Action, SpecError> {
    let data = |default: u32| -> Result<u16, SpecError> {
        u16::try_from(errno.unwrap_or(default)).map_err(|_| err(field, "errnoRet out of range"))
    };
    Ok(match name {
        "SCMP_ACT_ALLOW" => Action::Allow,
        "SCMP_ACT_ERRNO" => Action::Errno(data(EPERM)?),
        "SCMP_ACT_KILL" | "SCMP_ACT_KILL_THREAD" => Action::KillThread,
        "SCMP_ACT_KILL_PROCESS" => Action::KillProcess,
        "SCMP_ACT_TRAP" => Action::Trap,
        "SCMP_ACT_LOG" => Action::Log,
        "SCMP_ACT_TRACE" => Action::Trace(data(EPERM)?),
        "SCMP_ACT_NOTIFY" => return Err(err(field, "SCMP_ACT_NOTIFY is not supported")),
        other => return Err(err(field, format!("unknown action {other:?}"))),
    })
}

pub fn parse_op(name: &str, field: &str) -> Result<Op, SpecError> {
    Ok(match name {
        "SCMP_CMP_EQ" => Op::Eq,
        "SCMP_CMP_NE" => Op::Ne,
        "SCMP_CMP_LT" => Op::Lt,
        "SCMP_CMP_LE" => Op::Le,
        "SCMP_CMP_GT" => Op::Gt,
        "SCMP_CMP_GE" => Op::Ge,
        "SCMP_CMP_MASKED_EQ" => Op::MaskedEq,
        other => return Err(err(field, format!("unknown operator {other:?}"))),
    })
}

fn parse_flag(name: &str, field: &str) -> Result<u32, SpecError> {
    Ok(match name {
        "SECCOMP_FILTER_FLAG_TSYNC" => SECCOMP_FILTER_FLAG_TSYNC,
        "SECCOMP_FILTER_FLAG_LOG" => SECCOMP_FILTER_FLAG_LOG,
        "SECCOMP_FILTER_FLAG_SPEC_ALLOW" => SECCOMP_FILTER_FLAG_SPEC_ALLOW,
        other => return Err(err(field, format!("unsupported flag {other:?}"))),
    })
}

impl Profile {
    /// Converts an OCI `linux.seccomp`. Refuses a spec whose `architectures` list is non-empty
    /// and lacks `arch` (the filter would kill every call).
    pub fn from_oci(spec: &LinuxSeccomp, arch: Arch) -> Result<Profile, SpecError> {
        let default_action = parse_action(&spec.default_action, spec.default_errno_ret, "defaultAction")?;
        if !spec.architectures.is_empty() && !spec.architectures.iter().any(|a| Arch::from_name(a) == Some(arch)) {
            return Err(err("architectures", format!("does not include the native architecture {arch:?}")));
        }
        let mut flags = 0;
        for (i, f) in spec.flags.iter().enumerate() {
            flags |= parse_flag(f, &format!("flags[{i}]"))?;
        }
        let mut rules = Vec::with_capacity(spec.syscalls.len());
        for (i, s) in spec.syscalls.iter().enumerate() {
            let field = format!("syscalls[{i}]");
            let errno = s.errno_ret; // OCI: EPERM when absent, not defaultErrnoRet
            let action = parse_action(&s.action, errno, &format!("{field}.action"))?;
            let mut args = Vec::with_capacity(s.args.len());
            for (j, a) in s.args.iter().enumerate() {
                let afield = format!("{field}.args[{j}]");
                if a.index > 5 {
                    return Err(err(afield, format!("index {} out of range 0..=5", a.index)));
                }
                args.push(ArgCmp { index: a.index, op: parse_op(&a.op, &afield)?, value: a.value, value_two: a.value_two });
            }
            rules.push(Rule { names: s.names.clone(), action, args });
        }
        Ok(Profile { default_action, rules, flags })
    }
}
