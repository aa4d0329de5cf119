//! Profile → BPF. Layout:
//! ```text
//!   ld arch; jeq AUDIT_ARCH_<native> ? +1 : next; ret KILL_PROCESS
//!   ld nr;   (x86_64) jge X32_SYSCALL_BIT ? next : +1; ret KILL_PROCESS
//!   per rule, per syscall number:
//!     no args:   jeq nr ? ret action : next
//!     with args: jeq nr ? next : skip; <arg checks, any failing → skip>; ret action; skip: ld nr
//!   ret default_action
//! ```
//! First match wins, like the rule order of the profile. Lookup is linear (about 350 compares
//! worst case for Docker's profile); libseccomp's binary tree is an optimisation left out.

use super::bpf::{off_arg_hi, off_arg_lo, Asm, AsmError, Label, SockFilter, Target, BPF_JEQ, BPF_JGE, BPF_JGT, OFF_ARCH, OFF_NR};
use super::profile::{Action, ArgCmp, Op, Profile};
use super::syscalls::{Arch, X32_SYSCALL_BIT};

/// A compiled filter, built in the parent before any clone; `install` only reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    pub insns: Vec<SockFilter>,
    pub flags: u32,
    pub arch: Arch,
}

/// Compiles `profile` for `arch`. Unknown syscall names are skipped.
pub fn compile(profile: &Profile, arch: Arch) -> Result<Program, AsmError> {
    let mut a = Asm::new();
    let kill = Action::KillProcess.ret_value();
    let arch_ok = a.label();
    a.load(OFF_ARCH);
    a.jump(BPF_JEQ, arch.audit_arch(), Target::To(arch_ok), Target::Next);
    a.ret(kill);
    a.bind(arch_ok);
    a.load(OFF_NR);
    if arch == Arch::X86_64 {
        let native = a.label();
        a.jump(BPF_JGE, X32_SYSCALL_BIT, Target::Next, Target::To(native));
        a.ret(kill);
        a.bind(native);
    }
    for rule in &profile.rules {
        let ret = rule.action.ret_value();
        for name in &rule.names {
            let Some(nr) = arch.syscall_nr(name) else { continue };
            if rule.args.is_empty() {
                let miss = a.label();
                a.jump(BPF_JEQ, nr, Target::Next, Target::To(miss));
                a.ret(ret);
                a.bind(miss);
            } else {
                let skip = a.label();
                a.jump(BPF_JEQ, nr, Target::Next, Target::To(skip));
                for cmp in &rule.args {
                    emit_cmp(&mut a, cmp, skip);
                }
                a.ret(ret);
                a.bind(skip);
                a.load(OFF_NR);
            }
        }
    }
    a.ret(profile.default_action.ret_value());
    Ok(Program { insns: a.finish()?, flags: profile.flags, arch })
}

/// One 64-bit comparison as two 32-bit halves. Falls through on success, jumps to `fail`.
fn emit_cmp(a: &mut Asm, c: &ArgCmp, fail: Label) {
    let (hi, lo) = ((c.value >> 32) as u32, c.value as u32);
    let pass = a.label();
    let fail_t = Target::To(fail);
    let pass_t = Target::To(pass);
    a.load(off_arg_hi(c.index));
    match c.op {
        Op::Eq => {
            a.jump(BPF_JEQ, hi, Target::Next, fail_t);
            a.load(off_arg_lo(c.index));
            a.jump(BPF_JEQ, lo, Target::Next, fail_t);
        }
        Op::Ne => {
            a.jump(BPF_JEQ, hi, Target::Next, pass_t);
            a.load(off_arg_lo(c.index));
            a.jump(BPF_JEQ, lo, fail_t, Target::Next);
        }
        Op::MaskedEq => {
            let (mhi, mlo) = ((c.value >> 32) as u32, c.value as u32);
            let (vhi, vlo) = ((c.value_two >> 32) as u32, c.value_two as u32);
            a.and(mhi);
            a.jump(BPF_JEQ, vhi, Target::Next, fail_t);
            a.load(off_arg_lo(c.index));
            a.and(mlo);
            a.jump(BPF_JEQ, vlo, Target::Next, fail_t);
        }
        Op::Gt | Op::Ge => {
            a.jump(BPF_JGT, hi, pass_t, Target::Next);
            a.jump(BPF_JEQ, hi, Target::Next, fail_t);
            a.load(off_arg_lo(c.index));
            let op = if c.op == Op::Gt { BPF_JGT } else { BPF_JGE };
            a.jump(op, lo, Target::Next, fail_t);
        }
        Op::Lt | Op::Le => {
            a.jump(BPF_JGT, hi, fail_t, Target::Next);
            a.jump(BPF_JEQ, hi, Target::Next, pass_t);
            a.load(off_arg_lo(c.index));
            let op = if c.op == Op::Lt { BPF_JGE } else { BPF_JGT };
            a.jump(op, lo, fail_t, Target::Next);
        }
    }
    a.bind(pass);
}
