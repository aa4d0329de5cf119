//! A seccomp profile in typed form: what `docker::default_profile` builds and what `oci` parses into.

/// `SECCOMP_RET_*` actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Allow,
    /// Fail the call with this errno.
    Errno(u16),
    KillThread,
    KillProcess,
    Trap,
    Log,
    /// Notify a ptrace tracer with this data.
    Trace(u16),
}

pub const SECCOMP_RET_KILL_PROCESS: u32 = 0x8000_0000;
pub const SECCOMP_RET_KILL_THREAD: u32 = 0x0000_0000;
pub const SECCOMP_RET_TRAP: u32 = 0x0003_0000;
pub const SECCOMP_RET_ERRNO: u32 = 0x0005_0000;
pub const SECCOMP_RET_TRACE: u32 = 0x7ff0_0000;
pub const SECCOMP_RET_LOG: u32 = 0x7ffc_0000;
pub const SECCOMP_RET_ALLOW: u32 = 0x7fff_0000;
pub const SECCOMP_RET_DATA: u32 = 0x0000_ffff;

impl Action {
    /// The 32-bit value a `BPF_RET` returns for this action.
    pub fn ret_value(self) -> u32 {
        match self {
            Action::Allow => SECCOMP_RET_ALLOW,
            Action::Errno(e) => SECCOMP_RET_ERRNO | u32::from(e),
            Action::KillThread => SECCOMP_RET_KILL_THREAD,
            Action::KillProcess => SECCOMP_RET_KILL_PROCESS,
            Action::Trap => SECCOMP_RET_TRAP,
            Action::Log => SECCOMP_RET_LOG,
            Action::Trace(d) => SECCOMP_RET_TRACE | u32::from(d),
        }
    }
}

/// `SCMP_CMP_*` comparisons of a 64-bit syscall argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `(arg & value) == value_two`
    MaskedEq,
}

/// One condition on argument `index` (0..6). All conditions of a rule must hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArgCmp {
    pub index: u32,
    pub op: Op,
    pub value: u64,
    pub value_two: u64,
}

/// `action` for the named syscalls when every `args` condition holds. Names unknown on the
/// target architecture are skipped (as libseccomp-based runtimes do).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub names: Vec<String>,
    pub action: Action,
    pub args: Vec<ArgCmp>,
}

/// Rules are evaluated in order, first match wins; `default_action` otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub default_action: Action,
    pub rules: Vec<Rule>,
    /// `SECCOMP_FILTER_FLAG_*` passed to `seccomp(2)`.
    pub flags: u32,
}

pub const SECCOMP_FILTER_FLAG_TSYNC: u32 = 1;
pub const SECCOMP_FILTER_FLAG_LOG: u32 = 2;
pub const SECCOMP_FILTER_FLAG_SPEC_ALLOW: u32 = 4;

impl Rule {
    pub fn allow(names: &[&str]) -> Rule {
        Rule { names: names.iter().map(|s| s.to_string()).collect(), action: Action::Allow, args: Vec::new() }
    }
    pub fn with_arg(mut self, index: u32, op: Op, value: u64, value_two: u64) -> Rule {
        self.args.push(ArgCmp { index, op, value, value_two });
        self
    }
}
