//! The munging and the answer check on the SDPs a real browser client sent and accepted.

use super::*;

const OFFER: &str = include_str!("../../tests/fixtures/transcoded-offer.sdp");
const CHROME_ANSWER: &str = include_str!("../../tests/fixtures/chrome-answer.sdp");
const ICE_LITE_ANSWER: &str = include_str!("../../tests/fixtures/ice-lite-answer.sdp");

/// The offer as the browser made it, before munging: no TIAS, key frame or slides lines, and
/// with header extensions.
fn raw_offer() -> String {
    let mut raw = String::new();
    for line in OFFER.lines() {
        if line.starts_with("b=TIAS")
            || line.starts_with("a=periodic-keyframes")
            || line == "a=content:slides"
        {
            continue;
        }
        raw.push_str(line);
        raw.push_str("\r\n");
        if line.starts_with("a=mid:") {
            raw.push_str("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n");
            raw.push_str("a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n");
        }
    }
    raw
}

/// Each m-line's section, as text lines.
fn sections(sdp: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for line in sdp.lines() {
        if line.starts_with("m=") {
            out.push(Vec::new());
        }
        if let Some(section) = out.last_mut() {
            section.push(line.trim_end().to_owned());
        }
    }
    out
}

/// The real offer without the lines starting with `prefix`.
fn offer_without(prefix: &str) -> String {
    OFFER
        .lines()
        .filter(|l| !l.starts_with(prefix))
        .map(|l| format!("{l}\r\n"))
        .collect()
}

fn has(section: &[String], line: &str) -> bool {
    section.iter().any(|l| l == line)
}

#[test]
fn the_real_offer_parses_and_keeps_every_line_through_the_crate() {
    let session = parse(OFFER).expect("the browser's offer parses");
    assert_eq!(session.media_descriptions.len(), 3);
    let printed = session.marshal();
    assert_eq!(
        printed,
        OFFER.replace('\n', "\r\n"),
        "printed back line for line"
    );
}

#[test]
fn munging_the_raw_offer_adds_what_locus_expects() {
    let munged = munge_local_offer(&raw_offer(), &MungeConfig::default()).expect("munges");
    let m = sections(&munged);
    assert_eq!(m.len(), 3);
    assert!(has(&m[0], "b=TIAS:64000"));
    assert!(!has(&m[0], "a=periodic-keyframes:20"));
    for video in &m[1..] {
        assert!(has(video, "b=TIAS:4000000"));
        assert!(has(video, "a=periodic-keyframes:20"));
    }
    assert!(!has(&m[1], "a=content:slides"));
    assert!(has(&m[2], "a=content:slides"));
    assert!(!munged.contains("a=extmap:"), "every extmap is removed");
    assert!(
        munged.contains("a=extmap-allow-mixed"),
        "not an extmap line"
    );
    assert!(munged.contains("a=group:BUNDLE 0 1 2"));
}

#[test]
fn munging_gives_the_same_media_lines_the_real_client_sent() {
    let munged = munge_local_offer(&raw_offer(), &MungeConfig::default()).expect("munges");
    for (ours, theirs) in sections(&munged).iter().zip(sections(OFFER)) {
        let mut ours = ours.clone();
        let mut theirs = theirs.clone();
        ours.sort();
        theirs.sort();
        assert_eq!(ours, theirs);
    }
}

#[test]
fn munging_twice_changes_nothing() {
    let once = munge_local_offer(OFFER, &MungeConfig::default()).expect("munges");
    let twice = munge_local_offer(&once, &MungeConfig::default()).expect("munges");
    assert_eq!(once, twice);
    assert_eq!(once.matches("b=TIAS").count(), 3);
}

#[test]
fn slides_are_marked_only_with_exactly_two_videos() {
    let two_mlines: String = {
        let cut = OFFER.find("m=video 54511").expect("third m-line");
        OFFER[..cut].replace("a=content:slides\n", "")
    };
    let munged = munge_local_offer(&two_mlines, &MungeConfig::default()).expect("munges");
    assert!(!munged.contains("a=content:slides"));
}

#[test]
fn a_video_mline_without_h264_is_refused() {
    let no_h264 = OFFER.replace("H264/90000", "H265/90000");
    assert_eq!(
        munge_local_offer(&no_h264, &MungeConfig::default()),
        Err(SdpError::NoH264 { index: 1 })
    );
    let allowed = MungeConfig {
        require_h264: false,
        ..MungeConfig::default()
    };
    assert!(munge_local_offer(&no_h264, &allowed).is_ok());
}

#[test]
fn incomplete_offers_are_refused() {
    let no_candidates = offer_without("a=candidate");
    assert_eq!(
        munge_local_offer(&no_candidates, &MungeConfig::default()),
        Err(SdpError::NoCandidate { index: 0 })
    );
    let no_pwd = offer_without("a=ice-pwd");
    assert_eq!(
        munge_local_offer(&no_pwd, &MungeConfig::default()),
        Err(SdpError::NoIceCredentials { index: 0 })
    );
    let port_zero = OFFER.replacen("m=video 37328", "m=video 0", 1);
    assert_eq!(
        munge_local_offer(&port_zero, &MungeConfig::default()),
        Err(SdpError::PortZero { index: 1 })
    );
    assert!(matches!(
        munge_local_offer("not sdp", &MungeConfig::default()),
        Err(SdpError::Parse(_))
    ));
}

#[test]
fn both_real_answers_pass_the_check() {
    let chrome = check_answer(OFFER, CHROME_ANSWER).expect("chrome's answer fits");
    assert_eq!(chrome.media_server, "linus");
    let mids: Vec<_> = ["0", "1", "2"].map(|m| Some(m.to_owned())).into();
    assert_eq!(chrome.mids, mids);
    let ice_lite = check_answer(OFFER, ICE_LITE_ANSWER).expect("the ice-lite answer fits");
    assert_eq!(ice_lite.mids, mids);
}

#[test]
fn an_answer_lacking_an_mline_is_refused_by_index() {
    let cut = ICE_LITE_ANSWER.rfind("m=video").expect("a third m-line");
    let error = check_answer(OFFER, &ICE_LITE_ANSWER[..cut]).expect_err("lacks m-line 2");
    assert_eq!(error, SdpError::AnswerLacksMline { index: 2 });
    assert_eq!(error.to_string(), "answer lacks m-line 2");
}

#[test]
fn answers_that_do_not_match_the_offer_are_refused() {
    let swapped = ICE_LITE_ANSWER.replacen("a=mid:1", "a=mid:7", 1);
    assert!(matches!(
        check_answer(OFFER, &swapped),
        Err(SdpError::MidMismatch { index: 1, .. })
    ));
    let kind = ICE_LITE_ANSWER.replacen("m=audio", "m=video", 1);
    assert!(matches!(
        check_answer(OFFER, &kind),
        Err(SdpError::MediaKindMismatch { index: 0, .. })
    ));
    let unbundled = ICE_LITE_ANSWER.replace("a=group:BUNDLE 0 1 2", "a=group:BUNDLE 0 1");
    assert_eq!(
        check_answer(OFFER, &unbundled),
        Err(SdpError::NotBundled { mid: "2".into() })
    );
    let cut = OFFER.find("m=video 54511").expect("third m-line");
    assert_eq!(
        check_answer(&OFFER[..cut], ICE_LITE_ANSWER),
        Err(SdpError::AnswerHasExtraMlines {
            offered: 2,
            answered: 3
        })
    );
}

#[test]
fn remote_sdps_get_a_start_bitrate_on_h264_and_lose_extmaps_and_xtls_candidates() {
    let with_extras = CHROME_ANSWER
        .replacen(
            "a=mid:0\n",
            "a=mid:0\na=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\n",
            1,
        )
        .replacen(
            "a=mid:1\n",
            "a=mid:1\na=candidate:9 1 xtls 1 10.0.0.1 443 typ host\n",
            1,
        );
    let munged = munge_remote_sdp(&with_extras).expect("munges");
    assert!(!munged.contains("a=extmap:"));
    assert!(!munged.contains(" xtls "));
    assert!(
        munged.contains("a=candidate:3412501459"),
        "udp candidates stay"
    );
    let session = parse(&munged).expect("parses");
    for media in &session.media_descriptions {
        let h264 = h264_payload_types(media);
        for fmtp in media.attributes.iter().filter(|a| a.key == "fmtp") {
            let value = fmtp.value.as_deref().unwrap_or_default();
            let is_h264 = h264.iter().any(|pt| value.starts_with(&format!("{pt} ")));
            assert_eq!(
                value.ends_with(";x-google-start-bitrate=2000"),
                is_h264,
                "{value}"
            );
        }
    }
    assert_eq!(
        munged.matches(";x-google-start-bitrate=2000").count(),
        12,
        "six H264 formats on each video m-line"
    );
    assert_eq!(munge_remote_sdp(&munged), Ok(munged.clone()), "idempotent");
    assert!(check_answer(OFFER, &munged).is_ok());
}

mod never_panic {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
            let _ = munge_local_offer(&text, &MungeConfig::default());
            let _ = check_answer(&text, ICE_LITE_ANSWER);
            let _ = check_answer(OFFER, &text);
            let _ = munge_remote_sdp(&text);
        }

        #[test]
        fn damaged_real_answers_never_panic(cut in 0usize..2000, junk in "[a-z=:0-9 \\r\\n]{0,40}") {
            let mut text = ICE_LITE_ANSWER.to_owned();
            let at = cut.min(text.len());
            let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            text.insert_str(at, &junk);
            let _ = check_answer(OFFER, &text);
            let _ = munge_local_offer(&text, &MungeConfig::default());
            let _ = munge_remote_sdp(&text);
        }
    }
}
