//! Hydra ids: decoding any text never panics, and whatever decodes re-encodes to an id that
//! decodes to the same parts.

#![no_main]

use libfuzzer_sys::fuzz_target;
use webex_messages::id::{self, RoomId};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(decoded) = id::decode(text) else {
        return;
    };
    assert!(!decoded.cluster.is_empty() && !decoded.kind.is_empty() && !decoded.inner.is_empty());
    assert!(!decoded.cluster.contains('/') && !decoded.kind.contains('/'));
    // A ROOM id of the same cluster and inner id round-trips through the typed API.
    let again = RoomId::encode(&decoded.cluster, &decoded.inner);
    let Ok(round) = again.decode() else {
        panic!("{again:?} does not decode");
    };
    assert_eq!(round.cluster, decoded.cluster);
    assert_eq!(round.kind, "ROOM");
    assert_eq!(round.inner, decoded.inner);
    assert_eq!(
        RoomId::new(text).as_str(),
        text,
        "ids keep the exact string received"
    );
});
