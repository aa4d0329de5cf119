//! Bounds how long a spawn may hold the calling thread (Node's JS thread).
//!
//! The clone is a vfork: the caller sleeps until the child execs. An exec child is visible in the
//! container's pid namespace before it execs, and a container process with CAP_KILL can SIGSTOP it
//! there — which would freeze the caller for as long as the container likes. A watchdog thread
//! SIGKILLs the child (through the pidfd the kernel writes at clone time) when the spawn takes
//! longer than [`SPAWN_LIMIT_MS`]; the spawn then fails instead of hanging.

use crate::sc;
use crate::sys::consts::*;
use crate::sys::nr;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A spawn normally takes a millisecond or two; an exec from a slow file system some more.
pub const SPAWN_LIMIT_MS: u64 = 3000;

pub struct Watchdog {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<bool>>,
}

impl Watchdog {
    /// Watches the child whose pidfd the kernel writes into `*pidfd_slot` (-1 until then). The slot
    /// must stay valid until [`Watchdog::disarm`].
    pub fn arm(pidfd_slot: *const i32) -> Watchdog {
        let slot = pidfd_slot as usize;
        let (tx, rx) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("ocikit-spawn-watchdog".into())
            .spawn(move || {
                let deadline = Instant::now() + Duration::from_millis(SPAWN_LIMIT_MS);
                let mut killed = false;
                loop {
                    let wait = deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(50));
                    match rx.recv_timeout(if killed { Duration::from_secs(3600) } else { wait }) {
                        Ok(()) | Err(RecvTimeoutError::Disconnected) => return killed,
                        Err(RecvTimeoutError::Timeout) if killed => {}
                        Err(RecvTimeoutError::Timeout) => {
                            // SAFETY: the slot outlives us (disarm joins); the kernel wrote it
                            let fd = unsafe { std::ptr::read_volatile(slot as *const i32) };
                            if fd >= 0 && Instant::now() >= deadline {
                                let _ = unsafe { sc!(nr::PIDFD_SEND_SIGNAL, fd, SIGKILL, 0, 0) };
                                killed = true;
                            }
                        }
                    }
                }
            })
            .ok();
        Watchdog { stop: Some(tx), thread }
    }

    /// Ends the watch; true when it had to kill the child.
    pub fn disarm(mut self) -> bool {
        drop(self.stop.take());
        self.thread.take().is_some_and(|t| t.join().unwrap_or(false))
    }
}
