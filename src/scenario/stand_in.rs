//! The stand-in of a scenario text too large to move between the app's threads (issue 14):
//! an imported history is tens of MB, and copying and converting it on the page would hold
//! the page for seconds. The whole text stays with the workers (and as a `Blob` on the
//! page, see `app::large`); what the page keeps, shows and sends is its stand-in: a marker
//! line naming the text's id and size, then the text's head (what the editor shows,
//! read-only). A message names the stand-ins it carries ([`ids_in_json`]), so their
//! texts can travel ahead of it; [`super::parse`] rejects a stand-in whose whole text was
//! not put back, saying why.

/// Texts over this many bytes travel as their stand-in.
pub const LARGE: usize = 4 << 20;
/// The lines of a large text its stand-in shows.
pub const HEAD_LINES: usize = 200;
/// The stand-in's first line starts with this (a TOML comment).
const MARK: &str = "# license-lab:large-text ";

/// Whether `text` is too large to travel whole.
pub fn is_large(text: &str) -> bool {
    text.len() > LARGE
}

/// The id of a text: an FNV-1a-style hash of it (64 bits, taken 8 bytes at a time: tens
/// of MB in a few milliseconds) and its length, so equal ids mean equal texts for any
/// practical purpose. Stable across builds: an import kept in IndexedDB is found by it.
pub fn id_of(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = text.as_bytes();
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        h ^= u64::from_le_bytes(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
        h ^= h >> 29;
    }
    for &b in words.remainder() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}-{}", text.len())
}

/// The head of a large text as the editor shows it: its first lines and a note.
pub fn head(text: &str) -> String {
    let head: String = text.split_inclusive('\n').take(HEAD_LINES).collect();
    let sep = if head.ends_with('\n') { "" } else { "\n" };
    format!(
        "{head}{sep}\n# … {:.1} MB in all: too large to edit here (read-only). Edit the license and groups\n# with the Form, or Export .toml and edit the file in a text editor.\n",
        text.len() as f64 / 1_048_576.0
    )
}

/// The stand-in of `text` with id `id` (from [`id_of`]).
pub fn make(id: &str, text: &str) -> String {
    format!("{MARK}{id}\n{}", head(text))
}

/// The id of the text that `text` stands in for, if it is a stand-in.
pub fn id(text: &str) -> Option<&str> {
    let rest = text.strip_prefix(MARK)?;
    let id = rest.split(['\n', '\r', ' ']).next()?;
    let ok = !id.is_empty() && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    ok.then_some(id)
}

/// The size in bytes of the text an id names.
pub fn size_of(id: &str) -> Option<usize> {
    id.rsplit('-').next()?.parse().ok()
}

/// Why a stand-in cannot be read as a scenario (its whole text is not here).
pub fn missing_message(id: &str) -> String {
    let mb = size_of(id).map_or(String::new(), |n| {
        format!(" ({:.1} MB)", n as f64 / 1_048_576.0)
    });
    format!(
        "this is the head of a large scenario{mb} whose whole text is no longer in this browser's memory: open it again from My scenarios (Imported histories), or import its files again"
    )
}

/// The opening quote of a JSON string that is a stand-in.
const JSON_MARK: &str = "\"# license-lab:large-text ";

/// The ids of the stand-ins among the JSON strings of `json`.
pub fn ids_in_json(json: &str) -> Vec<&str> {
    let mut ids = Vec::new();
    let mut from = 0;
    while let Some(at) = json[from..].find(JSON_MARK) {
        let start = from + at + JSON_MARK.len();
        let len = json[start..]
            .find(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
            .unwrap_or(json.len() - start);
        if len > 0 && !ids.contains(&&json[start..start + len]) {
            ids.push(&json[start..start + len]);
        }
        from = start + len;
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big() -> String {
        let mut t = String::from("name = \"Big\"\nstart = \"2026-01-01\"\ndays = 1\n");
        while t.len() <= LARGE {
            t.push_str("# a line of padding to make the text large enough to stand in for\n");
        }
        t
    }

    #[test]
    fn a_stand_in_names_its_text_and_shows_its_head() {
        let t = big();
        let id = id_of(&t);
        let s = make(&id, &t);
        assert_eq!(super::id(&s), Some(id.as_str()));
        assert_eq!(size_of(&id), Some(t.len()));
        assert!(s.len() < 20_000);
        assert!(s.contains("name = \"Big\""));
        assert!(s.contains("MB in all"));
        assert_eq!(super::id(&t), None, "a text is no stand-in");
        assert_ne!(id_of(&t), id_of(&format!("{t}x")));
    }

    #[test]
    fn a_message_names_the_stand_ins_it_carries() {
        let (a, b) = (big(), format!("{}# b\n", big()));
        let (ia, ib) = (id_of(&a), id_of(&b));
        let msg = serde_json::json!({"Compare": {"a": make(&ia, &a), "b": make(&ib, &b), "c": make(&ia, &a)}})
            .to_string();
        assert_eq!(ids_in_json(&msg), vec![ia.as_str(), ib.as_str()]);
        // A text that only quotes the marker further on is no stand-in.
        let quoted =
            serde_json::json!({"Check": {"text": format!("x\n{}", make(&ia, &a))}}).to_string();
        assert!(ids_in_json(&quoted).is_empty());
    }

    #[test]
    fn a_stand_in_without_its_text_is_refused_with_the_reason() {
        let t = big();
        let s = make(&id_of(&t), &t);
        let err = crate::scenario::parse(&s).expect_err("a stand-in is no scenario");
        assert_eq!(err.0[0].line, 1);
        assert!(
            err.0[0]
                .message
                .contains("no longer in this browser's memory"),
            "{err}"
        );
    }
}
