//! Socket faults: what a test can do to open Mercury sockets, and what each
//! one does on the wire.

use std::borrow::Cow;

/// What to do to the targeted sockets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MercuryFaultAction {
    /// Close the socket with `code`.
    ///
    /// Codes that may appear in a close frame (1000–1003, 1007–1014,
    /// 3000–4999) are sent in one. Three codes are defined to never be sent
    /// (RFC 6455 §7.4.1), so they are emulated by what makes a client see
    /// them: 1005 ("no status") is a close frame without a status code,
    /// 1006 ("abnormal closure") ends the TCP connection without a close
    /// frame (the same as [`MercuryFaultAction::Drop`]). 1004, 1015 and
    /// anything else are refused.
    Close {
        /// The close code.
        code: u16,
    },
    /// Stop answering pings and stop sending, with the socket left open: the
    /// emulator reads nothing more from it and sends nothing, until the
    /// client gives up (or, at the latest, after the redelivery window,
    /// when the emulator drops the connection). Activities meanwhile wait
    /// for the device's next socket.
    Stall,
    /// End the TCP connection at once, without a close frame.
    Drop,
}

/// How the socket task carries out a fault, or any other server-side end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Kick {
    /// A close frame with this code and reason (1005: a close frame without
    /// a status code); undelivered activities wait for the next socket.
    Close(u16, Cow<'static, str>),
    /// The device is gone: close with 1000 and drop what is undelivered.
    Gone(Cow<'static, str>),
    /// End the connection without a close frame.
    Drop,
    /// Go silent.
    Stall,
}

/// The reason sent with an injected close.
const FAULT_REASON: &str = "Injected by the emulator.";

/// The close code a receiver reports for a close frame without one.
pub(super) const NO_STATUS: u16 = 1005;

/// The close code a receiver reports for a connection that ended without a
/// close frame.
const ABNORMAL: u16 = 1006;

impl MercuryFaultAction {
    /// Checks the action; the message says what is wrong.
    pub(crate) fn check(self) -> Result<(), String> {
        match self {
            Self::Close { code } if !closable(code) => Err(format!(
                "code {code} cannot close a socket: use 1000-1003, 1005, 1006, 1007-1014 or 3000-4999."
            )),
            _ => Ok(()),
        }
    }

    /// What the socket task does for it.
    pub(super) fn kick(self) -> Kick {
        match self {
            Self::Close { code: ABNORMAL } | Self::Drop => Kick::Drop,
            Self::Close { code } => Kick::Close(code, Cow::Borrowed(FAULT_REASON)),
            Self::Stall => Kick::Stall,
        }
    }
}

/// Whether `code` can be emulated as a close (see [`MercuryFaultAction::Close`]).
fn closable(code: u16) -> bool {
    matches!(code, 1000..=1003 | NO_STATUS | ABNORMAL | 1007..=1014 | 3000..=4999)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_that_cannot_close_are_refused() {
        for good in [1000, 1001, 1003, 1005, 1006, 1007, 1011, 1014, 3000, 4999] {
            assert!(
                MercuryFaultAction::Close { code: good }.check().is_ok(),
                "{good}"
            );
        }
        for bad in [0, 999, 1004, 1015, 1016, 2999, 5000] {
            assert!(
                MercuryFaultAction::Close { code: bad }.check().is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn each_action_has_its_wire_effect() {
        assert_eq!(MercuryFaultAction::Close { code: 1006 }.kick(), Kick::Drop);
        assert_eq!(MercuryFaultAction::Drop.kick(), Kick::Drop);
        assert_eq!(MercuryFaultAction::Stall.kick(), Kick::Stall);
        assert!(matches!(
            MercuryFaultAction::Close { code: 1005 }.kick(),
            Kick::Close(1005, _)
        ));
    }
}
