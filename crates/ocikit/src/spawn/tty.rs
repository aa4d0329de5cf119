//! The container's terminal: a pty from the container's own devpts, master handed to the parent.

use super::child::{Fail, Step};
use super::raw::{self, fmt_num};
use crate::sc;
use crate::sys::consts::*;
use crate::sys::{nr, Errno, SysError};

#[repr(C)]
struct IoVec {
    base: *const u8,
    len: usize,
}

#[repr(C)]
struct MsgHdr {
    name: usize,
    namelen: u32,
    iov: *const IoVec,
    iovlen: usize,
    control: *mut u8,
    controllen: usize,
    flags: i32,
}

/// cmsghdr (len, level, type) + one int, padded to 8 bytes.
#[repr(C, align(8))]
struct FdCmsg {
    len: usize,
    level: i32,
    kind: i32,
    fd: i32,
    _pad: i32,
}

/// In the child: opens /dev/pts/ptmx, unlocks it, sends the master on `sock`, makes the slave the
/// controlling terminal of a new session and returns the slave fd.
pub fn open_in_child(sock: i32, winsize: &[u16; 4]) -> Result<usize, Fail> {
    let ptmx = c"/dev/pts/ptmx";
    let master = raw::openat(AT_FDCWD, ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC, 0).step_at("open pty", ptmx)?;
    let unlock: i32 = 0;
    raw::ioctl(master, TIOCSPTLCK, &unlock as *const i32 as usize).step("unlock pty")?;
    let mut n: u32 = 0;
    raw::ioctl(master, TIOCGPTN, &mut n as *mut u32 as usize).step("pty number")?;
    raw::ioctl(master, TIOCSWINSZ, winsize.as_ptr() as usize).step("set pty size")?;
    let mut buf = [0u8; 64];
    let path = fmt_num(&mut buf, b"/dev/pts/", n as usize);
    let slave = raw::openat(AT_FDCWD, path, O_RDWR | O_NOCTTY | O_CLOEXEC, 0).step("open pty slave")?;
    let byte = [0u8; 1];
    let iov = IoVec { base: byte.as_ptr(), len: 1 };
    let mut cm = FdCmsg { len: 20, level: SOL_SOCKET, kind: SCM_RIGHTS, fd: master as i32, _pad: 0 };
    let msg = MsgHdr {
        name: 0,
        namelen: 0,
        iov: &iov,
        iovlen: 1,
        control: &mut cm as *mut FdCmsg as *mut u8,
        controllen: core::mem::size_of::<FdCmsg>(),
        flags: 0,
    };
    unsafe { sc!(nr::SENDMSG, sock, &msg as *const MsgHdr, 0) }.step("send pty master")?;
    raw::close(master);
    unsafe { sc!(nr::SETSID) }.step("setsid")?;
    raw::ioctl(slave, TIOCSCTTY, 0).step("set controlling terminal")?;
    Ok(slave)
}

/// A connected pair of unix sockets (close-on-exec).
pub fn socketpair() -> Result<[i32; 2], SysError> {
    let mut fds = [-1i32; 2];
    unsafe { sc!(nr::SOCKETPAIR, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds.as_mut_ptr()) }
        .map_err(|e| SysError::new(e, "socketpair"))?;
    Ok(fds)
}

/// In the parent: the master fd the child sent, if it got that far (does not block).
pub fn receive_master(sock: i32) -> Result<Option<i32>, SysError> {
    let mut byte = [0u8; 1];
    let iov = IoVec { base: byte.as_mut_ptr(), len: 1 };
    let mut cm = FdCmsg { len: 0, level: 0, kind: 0, fd: -1, _pad: 0 };
    let mut msg = MsgHdr {
        name: 0,
        namelen: 0,
        iov: &iov,
        iovlen: 1,
        control: &mut cm as *mut FdCmsg as *mut u8,
        controllen: core::mem::size_of::<FdCmsg>(),
        flags: 0,
    };
    const MSG_DONTWAIT: usize = 0x40;
    const MSG_CMSG_CLOEXEC: usize = 0x4000_0000;
    match unsafe { sc!(nr::RECVMSG, sock, &mut msg as *mut MsgHdr, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) } {
        Ok(_) if cm.level == SOL_SOCKET && cm.kind == SCM_RIGHTS && cm.fd >= 0 => Ok(Some(cm.fd)),
        Ok(_) | Err(Errno::EAGAIN) => Ok(None),
        Err(e) => Err(SysError::new(e, "receive pty master")),
    }
}

/// TIOCSWINSZ on a pty master.
pub fn resize(fd: i32, rows: u16, cols: u16) -> Result<(), SysError> {
    let ws = [rows, cols, 0, 0];
    raw::ioctl(fd as usize, TIOCSWINSZ, ws.as_ptr() as usize).map(|_| ()).map_err(|e| SysError::new(e, "resize pty"))
}
