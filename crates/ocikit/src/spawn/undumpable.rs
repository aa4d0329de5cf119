//! Keeps the calling process non-dumpable while a clone of it (which shares its memory) enters a
//! container.
//!
//! The run and exec children are `CLONE_VM` clones of the caller: until they exec, their memory is
//! the caller's. An exec child joins the container's pid namespace and drops to the container's
//! capabilities before it execs, and a root process of the container then passes the ptrace access
//! check for it: it could open `/proc/<pid>/mem` — the caller's memory, and the open file keeps
//! pointing there after the exec. The dumpable flag belongs to the memory (the mm), so clearing it
//! here covers the child: without CAP_SYS_PTRACE nobody can open its `/proc/<pid>/mem`, `environ`,
//! `exe` or attach to it (SECURITY.md class 14a; runc's nsexec does the same). The exec'd program
//! gets a fresh mm and is dumpable again as usual. The caller's own flag comes back once the last
//! spawn in progress is done.

use crate::sc;
use crate::sys::consts::*;
use crate::sys::{nr, SysError};
use std::sync::Mutex;

/// Spawns in progress and the flag to restore after the last one.
static STATE: Mutex<(usize, usize)> = Mutex::new((0, 0));

/// While alive, the process is not dumpable.
pub struct Undumpable(());

impl Undumpable {
    pub fn enter() -> Result<Undumpable, SysError> {
        let mut st = STATE.lock().unwrap_or_else(|e| e.into_inner());
        if st.0 == 0 {
            let was = unsafe { sc!(nr::PRCTL, PR_GET_DUMPABLE) }.map_err(|e| SysError::new(e, "prctl(PR_GET_DUMPABLE)"))?;
            unsafe { sc!(nr::PRCTL, PR_SET_DUMPABLE, 0) }.map_err(|e| SysError::new(e, "prctl(PR_SET_DUMPABLE)"))?;
            st.1 = was;
        }
        st.0 += 1;
        Ok(Undumpable(()))
    }
}

impl Drop for Undumpable {
    fn drop(&mut self) {
        let mut st = STATE.lock().unwrap_or_else(|e| e.into_inner());
        st.0 -= 1;
        if st.0 == 0 && st.1 != 0 {
            let _ = unsafe { sc!(nr::PRCTL, PR_SET_DUMPABLE, st.1) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_guards_restore_the_flag_after_the_last() {
        let dumpable = || unsafe { sc!(nr::PRCTL, PR_GET_DUMPABLE) }.unwrap();
        let before = dumpable();
        let a = Undumpable::enter().unwrap();
        assert_eq!(dumpable(), 0);
        let b = Undumpable::enter().unwrap();
        drop(a);
        assert_eq!(dumpable(), 0, "still one spawn in progress");
        drop(b);
        assert_eq!(dumpable(), before);
    }
}
