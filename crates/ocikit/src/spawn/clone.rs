//! clone3(2) that runs a function on a caller-provided stack in the child.
//!
//! With `CLONE_VM` the child shares the parent's memory, so after the syscall it must not touch the
//! parent's stack frame: the assembly switches to calling `entry(arg)` on the new stack and exits with
//! its return value, never returning into Rust code of the parent.

use crate::sys::{nr, Errno};
use std::ffi::c_void;

/// `struct clone_args` (up to `cgroup`, size 88 = CLONE_ARGS_SIZE_VER2).
#[repr(C)]
#[derive(Default, Debug)]
pub struct CloneArgs {
    pub flags: u64,
    pub pidfd: u64,
    pub child_tid: u64,
    pub parent_tid: u64,
    pub exit_signal: u64,
    pub stack: u64,
    pub stack_size: u64,
    pub tls: u64,
    pub set_tid: u64,
    pub set_tid_size: u64,
    pub cgroup: u64,
}

/// The function the child runs; its return value is the child's exit status.
pub type Entry = unsafe extern "C" fn(arg: *mut c_void) -> i32;

/// A stack for a clone child, 16-byte aligned.
pub struct Stack(Vec<u128>);

impl Stack {
    pub fn new(bytes: usize) -> Stack {
        Stack(vec![0u128; bytes / 16])
    }
    pub fn base(&mut self) -> u64 {
        self.0.as_mut_ptr() as u64
    }
    pub fn size(&self) -> u64 {
        (self.0.len() * 16) as u64
    }
}

/// Calls clone3; in the child runs `entry(arg)` on `args.stack` and exits. Returns the child's pid.
///
/// # Safety
/// `args.stack`/`stack_size` must describe a live stack that `entry` may use; with `CLONE_VM`
/// `entry` may only do what is safe without locks or allocation (other threads keep running).
#[cfg(target_arch = "x86_64")]
pub unsafe fn clone3(args: &mut CloneArgs, entry: Entry, arg: *mut c_void) -> Result<usize, Errno> {
    let ret: isize;
    core::arch::asm!(
        "syscall",
        "test rax, rax",
        "jnz 2f",
        // child, on the new stack (rsp = stack + stack_size, 16-byte aligned)
        "xor ebp, ebp",
        "mov rdi, r12",
        "call r13",
        "mov edi, eax",
        "mov eax, 60", // exit: this task only
        "syscall",
        "ud2",
        "2:",
        inlateout("rax") nr::CLONE3 as isize => ret,
        in("rdi") args as *mut CloneArgs,
        in("rsi") core::mem::size_of::<CloneArgs>(),
        in("r12") arg,
        in("r13") entry,
        lateout("rcx") _,
        lateout("r11") _,
        options(nostack)
    );
    crate::sys::decode(ret)
}

/// aarch64 variant (written, not tested here).
#[cfg(target_arch = "aarch64")]
pub unsafe fn clone3(args: &mut CloneArgs, entry: Entry, arg: *mut c_void) -> Result<usize, Errno> {
    let ret: isize;
    core::arch::asm!(
        "svc 0",
        "cbnz x0, 2f",
        "mov x29, xzr",
        "mov x0, x20",
        "blr x21",
        "mov x8, #93", // exit
        "svc 0",
        "brk #0",
        "2:",
        in("x8") nr::CLONE3,
        inlateout("x0") args as *mut CloneArgs as usize => ret,
        in("x1") core::mem::size_of::<CloneArgs>(),
        in("x20") arg,
        in("x21") entry,
        lateout("x30") _,
        options(nostack)
    );
    crate::sys::decode(ret)
}
