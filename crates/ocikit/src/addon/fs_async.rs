//! Mount and unmount as AsyncTasks on the libuv pool: unmounting an overlay syncs its upper dir and
//! mounting one looks up every lower dir, each can take milliseconds, and 50 containers starting or
//! stopping together would add them up on the JS thread.

use super::error::{uint, OrThrow};
use crate::sys::{fs, SysError};
use napi::bindgen_prelude::{AsyncTask, Result};
use napi::{Env, Task};
use napi_derive::napi;

pub enum MountOp {
    Mount { source: Option<String>, target: String, fstype: Option<String>, flags: usize, data: Option<String> },
    Umount { target: String, flags: usize },
}

impl Task for MountOp {
    type Output = std::result::Result<(), SysError>;
    type JsValue = ();

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(match self {
            MountOp::Mount { source, target, fstype, flags, data } => {
                fs::mount(source.as_deref(), target, fstype.as_deref(), *flags, data.as_deref())
            }
            MountOp::Umount { target, flags } => fs::umount2(target, *flags),
        })
    }

    fn resolve(&mut self, env: Env, out: Self::Output) -> Result<()> {
        out.js(&env)
    }
}

/// `mountAsync(source|null, target, fstype|null, flags, data|null)`: `mount(2)` off the JS thread.
#[napi]
pub fn mount_async(source: Option<String>, target: String, fstype: Option<String>, flags: u32, data: Option<String>)
    -> AsyncTask<MountOp> {
    AsyncTask::new(MountOp::Mount { source, target, fstype, flags: flags as usize, data })
}

/// `umount2Async(target, flags)`: `umount2(2)` off the JS thread.
#[napi]
pub fn umount2_async(env: Env, target: String, flags: Option<f64>) -> Result<AsyncTask<MountOp>> {
    let flags = match flags {
        Some(f) => uint(&env, f, "flags", 15)? as usize,
        None => 0,
    };
    Ok(AsyncTask::new(MountOp::Umount { target, flags }))
}
