//! Brings `lo` up in a network namespace the container gets of its own, as Docker does for every
//! container (also `--network none`): a server on 127.0.0.1 inside must be reachable from inside.
//! Runs in the clone child (no allocation, raw syscalls only).

use super::child::{Fail, Step};
use crate::sc;
use crate::sys::consts::*;
use crate::sys::nr;

/// `struct ifreq` as far as SIOCGIFFLAGS/SIOCSIFFLAGS use it.
#[repr(C)]
struct IfReqFlags {
    name: [u8; 16],
    flags: i16,
    _pad: [u8; 22],
}

pub fn up() -> Result<(), Fail> {
    let fd = unsafe { sc!(nr::SOCKET, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0) }.step("socket (lo)")?;
    let mut req = IfReqFlags { name: [0; 16], flags: 0, _pad: [0; 22] };
    req.name[..2].copy_from_slice(b"lo");
    let r = unsafe { sc!(nr::IOCTL, fd, SIOCGIFFLAGS, &mut req as *mut IfReqFlags) }
        .and_then(|_| {
            req.flags |= IFF_UP;
            unsafe { sc!(nr::IOCTL, fd, SIOCSIFFLAGS, &mut req as *mut IfReqFlags) }
        })
        .step("bring lo up");
    let _ = unsafe { sc!(nr::CLOSE, fd) };
    r.map(|_| ())
}
