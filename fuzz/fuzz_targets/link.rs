//! `Link` headers: parsing never panics, and what it reads survives being written back in
//! canonical form (`<url>; name="value", ...`) and read again.

#![no_main]

use http::HeaderValue;
use libfuzzer_sys::fuzz_target;
use webex_core::page::{Link, parse_links};

/// `links` as one canonical header value.
fn write(links: &[Link]) -> String {
    links
        .iter()
        .map(|link| {
            let params: String = link
                .params
                .iter()
                .map(|(name, value)| {
                    let value = value.replace('\\', "\\\\").replace('"', "\\\"");
                    format!("; {name}=\"{value}\"")
                })
                .collect();
            format!("<{}>{params}", link.url)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fuzz_target!(|data: &[u8]| {
    // Several header values, split where the input has a NUL (never valid in a header).
    let values: Vec<HeaderValue> = data
        .split(|byte| *byte == 0)
        .filter_map(|part| HeaderValue::from_bytes(part).ok())
        .collect();
    let links = parse_links(&values);
    for link in &links {
        assert!(!link.url.contains('>'), "{:?}", link.url);
        assert_eq!(link.url.trim(), link.url);
        let _ = link.has_rel("next");
        for (name, _) in &link.params {
            assert!(!name.is_empty());
            assert_eq!(*name, name.to_ascii_lowercase());
        }
    }
    if links.is_empty() {
        return;
    }
    let written = write(&links);
    let Ok(value) = HeaderValue::from_str(&written) else {
        panic!("parsed links written back are not a header value: {written:?}");
    };
    assert_eq!(parse_links([&value]), links, "{written:?}");
});
