//! Which users an event-log filter names. A person types a name, or part of one:
//!
//! - a user's whole name (any case) selects that user only: `person-42` is not
//!   `person-420`;
//! - `*` stands for any characters: `person-42*` is person-42, person-420, person-4299 …;
//! - any other text selects every user whose name contains it.

/// The users of `names` that `pattern` selects (`None`: every user, the pattern is empty).
pub fn users_matching<'a>(
    pattern: &str,
    names: impl Iterator<Item = &'a str> + Clone,
) -> Option<Vec<bool>> {
    let needle = pattern.trim().to_lowercase();
    if needle.is_empty() {
        return None;
    }
    let exact = !needle.contains('*') && names.clone().any(|n| n.to_lowercase() == needle);
    Some(
        names
            .map(|n| {
                let n = n.to_lowercase();
                if exact {
                    n == needle
                } else if needle.contains('*') {
                    wildcard(&needle, &n)
                } else {
                    n.contains(&needle)
                }
            })
            .collect(),
    )
}

/// `*` matches any run of characters; everything else itself.
fn wildcard(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 5] = ["person-4", "person-42", "person-420", "person-4299", "Sam"];

    fn chosen(pattern: &str) -> Vec<&'static str> {
        let m = users_matching(pattern, NAMES.iter().copied()).expect("a pattern");
        NAMES
            .iter()
            .zip(m)
            .filter(|(_, y)| *y)
            .map(|(n, _)| *n)
            .collect()
    }

    #[test]
    fn a_whole_name_selects_that_user_only() {
        assert_eq!(chosen("person-42"), ["person-42"]);
        assert_eq!(chosen(" SAM "), ["Sam"]);
    }

    #[test]
    fn a_star_stands_for_any_characters() {
        assert_eq!(
            chosen("person-42*"),
            ["person-42", "person-420", "person-4299"]
        );
        assert_eq!(chosen("*0"), ["person-420"]);
        assert_eq!(chosen("p*-4*9"), ["person-4299"]);
    }

    #[test]
    fn part_of_a_name_selects_every_name_containing_it() {
        assert_eq!(chosen("son-42"), ["person-42", "person-420", "person-4299"]);
        assert_eq!(users_matching("  ", NAMES.iter().copied()), None);
    }
}
