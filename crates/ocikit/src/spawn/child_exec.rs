//! The exec helper's part of the clone child: it joins the running container (cgroups, then all
//! namespaces of its init through a pidfd) and starts the exec'd process as its sibling.

use super::child::{finish_process, join_cgroups, record, reset_signals, set_pdeathsig, Ctx, Fail, Step};
use super::clone::{clone3, CloneArgs};
use super::plan::Plan;
use super::syscall::{Real, Syscall};
use crate::sys::consts::*; // CLONE_VM, CLONE_VFORK, CLONE_PARENT, ...: rustix has no clone3 flags
use crate::sys::Errno;
use std::ffi::c_void;

unsafe extern "C" fn exec_inner_entry(arg: *mut c_void) -> i32 {
    let ctx = &*(arg as *const Ctx);
    let plan = &*ctx.plan;
    if plan.pdeathsig != 0 {
        if let Err(f) = set_pdeathsig(plan.pdeathsig) {
            return record(ctx, f);
        }
    }
    match finish_process(plan) {
        Ok(()) => 0,
        Err(f) => record(ctx, f),
    }
}

/// An exec helper's way into the container: its cgroups (v1), then all namespaces of its init.
pub(super) fn join_container<S: Syscall>(sys: &S, plan: &Plan) -> Result<(), Fail> {
    join_cgroups(sys, plan)?;
    // never a borrowed -1 (that would panic): a plan without a pidfd is no exec
    let pidfd = plan.exec_pidfd.ok_or(Errno::EBADF).step("setns into the container")?;
    sys.setns_pidfd(pidfd, plan.exec_nsflags).step("setns into the container")
}

fn exec_outer(ctx: &Ctx) -> Result<(), Fail> {
    let plan = unsafe { &*ctx.plan };
    reset_signals();
    join_container(&Real, plan)?;
    let report = unsafe { &mut *ctx.report };
    let mut args = CloneArgs {
        flags: CLONE_VM | CLONE_VFORK | CLONE_PARENT | CLONE_PIDFD,
        pidfd: &mut report.pidfd as *mut i32 as u64,
        stack: ctx.stack2,
        stack_size: ctx.stack2_size,
        ..CloneArgs::default()
    };
    if let Some(fd) = plan.cgroup_fd {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = fd as u64;
    }
    let pid = unsafe { clone3(&mut args, exec_inner_entry, ctx as *const Ctx as *mut c_void) }.step("clone3 (exec)")?;
    report.pid = pid as i32;
    Ok(())
}

/// Entry of the helper that joins the container's namespaces (sharing the parent's fd table) and
/// starts the exec'd process as a sibling (`CLONE_PARENT`), so that it lands in the container's pid
/// namespace and its parent is the Node process.
pub unsafe extern "C" fn exec_entry(arg: *mut c_void) -> i32 {
    let ctx = &*(arg as *const Ctx);
    match exec_outer(ctx) {
        Ok(()) => 0,
        Err(f) => {
            if (*ctx.report).failed {
                127 // the inner child already recorded its failure
            } else {
                record(ctx, f)
            }
        }
    }
}

