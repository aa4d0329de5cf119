//! One thread that waits for every container process through its pidfd (epoll), reaps it and hands
//! the exit status to a sink. No blocking wait ever runs on a caller's thread.

use crate::sc;
use crate::sys::consts::*;
use crate::sys::{nr, Errno, SysError};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// How a watched process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exit {
    pub id: u64,
    pub pid: i32,
    /// Exit status when it exited, else -1.
    pub code: i32,
    /// Terminating signal when it was killed, else 0.
    pub signal: i32,
}

pub type Sink = Box<dyn Fn(Exit) + Send + Sync>;

struct Reaper {
    epfd: i32,
    table: Mutex<HashMap<u64, (i32, i32)>>,
    next: AtomicU64,
    sink: Mutex<Option<Sink>>,
}

static REAPER: OnceLock<Reaper> = OnceLock::new();

#[cfg(target_arch = "x86_64")]
#[repr(C, packed)]
#[derive(Clone, Copy, Default)]
struct EpollEvent {
    events: u32,
    data: u64,
}
#[cfg(not(target_arch = "x86_64"))]
#[repr(C)]
#[derive(Clone, Copy, Default)]
struct EpollEvent {
    events: u32,
    data: u64,
}

fn reaper() -> Result<&'static Reaper, SysError> {
    if let Some(r) = REAPER.get() {
        return Ok(r);
    }
    let epfd = unsafe { sc!(nr::EPOLL_CREATE1, EPOLL_CLOEXEC) }.map_err(|e| SysError::new(e, "epoll_create1"))? as i32;
    let r = Reaper { epfd, table: Mutex::new(HashMap::new()), next: AtomicU64::new(1), sink: Mutex::new(None) };
    if REAPER.set(r).is_err() {
        let _ = unsafe { sc!(nr::CLOSE, epfd) }; // another thread won the race
        return Ok(REAPER.get().unwrap());
    }
    std::thread::Builder::new()
        .name("ocikit-reaper".into())
        .spawn(|| run(REAPER.get().unwrap()))
        .map_err(|_| SysError::new(Errno::EAGAIN, "start reaper thread"))?;
    Ok(REAPER.get().unwrap())
}

/// Reads the exit of a process whose pidfd is readable (it has exited); reaps it.
pub fn wait_pidfd(pidfd: i32) -> Result<(i32, i32), Errno> {
    let mut info = [0i32; 32]; // siginfo_t, 128 bytes
    loop {
        match unsafe { sc!(nr::WAITID, P_PIDFD, pidfd, info.as_mut_ptr(), WEXITED, 0) } {
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
            Ok(_) => break,
        }
    }
    // si_code at byte 8, si_status at byte 24
    let (code, status) = (info[2], info[6]);
    Ok(if code == 1 { (status, 0) } else { (-1, status) })
}

fn run(r: &'static Reaper) {
    let mut events = [EpollEvent::default(); 16];
    loop {
        let n = match unsafe { sc!(nr::EPOLL_PWAIT, r.epfd, events.as_mut_ptr(), events.len(), -1isize, 0, 8) } {
            Ok(n) => n,
            Err(_) => continue, // EINTR
        };
        for ev in &events[..n] {
            let id = ev.data;
            let entry = r.table.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
            let Some((pidfd, pid)) = entry else { continue };
            let (code, signal) = wait_pidfd(pidfd).unwrap_or((-1, 0));
            let _ = unsafe { sc!(nr::EPOLL_CTL, r.epfd, EPOLL_CTL_DEL, pidfd, 0) };
            let _ = unsafe { sc!(nr::CLOSE, pidfd) };
            let exit = Exit { id, pid, code, signal };
            if let Some(sink) = r.sink.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                sink(exit);
            }
        }
    }
}

/// Installs the function that receives every exit (replacing the previous one).
pub fn set_sink(sink: Sink) -> Result<(), SysError> {
    *reaper()?.sink.lock().unwrap_or_else(|e| e.into_inner()) = Some(sink);
    Ok(())
}

/// Watches `pidfd` (the reaper owns it from now on); returns the id its exit will carry.
pub fn watch(pidfd: i32, pid: i32) -> Result<u64, SysError> {
    let r = reaper()?;
    let id = r.next.fetch_add(1, Ordering::Relaxed);
    r.table.lock().unwrap_or_else(|e| e.into_inner()).insert(id, (pidfd, pid));
    let ev = EpollEvent { events: EPOLLIN, data: id };
    if let Err(e) = unsafe { sc!(nr::EPOLL_CTL, r.epfd, EPOLL_CTL_ADD, pidfd, &ev as *const EpollEvent) } {
        r.table.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
        return Err(SysError::new(e, "epoll_ctl"));
    }
    Ok(id)
}

/// Sends `sig` to watched process `id` through its pidfd (never to a recycled pid).
pub fn signal(id: u64, sig: i32) -> Result<(), SysError> {
    let r = reaper()?;
    let table = r.table.lock().unwrap_or_else(|e| e.into_inner());
    let (pidfd, _) = *table.get(&id).ok_or_else(|| SysError::new(Errno::ESRCH, "kill"))?;
    unsafe { sc!(nr::PIDFD_SEND_SIGNAL, pidfd, sig, 0, 0) }.map(|_| ()).map_err(|e| SysError::new(e, "kill"))
}

/// A duplicate of the pidfd of watched process `id` (the caller closes it).
pub fn dup_pidfd(id: u64) -> Result<i32, SysError> {
    let r = reaper()?;
    let table = r.table.lock().unwrap_or_else(|e| e.into_inner());
    let (pidfd, _) = *table.get(&id).ok_or_else(|| SysError::new(Errno::ESRCH, "container process"))?;
    unsafe { sc!(nr::FCNTL, pidfd, F_DUPFD_CLOEXEC, 3) }.map(|fd| fd as i32).map_err(|e| SysError::new(e, "dup pidfd"))
}
