//! The compact visits table (SCENARIOS.md, "`visits`: the compact visits table"): the same
//! rows as `[[visit]]` tables, any column order, defaults for empty cells, rows after the
//! `[[visit]]` tables in script order, errors at the file's line naming the column.

use license_lab::scenario::{limits, parse, Scenario, ScenarioError};

const HEAD: &str = "name = \"t\"
start = \"2026-03-01\"
days = 30
";

const TAIL: &str = "
[license]
tokens = 10
cores = 8

[[group]]
name = \"g\"
tokens = 2

[[user]]
name = \"sam\"
access = \"login:g\"

[[user]]
name = \"kim, the \\\"second\\\"\"
access = \"login:g\"

[[node]]
name = \"hub\"
role = \"central\"

[[node]]
name = \"rim\"
";

fn with_table(table: &str) -> String {
    format!("{HEAD}visits = \"\"\"\n{table}\"\"\"\n{TAIL}")
}

fn ok(text: &str) -> Scenario {
    match parse(text) {
        Ok(s) => s,
        Err(e) => panic!("expected a valid scenario:\n{e}\n---\n{text}"),
    }
}

fn errors(text: &str) -> Vec<ScenarioError> {
    match parse(text) {
        Ok(_) => panic!("expected errors for:\n{text}"),
        Err(e) => e.0,
    }
}

/// The 1-based line of `needle`'s first occurrence in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).expect("needle in text");
    text[..at].matches('\n').count() + 1
}

#[test]
fn the_table_gives_the_same_visits_as_visit_tables() {
    let tables = format!(
        "{HEAD}{TAIL}
[[visit]]
user = \"sam\"
at = \"day 1 09:00\"
active = \"70m\"
ends = \"timeout\"

[[visit]]
user = \"kim, the \\\"second\\\"\"
at = \"2026-03-16T14:00\"
active = \"40m\"
device = \"laptop\"
session_id = \"s-1\"
node = \"rim\"

[[visit]]
user = \"sam\"
at = \"day 2 08:00\"
active = \"1h30m\"
ends = \"close\"
session_id = \"s-1\"
"
    );
    // A literal string: CSV's doubled quotes would end a """ string.
    let table = format!(
        "{HEAD}visits = '''
user,at,active,ends,device,session_id,node
sam,day 1 09:00,70m,timeout,,,
\"kim, the \"\"second\"\"\",2026-03-16T14:00,40m,,laptop,s-1,rim
sam,day 2 08:00,1h30m,close,,s-1,
'''
{TAIL}"
    );
    let a = ok(&tables);
    let b = ok(&table);
    assert_eq!(a.visits, b.visits);
    assert_eq!(a.devices, b.devices);
    assert_eq!(a.session_ids, b.session_ids);
    assert_eq!(a.explicit_visits, 3);
    assert_eq!(b.explicit_visits, 3);
}

#[test]
fn columns_come_in_any_order_and_empty_cells_take_the_defaults() {
    let sc = ok(&with_table(
        "active , user,at
30m,sam,day 3 10:00

45m,sam,day 4 10:00
",
    ));
    assert_eq!(sc.visits.len(), 2);
    let v = sc.visits[0];
    assert_eq!((v.at, v.active), (3 * 1440 + 600, 30));
    assert_eq!(v.ends, license_lab::scenario::Ends::Logout);
    assert_eq!(sc.device_name(v.device), "web");
    assert_eq!(sc.node_name(v.node), "hub");
}

#[test]
fn rows_come_after_every_visit_table_in_script_order() {
    // Same minute: the [[visit]] table (later in the file) is first in script order.
    let text = format!(
        "{}\n[[visit]]\nuser = \"sam\"\nat = \"day 1 09:00\"\nactive = \"10m\"\ndevice = \"from-table\"\n",
        with_table("user,at,active,device\nsam,day 1 09:00,10m,from-csv\n")
    );
    let sc = ok(&text);
    let names: Vec<&str> = sc.visits.iter().map(|v| sc.device_name(v.device)).collect();
    assert_eq!(names, ["from-table", "from-csv"]);
    assert_eq!(sc.visits[0].script, 0);
    assert_eq!(sc.visits[1].script, 1);
}

#[test]
fn an_error_names_the_line_of_the_file_and_the_column() {
    let text = with_table("user,at,active\nsam,day 1 09:00,10m\nsam,day 1 9h,10m\n");
    let e = errors(&text);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].line, line_of(&text, "sam,day 1 9h"));
    assert_eq!(e[0].column, 5);
    assert!(e[0].message.contains("column `at`"), "{}", e[0].message);
    assert!(
        e[0].message.contains("bad time `day 1 9h`"),
        "{}",
        e[0].message
    );
}

#[test]
fn every_bad_row_is_reported_with_the_checks_of_visit_tables() {
    let text = with_table(
        "user,at,active,ends,node
nobody,day 1 09:00,10m,,
sam,day 30 00:00,10m,,
sam,day 2 09:00,ten,,
sam,day 2 09:00,10m,later,
sam,day 2 09:00,10m,,moon
sam,,10m,,
sam,day 2 09:00
",
    );
    let e = errors(&text);
    let found: Vec<(usize, &str)> = e.iter().map(|e| (e.line, e.message.as_str())).collect();
    let expect = [
        ("nobody,", "column `user`: unknown user `nobody`"),
        (
            "sam,day 30",
            "column `at`: visit at `day 30 00:00` is outside the simulated period",
        ),
        ("sam,day 2 09:00,ten", "column `active`: bad duration `ten`"),
        (
            "sam,day 2 09:00,10m,later",
            "column `ends`: unknown end `later`",
        ),
        (
            "sam,day 2 09:00,10m,,moon",
            "column `node`: unknown node `moon`",
        ),
        ("sam,,10m", "column `at`: the cell is empty"),
        (
            "sam,day 2 09:00\n",
            "this row has 2 cells, the header names 5 columns",
        ),
    ];
    assert_eq!(found.len(), expect.len(), "{found:?}");
    for ((line, message), (needle, words)) in found.iter().zip(expect) {
        assert_eq!(*line, line_of(&text, needle), "{message}");
        assert!(message.contains(words), "{message} should say {words}");
    }
}

#[test]
fn the_header_names_known_columns_once_and_the_required_ones() {
    let text = with_table("user,at,colour,at\nsam,day 1 09:00,red,x\n");
    let e = errors(&text);
    let words: Vec<(usize, &str)> = e.iter().map(|e| (e.column, e.message.as_str())).collect();
    assert_eq!(words.len(), 3, "{words:?}");
    assert!(words[0].1.contains("no `active` column"), "{words:?}");
    assert!(
        words[1]
            .1
            .contains("unknown column `colour`: expected user, at, active"),
        "{words:?}"
    );
    assert_eq!(words[1].0, 9);
    assert!(
        words[2].1.contains("the column `at` is named twice"),
        "{words:?}"
    );
    assert_eq!(words[2].0, 16);
    assert!(e.iter().all(|e| e.line == line_of(&text, "user,at,colour")));
}

#[test]
fn an_empty_table_is_no_visits_and_a_header_alone_is_fine() {
    assert_eq!(ok(&with_table("user,at,active\n")).visits.len(), 0);
    let e = errors(&with_table("\n\n"));
    assert!(e[0].message.contains("has no header"), "{}", e[0].message);
}

#[test]
fn a_literal_string_and_a_string_with_escapes_are_read_too() {
    let literal = format!("{HEAD}visits = '''\nuser,at,active\nsam,day 1 09:00,10m\n'''\n{TAIL}");
    assert_eq!(ok(&literal).visits.len(), 1);
    // With escapes the offsets move; the line is still right.
    let escaped = format!(
        "{HEAD}visits = \"\"\"\nuser,at,active\n\\u0073am,day 1 09:00,10m\nsam,day 1 25:00,10m\n\"\"\"\n{TAIL}"
    );
    let e = errors(&escaped);
    assert_eq!(e[0].line, line_of(&escaped, "sam,day 1 25:00"));
    assert!(e[0].message.contains("column `at`"));
}

#[test]
fn many_bad_rows_list_fifty_errors_and_count_the_rest() {
    let mut table = String::from("user,at,active\n");
    for _ in 0..120 {
        table.push_str("ghost,day 1 09:00,10m\n");
    }
    let e = errors(&with_table(&table));
    assert_eq!(e.len(), 51);
    assert!(
        e[50].message.contains("70 more errors"),
        "{}",
        e[50].message
    );
}

#[test]
fn a_file_over_the_text_limit_is_accepted_when_the_excess_is_the_table() {
    let row = "sam,day 1 09:00,10m,timeout\n";
    let rows = limits::MAX_TEXT_BYTES / row.len() + 1000;
    let mut table = String::with_capacity(rows * row.len() + 32);
    table.push_str("user,at,active,ends\n");
    for _ in 0..rows {
        table.push_str(row);
    }
    let text = with_table(&table);
    assert!(text.len() > limits::MAX_TEXT_BYTES);
    assert_eq!(ok(&text).visits.len(), rows);
    // The same size in a description is refused before TOML reads it.
    let padded = format!("{HEAD}description = \"\"\"\n{table}\"\"\"\n{TAIL}");
    let e = errors(&padded);
    assert!(
        e[0].message.contains("the limit is 16 MB"),
        "{}",
        e[0].message
    );
}

// A large table (64 KB and more) written as a literal string is cut out of the file
// before TOML reads it and read from the file itself: the same scenario and the same
// errors, at the same lines and columns, as when TOML reads it.

/// `rows` rows of a table, ~30 bytes each: 3,000 rows make ~90 KB.
fn big_table(rows: usize) -> String {
    let mut t = String::from("user,at,active,ends\n");
    for i in 0..rows {
        let who = if i % 2 == 0 {
            "sam"
        } else {
            "\"kim, the \"\"second\"\"\""
        };
        t.push_str(&format!(
            "{who},day {} 09:{:02},10m,timeout\n",
            1 + i % 28,
            i % 60
        ));
    }
    t
}

/// `table` with `row` inserted after its `n`th line.
fn with_row_after(table: &str, n: usize, row: &str) -> String {
    let at = table
        .match_indices('\n')
        .nth(n)
        .map(|(i, _)| i + 1)
        .expect("the table has that many lines");
    let mut t = table.to_string();
    t.insert_str(at, row);
    t
}

/// The same table as a literal string (cut out) and as a basic string (read by TOML):
/// without backslashes or `"""` the two hold the same text.
fn both(table: &str, tail: &str) -> (String, String) {
    let literal = format!("{HEAD}visits = '''\n{table}'''\n{tail}");
    let basic = format!(
        "{HEAD}visits = \"\"\"\n{}\"\"\"\n{tail}",
        table.replace('"', "\\\"")
    );
    (literal, basic)
}

#[test]
fn a_large_table_cut_out_before_toml_gives_the_same_scenario() {
    let (literal, basic) = both(&big_table(3000), TAIL);
    let a = ok(&literal);
    let b = ok(&basic);
    assert_eq!(a.visits.len(), 3000);
    assert_eq!(a.visits, b.visits);
    assert_eq!(a.users.len(), b.users.len());
    // Windows line ends: the same visits.
    let crlf = ok(&literal.replace('\n', "\r\n"));
    assert_eq!(crlf.visits, a.visits);
}

#[test]
fn a_large_table_cut_out_keeps_every_error_at_its_line_and_column() {
    let table = big_table(3000);
    // After the table (an unknown key), in it (a bad cell), before it (a bad value): the
    // same errors as when TOML reads the table, at the file's lines.
    let after = TAIL.replace("cores = 8", "cores = 8\ncolour = \"red\"");
    let bad_row = with_row_after(&table, 2000, "sam,day 3 25:00,10m,timeout\n");
    for (table, tail, edit, needle) in [
        (&table, after.as_str(), None, "colour"),
        (&bad_row, TAIL, None, "day 3 25:00"),
        (&table, TAIL, Some(("days = 30", "days = 0")), "days = 0"),
    ] {
        let (mut literal, mut basic) = both(table, tail);
        if let Some((from, to)) = edit {
            literal = literal.replace(from, to);
            basic = basic.replace(from, to);
        }
        let a = errors(&literal);
        assert_eq!(a, errors(&basic));
        assert_eq!(a[0].line, line_of(&literal, needle), "{a:?}");
    }
    // Past the table, the column is the file's too: a value after the closing quotes.
    let (literal, _) = both(&table, TAIL);
    let trailing = literal.replace("'''\n\n[license]", "''' x\n\n[license]");
    let e = errors(&trailing);
    let line = line_of(&trailing, "''' x");
    assert_eq!((e[0].line, e[0].column), (line, 5), "{e:?}");
}

#[test]
fn a_large_table_toml_would_refuse_is_read_by_toml() {
    // A control character: TOML's own error, at its line.
    let table = with_row_after(&big_table(3000), 1500, "sam,day 1 09:00,10m,time\u{7}out\n");
    let text = format!("{HEAD}visits = '''\n{table}'''\n{TAIL}");
    let e = errors(&text);
    assert_eq!(e[0].line, line_of(&text, "time\u{7}out"), "{e:?}");
    // No closing quotes: TOML says so.
    let open = format!("{HEAD}visits = '''\n{}", big_table(3000));
    assert!(!errors(&open).is_empty());
}

#[test]
fn quotes_just_before_the_closing_ones_belong_to_the_table() {
    use license_lab::scenario::visits_table::literal;
    let text = "visits = '''\nab''''\nx = 1\n";
    let b = literal(text).expect("a literal table");
    assert_eq!(&text[b.open..b.end], "ab'");
    assert_eq!(&text[b.token..b.token_end], "'''\nab''''");
    // Six quotes are more than TOML allows to close a string: not cut.
    assert!(literal("visits = '''\nab''''''\n").is_none());
    // A table in a basic string, or after a table header, is not cut.
    assert!(literal("visits = \"\"\"\nab\n\"\"\"\n").is_none());
    assert!(literal("[license]\nvisits = '''\nab\n'''\n").is_none());
    // The key behind a comment and a string that mention it.
    let text = "# visits = '''\ndescription = \"visits = '''\"\nvisits = '''\nrow\n'''\n";
    let b = literal(text).expect("the real key");
    assert_eq!(&text[b.open..b.end], "row\n");
}

#[test]
fn the_closing_quotes_and_a_control_character_are_found_wherever_they_fall() {
    use license_lab::scenario::visits_table::literal;
    // Every position within and across the eight-byte steps of the scan.
    for n in 0..24 {
        let pad = "a".repeat(n);
        let text = format!("visits = '''\n{pad}'''\nmore = '''x'''\n");
        let b = literal(&text).expect("a literal table");
        assert_eq!(&text[b.open..b.end], pad);
        assert!(b.plain);
        for (bad, plain) in [
            ("\u{1}", false),
            ("\u{7f}", false),
            ("\r", false),
            ("\r\n", true),
            ("\t", true),
            ("''", true),
        ] {
            let text = format!("visits = '''\n{pad}{bad}{pad}'''\n");
            let b = literal(&text).expect("a literal table");
            assert_eq!(
                &text[b.open..b.end],
                format!("{pad}{bad}{pad}"),
                "{n} {bad:?}"
            );
            assert_eq!(b.plain, plain, "{n} {bad:?}");
        }
    }
}
