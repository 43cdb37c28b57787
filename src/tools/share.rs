//! Sharing a scenario in a URL: the whole text, compressed (DEFLATE) and written in
//! URL-safe base64 in the fragment (`#s=1…`), so nothing reaches a server. Opening the
//! URL restores the text exactly.

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

/// The text a fragment carries (with or without the leading `#`).
pub fn decode(fragment: &str) -> Result<String, String> {
    let body = fragment
        .trim_start_matches('#')
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
    fn damaged_links_are_refused_with_a_reason() {
        assert!(decode("nothing").is_err());
        assert!(decode("s=1!!!").is_err());
        assert!(decode("s=1AAAA").is_err());
    }
}
