//! Sharing a scenario in a URL: the whole text, compressed (DEFLATE) and written in
//! URL-safe base64 in the fragment (`#s=1…`), so nothing reaches a server. Opening the
//! URL restores the text exactly.
//!
//! A link may also carry a sizing request (issue 15), so its recipient sees the same
//! answer: `#s=1…&size=SEEDS,MAX_DENIALS`. `&` is not in the base64 alphabet, so a link
//! without it (every older link) reads as before, and a reader ignores parameters it
//! does not know.

use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;

use crate::scenario::limits::MAX_TEXT_BYTES;

/// The longest fragment a share link may have; past it the app offers the file instead
/// (long links break in mail and chat programs).
pub const MAX_FRAGMENT: usize = 8_000;

/// The fragment's prefix: `s=` and the format version.
pub const PREFIX: &str = "s=1";

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The fragment (without `#`) that carries `text`, or why it cannot.
pub fn encode(text: &str) -> Result<String, String> {
    // DEFLATE packs at most about 1,032 bytes into one: past that, no link can carry the
    // text, and a large import is not compressed for nothing.
    if text.len() / 1032 * 4 / 3 > MAX_FRAGMENT {
        return Err(format!(
            "this scenario is too large for a link ({:.1} MB of text; a link carries a few kilobytes): download the .toml file and send that instead",
            text.len() as f64 / 1_048_576.0
        ));
    }
    let packed = compress_to_vec(text.as_bytes(), 9);
    let fragment = format!("{PREFIX}{}", base64url(&packed));
    if fragment.len() > MAX_FRAGMENT {
        return Err(format!(
            "this scenario is too long for a link ({} characters compressed, the limit is {MAX_FRAGMENT}): save it as a file and send that instead",
            fragment.len()
        ));
    }
    Ok(fragment)
}

/// A sizing to run on opening a link: `license-lab size FILE --seeds N --max-denials M`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SizeRequest {
    pub seeds: u64,
    pub max_denials: u64,
}

/// The most seeds a link may ask for (the app's own limit).
pub const MAX_LINK_SEEDS: u64 = 1000;

/// The fragment for `text` and, if given, a sizing request.
pub fn encode_with(text: &str, size: Option<SizeRequest>) -> Result<String, String> {
    let mut fragment = encode(text)?;
    if let Some(r) = size {
        fragment.push_str(&format!("&size={},{}", r.seeds, r.max_denials));
    }
    Ok(fragment)
}

/// The text a fragment carries and its sizing request, if it has a valid one (a damaged
/// request is left out: the scenario still opens).
pub fn decode_link(fragment: &str) -> Result<(String, Option<SizeRequest>), String> {
    let fragment = fragment.trim_start_matches('#');
    let mut parts = fragment.split('&');
    let text = decode(parts.next().unwrap_or(""))?;
    let size = parts.filter_map(|p| p.strip_prefix("size=")).find_map(|v| {
        let (seeds, max) = v.split_once(',')?;
        let seeds: u64 = seeds.parse().ok()?;
        Some(SizeRequest {
            seeds: seeds.clamp(1, MAX_LINK_SEEDS),
            max_denials: max.parse().ok()?,
        })
    });
    Ok((text, size))
}

/// The text a fragment carries (with or without the leading `#`; parameters after `&`
/// are not the text's).
pub fn decode(fragment: &str) -> Result<String, String> {
    let body = fragment
        .trim_start_matches('#')
        .split('&')
        .next()
        .unwrap_or("")
        .strip_prefix(PREFIX)
        .ok_or("this link does not carry a scenario")?;
    let packed = unbase64url(body).ok_or("this link's scenario is damaged (not base64)")?;
    let bytes = decompress_to_vec_with_limit(&packed, MAX_TEXT_BYTES)
        .map_err(|_| "this link's scenario is damaged or too large to open")?;
    String::from_utf8(bytes).map_err(|_| "this link's scenario is not text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_survives_the_round_trip_exactly() {
        let text = include_str!("../../examples/walkthrough.toml");
        let f = encode(text).unwrap();
        assert!(f.starts_with("s=1"));
        assert!(f
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)));
        assert_eq!(decode(&f).unwrap(), text);
        assert_eq!(decode(&format!("#{f}")).unwrap(), text);
        for s in ["", "a", "ab", "abc", "é ünïcødé ✓"] {
            assert_eq!(decode(&encode(s).unwrap()).unwrap(), s);
        }
    }

    #[test]
    fn too_long_for_a_link_says_so() {
        let mut text = String::new();
        let mut x: u32 = 1;
        while text.len() < 40_000 {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            text.push_str(&format!("# {x:08x}\n"));
        }
        assert!(encode(&text).unwrap_err().contains("save it as a file"));
    }

    #[test]
    fn an_import_too_large_for_any_link_is_refused_at_once_with_its_size() {
        // 11 MB that would compress well: no link could carry it whatever the ratio.
        let text = "u1,2026-01-01T08:00,60\n".repeat(500_000);
        let why = encode(&text).unwrap_err();
        assert!(
            why.contains("too large for a link") && why.contains("MB of text"),
            "{why}"
        );
        assert!(why.contains("download the .toml file"), "{why}");
    }

    #[test]
    fn a_link_carries_a_sizing_request_and_old_links_still_open() {
        let text = include_str!("../../examples/sizing.toml");
        let old = encode(text).unwrap();
        assert_eq!(decode_link(&old).unwrap(), (text.to_string(), None));
        let req = SizeRequest {
            seeds: 50,
            max_denials: 2,
        };
        let f = encode_with(text, Some(req)).unwrap();
        assert_eq!(f, format!("{old}&size=50,2"));
        assert_eq!(
            decode_link(&format!("#{f}")).unwrap(),
            (text.to_string(), Some(req))
        );
        // The text alone, as an older reader takes it.
        assert_eq!(decode(&f).unwrap(), text);
        // Unknown parameters are ignored; a damaged request is left out, the text opens.
        let (t, r) = decode_link(&format!("{old}&view=chart&size=7,0")).unwrap();
        assert_eq!((t.as_str(), r.map(|r| r.seeds)), (text, Some(7)));
        assert_eq!(decode_link(&format!("{old}&size=x,1")).unwrap().1, None);
        let big = decode_link(&format!("{old}&size=999999,0"))
            .unwrap()
            .1
            .unwrap();
        assert_eq!(big.seeds, MAX_LINK_SEEDS);
    }

    #[test]
    fn damaged_links_are_refused_with_a_reason() {
        assert!(decode("nothing").is_err());
        assert!(decode("s=1!!!").is_err());
        assert!(decode("s=1AAAA").is_err());
    }
}
