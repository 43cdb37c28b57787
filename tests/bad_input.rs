//! Bad input: every error kind names the right line and says what is wrong; a file is
//! accepted whole or rejected whole.

use license_lab::report::describe::Describe;
use license_lab::scenario::parse;

const BASE: &str = "name = \"t\"
start = \"2026-01-01\"
days = 10

[license]
tokens = 2

[[group]]
name = \"g\"
tokens = 1

[[user]]
name = \"sam\"
access = \"login:g\"
";

/// Parses BASE + `tail` and returns (line, message) of the first error.
fn first_error(text: &str) -> (usize, String) {
    match parse(text) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => (e.0[0].line, e.0[0].message.clone()),
    }
}

fn with(tail: &str) -> String {
    format!("{BASE}{tail}")
}

const BASE_LINES: usize = 14;

#[test]
fn the_base_scenario_is_valid() {
    assert!(parse(BASE).is_ok());
}

#[test]
fn not_toml_names_the_line() {
    let (line, msg) = first_error(&with("\n[[visit]\nuser = \"sam\"\n"));
    assert_eq!(line, BASE_LINES + 2, "{msg}");
}

#[test]
fn unknown_key_names_the_line_and_the_key() {
    let (line, msg) = first_error(&with(
        "\n[[visit]]\nuser = \"sam\"\nat = \"day 1 09:00\"\nactive = \"10m\"\ncolour = \"red\"\n",
    ));
    assert_eq!(line, BASE_LINES + 6);
    assert!(msg.contains("unknown key `colour`"), "{msg}");
}

#[test]
fn unknown_top_level_key() {
    let (line, msg) = first_error("name = \"t\"\nstart = \"2026-01-01\"\nday = 3\n");
    assert_eq!(line, 3);
    assert!(msg.contains("`day`"), "{msg}");
}

#[test]
fn unknown_user_in_a_visit() {
    let (line, msg) = first_error(&with(
        "\n[[visit]]\nuser = \"kim\"\nat = \"day 1 09:00\"\nactive = \"10m\"\n",
    ));
    assert_eq!(line, BASE_LINES + 3);
    assert!(msg.contains("unknown user `kim`"), "{msg}");
}

#[test]
fn unknown_user_in_an_action() {
    let (line, msg) = first_error(&with(
        "\n[[action]]\nat = \"day 1 09:00\"\ndo = \"remove_user_pass\"\nuser = \"kim\"\n",
    ));
    assert_eq!(line, BASE_LINES + 5);
    assert!(msg.contains("unknown user `kim`"), "{msg}");
}

#[test]
fn unknown_group_in_an_access() {
    let (line, msg) = first_error(&with(
        "\n[[user]]\nname = \"ann\"\naccess = \"login:nope\"\n",
    ));
    assert_eq!(line, BASE_LINES + 4);
    assert!(msg.contains("unknown group `nope`"), "{msg}");
}

#[test]
fn unknown_group_in_an_action() {
    let (line, msg) = first_error(&with("\n[[action]]\nat = \"day 1 09:00\"\ndo = \"set_group_tokens\"\ngroup = \"nope\"\ntokens = 1\n"));
    assert_eq!(line, BASE_LINES + 5);
    assert!(msg.contains("unknown group `nope`"), "{msg}");
}

#[test]
fn bad_time() {
    let (line, msg) = first_error(&with(
        "\n[[visit]]\nuser = \"sam\"\nat = \"day one 09:00\"\nactive = \"10m\"\n",
    ));
    assert_eq!(line, BASE_LINES + 4);
    assert!(msg.contains("bad time"), "{msg}");
}

#[test]
fn impossible_time_of_day() {
    let (line, msg) = first_error(&with(
        "\n[[visit]]\nuser = \"sam\"\nat = \"day 1 24:30\"\nactive = \"10m\"\n",
    ));
    assert_eq!(line, BASE_LINES + 4);
    assert!(msg.contains("bad time"), "{msg}");
}

#[test]
fn bad_duration() {
    let (line, msg) = first_error(&with(
        "\n[[visit]]\nuser = \"sam\"\nat = \"day 1 09:00\"\nactive = \"ten minutes\"\n",
    ));
    assert_eq!(line, BASE_LINES + 5);
    assert!(msg.contains("bad duration"), "{msg}");
}

#[test]
fn bad_duration_in_settings() {
    let (line, msg) = first_error(&with("\n[settings]\nquarantine = \"7 days\"\n"));
    assert_eq!(line, BASE_LINES + 3);
    assert!(msg.contains("quarantine"), "{msg}");
}

#[test]
fn negative_count() {
    let (line, msg) = first_error(&with("\n[[group]]\nname = \"h\"\ntokens = -3\n"));
    assert_eq!(line, BASE_LINES + 4);
    assert!(msg.contains("cannot be negative"), "{msg}");
}

#[test]
fn negative_license_tokens() {
    let text = BASE.replace("tokens = 2", "tokens = -2");
    let (line, msg) = first_error(&text);
    assert_eq!(line, 6);
    assert!(msg.contains("cannot be negative"), "{msg}");
}

#[test]
fn visit_outside_the_simulated_period() {
    let (line, msg) = first_error(&with(
        "\n[[visit]]\nuser = \"sam\"\nat = \"day 10 00:00\"\nactive = \"10m\"\n",
    ));
    assert_eq!(line, BASE_LINES + 4);
    assert!(msg.contains("outside the simulated period"), "{msg}");
}

#[test]
fn visit_before_the_start() {
    let (line, msg) = first_error(&with(
        "\n[[visit]]\nuser = \"sam\"\nat = \"2025-12-31T23:00\"\nactive = \"10m\"\n",
    ));
    assert_eq!(line, BASE_LINES + 4);
    assert!(msg.contains("outside the simulated period"), "{msg}");
}

#[test]
fn tok_5_login_group_on_a_subscription_license() {
    let text = BASE.replace("tokens = 2\n", "kind = \"subscription\"\ntokens = 2\n");
    let (line, msg) = first_error(&text);
    assert_eq!(line, 9);
    assert!(msg.contains("TOK-5"), "{msg}");
}

#[test]
fn tok_5_unknown_license_kind() {
    let text = BASE.replace("tokens = 2\n", "kind = \"both\"\ntokens = 2\n");
    let (line, msg) = first_error(&text);
    assert_eq!(line, 6);
    assert!(msg.contains("TOK-5"), "{msg}");
}

#[test]
fn uap_1_anonymous_user_with_a_named_access() {
    let (line, msg) = first_error(&with(
        "\n[[user]]\nname = \"anon\"\naccess = \"user_pass\"\nidentity = \"anonymous\"\n",
    ));
    assert_eq!(line, BASE_LINES + 4);
    assert!(msg.contains("UAP-1"), "{msg}");
}

#[test]
fn nu_1_analyzer_without_professional() {
    let text = BASE.replace("tokens = 2\n", "tokens = 2\nanalyzer = 3\n");
    let (line, msg) = first_error(&text);
    assert_eq!(line, 7);
    assert!(msg.contains("NU-1"), "{msg}");
}

#[test]
fn duplicate_user_name() {
    let (line, msg) = first_error(&with("\n[[user]]\nname = \"sam\"\naccess = \"login:g\"\n"));
    assert_eq!(line, BASE_LINES + 3);
    assert!(msg.contains("duplicate user"), "{msg}");
}

#[test]
fn missing_required_key() {
    let (line, msg) = first_error(&with("\n[[visit]]\nuser = \"sam\"\nactive = \"10m\"\n"));
    assert!(line >= BASE_LINES + 2, "{line}");
    assert!(msg.contains("missing key `at`"), "{msg}");
}

#[test]
fn key_that_does_not_apply_to_the_action() {
    let (line, msg) = first_error(&with(
        "\n[[action]]\nat = \"day 1 09:00\"\ndo = \"set_tokens\"\ntokens = 3\nuser = \"sam\"\n",
    ));
    assert_eq!(line, BASE_LINES + 6);
    assert!(msg.contains("does not apply"), "{msg}");
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let text = with("\n[[visit]]\nuser = \"kim\"\nat = \"day 1 09:00\"\nactive = \"10m\"\n\n[[visit]]\nuser = \"sam\"\nat = \"day 1 09:00\"\nactive = \"10x\"\n");
    let errors = parse(&text).unwrap_err().0;
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].line, BASE_LINES + 3);
    assert_eq!(errors[1].line, BASE_LINES + 10);
}

#[test]
fn deeply_nested_toml_is_refused_without_a_crash() {
    let text = format!("x = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse(&text).is_err());
}

#[test]
fn truncated_files_never_panic() {
    let full = include_str!("../examples/quarantine.toml");
    for cut in (0..full.len()).step_by(7) {
        if full.is_char_boundary(cut) {
            let _ = parse(&full[..cut]);
        }
    }
}

#[test]
fn uap_1_an_action_giving_an_anonymous_user_a_named_access_rejects_the_file() {
    let anon = "\n[[user]]\nname = \"kiosk\"\naccess = \"login:g\"\nidentity = \"anonymous\"\n";
    for (verb, extra) in [
        ("allocate_user_pass", ""),
        ("reinstate_user_pass", ""),
        ("assign", "kind = \"professional\"\n"),
        ("reinstate", "kind = \"analyzer\"\n"),
    ] {
        let text = with(&format!(
            "{anon}\n[[action]]\nat = \"day 1 09:00\"\ndo = \"{verb}\"\nuser = \"kiosk\"\n{extra}"
        ));
        let (line, msg) = first_error(&text);
        assert_eq!(line, BASE_LINES + 10, "{verb}: {msg}");
        assert!(msg.contains("anonymous") && msg.contains("UAP-1"), "{msg}");
    }
}

#[test]
fn uap_1_an_action_taking_a_named_access_from_an_anonymous_user_is_valid_and_finds_nothing_held() {
    // UAP-1 rejects only what *gives* a named access: removing one gives nothing.
    let anon = "\n[[user]]\nname = \"kiosk\"\naccess = \"login:g\"\nidentity = \"anonymous\"\n";
    for (verb, extra, rule) in [
        ("remove_user_pass", "", "UAP-3"),
        ("unassign", "kind = \"professional\"\n", "NU-2"),
    ] {
        let text = with(&format!(
            "{anon}\n[[action]]\nat = \"day 1 09:00\"\ndo = \"{verb}\"\nuser = \"kiosk\"\n{extra}"
        ));
        let sc = std::sync::Arc::new(parse(&text).unwrap_or_else(|e| panic!("{verb}: {e}")));
        let log = license_lab::report::timeline::events(&sc);
        let e = log
            .iter()
            .find(|e| e.rule.id() == rule)
            .unwrap_or_else(|| panic!("{verb}: no {rule} event"));
        assert!(e.describe(&sc).contains("kiosk"), "{}", e.describe(&sc));
    }
}

// SCENARIOS.md: "Valid, and not to be rejected".

use std::sync::Arc;

use license_lab::report::timeline::{events, state_at};

fn run_state_at(text: &str, at: &str) -> license_lab::report::state::State {
    let sc = Arc::new(parse(text).unwrap_or_else(|e| panic!("{e}\n{text}")));
    let m = sc.clock.parse_time(at).expect("time");
    state_at(&sc, m)
}

#[test]
fn scenarios_max_connections_0_is_valid_and_refuses_every_capped_connection() {
    let text = "name = \"t\"\nstart = \"2026-01-01\"\ndays = 3\n\n[license]\ntokens = 1\ncore_minutes = 100\n\n[[group]]\nname = \"g\"\ntokens = 1\n\n[settings]\nmax_connections = 0\n\n[[user]]\nname = \"sam\"\naccess = \"login:g\"\n\n[[user]]\nname = \"kiosk\"\naccess = \"login:g\"\nidentity = \"anonymous\"\n\n[[user]]\nname = \"api\"\naccess = \"core\"\n\n[[visit]]\nuser = \"sam\"\nat = \"day 1 09:00\"\nactive = \"10m\"\n\n[[visit]]\nuser = \"kiosk\"\nat = \"day 1 09:00\"\nactive = \"10m\"\n\n[[visit]]\nuser = \"api\"\nat = \"day 1 09:00\"\nactive = \"10m\"\n";
    let st = run_state_at(text, "day 1 09:05");
    // sam (identified) is refused; the anonymous and the Qlik Core connections are not capped.
    assert_eq!((st.totals.denied, st.connections), (1, 2));
    let sc = Arc::new(parse(text).unwrap());
    assert!(events(&sc)
        .iter()
        .any(|e| e.rule.id() == "LAP-5" && e.describe(&sc).contains("max_connections = 0")));
}

#[test]
fn scenarios_an_action_at_or_after_the_end_is_accepted_and_never_applied() {
    let text = with(
        "\n[[action]]\nat = \"day 9 23:59\"\ndo = \"set_tokens\"\ntokens = 3\n\n[[action]]\nat = \"day 10 00:00\"\ndo = \"set_tokens\"\ntokens = 5\n\n[[action]]\nat = \"day 400 09:00\"\ndo = \"set_tokens\"\ntokens = 7\n",
    );
    let (sc, notes) = license_lab::scenario::parse_with_notes(&text).expect("valid");
    let sc = Arc::new(sc);
    assert_eq!(state_at(&sc, sc.end()).tokens.total, 3);
    let tok4: Vec<_> = events(&sc)
        .into_iter()
        .filter(|e| e.rule.id() == "TOK-4")
        .collect();
    assert_eq!(tok4.len(), 1);
    // A note, not an error, for each one never applied, at its line.
    assert_eq!(
        notes.iter().map(|n| n.line).collect::<Vec<_>>(),
        vec![BASE_LINES + 8, BASE_LINES + 13]
    );
    assert!(
        notes[0].message.contains("never applied"),
        "{}",
        notes[0].message
    );
    // Still not before the start.
    let (line, msg) = first_error(&with(
        "\n[[action]]\nat = \"2025-12-31T23:59\"\ndo = \"set_tokens\"\ntokens = 3\n",
    ));
    assert_eq!(line, BASE_LINES + 3);
    assert!(msg.contains("before the start"), "{msg}");
}

#[test]
fn scenarios_seed_may_be_any_64_bit_integer_negative_too() {
    let cohort = "\n[[cohort]]\nname = \"c\"\ncount = 20\naccess = \"login:g\"\nvisits_per_month = 8\nvisit_length = \"30m\"\nvisit_length_spread = \"10m\"\n";
    let text = |seed: &str| {
        format!(
            "{}seed = {seed}\n{}{cohort}",
            &BASE[..BASE.find("\n[license]").unwrap()],
            &BASE[BASE.find("\n[license]").unwrap()..]
        )
    };
    let minus_one = parse(&text("-1")).expect("a negative seed is valid");
    // The generator takes the seed's two's-complement bits: -1 is u64::MAX.
    assert_eq!(minus_one.seed, u64::MAX);
    let zero = parse(&text("0")).unwrap();
    let same = license_lab::scenario::cohort::reseed(&zero, u64::MAX).unwrap();
    assert_eq!(minus_one.visits, same.visits);
    assert_ne!(minus_one.visits, zero.visits);
    assert!(parse(&text("-9223372036854775808")).is_ok());
    // The form takes a negative seed too.
    use license_lab::scenario::schema::Section;
    let mut doc = license_lab::scenario::edit::Doc::parse(&text("0")).unwrap();
    doc.set(Section::Scenario, 0, "seed", "-7")
        .expect("a negative seed");
    assert_eq!(parse(&doc.text()).unwrap().seed, (-7i64) as u64);
    assert!(doc.set(Section::Scenario, 0, "days", "-7").is_err());
    assert_eq!(
        parse(&text("9223372036854775807")).unwrap().seed,
        i64::MAX as u64
    );
}

#[test]
fn scenarios_toml_local_dates_and_date_times_are_accepted_unquoted() {
    let quoted = with(
        "\n[[visit]]\nuser = \"sam\"\nat = \"2026-01-02T09:00\"\nactive = \"10m\"\n\n[[action]]\nat = \"day 3 09:00\"\ndo = \"set_tokens\"\ntokens = 3\n\n[[action]]\nat = \"day 4 00:00\"\ndo = \"set_tokens\"\ntokens = 4\n",
    );
    let unquoted = quoted
        .replace("start = \"2026-01-01\"", "start = 2026-01-01")
        .replace("at = \"2026-01-02T09:00\"", "at = 2026-01-02T09:00")
        .replace("at = \"day 3 09:00\"", "at = 2026-01-04T09:00:00")
        .replace("at = \"day 4 00:00\"", "at = 2026-01-05");
    assert!(!unquoted.contains("\"2026-"), "{unquoted}");
    assert_eq!(parse(&unquoted), parse(&quoted));
    assert!(parse(&quoted).is_ok());
    // The form shows them as it writes them.
    let doc = license_lab::scenario::edit::Doc::parse(&unquoted).unwrap();
    use license_lab::scenario::schema::Section;
    assert_eq!(
        doc.get(Section::Scenario, 0, "start").as_deref(),
        Some("2026-01-01")
    );
    assert_eq!(
        doc.get(Section::Visit, 0, "at").as_deref(),
        Some("2026-01-02T09:00")
    );
    assert_eq!(
        doc.get(Section::Action, 0, "at").as_deref(),
        Some("2026-01-04T09:00")
    );
}

#[test]
fn scenarios_toml_date_times_with_seconds_an_offset_or_no_date_are_errors_that_say_so() {
    let visit_at = |at: &str| {
        with(&format!(
            "\n[[visit]]\nuser = \"sam\"\nat = {at}\nactive = \"10m\"\n"
        ))
    };
    for (at, says) in [
        ("2026-01-02T09:00:30", "seconds must be 0"),
        ("2026-01-02T09:00:00.5", "seconds must be 0"),
        ("2026-01-02T09:00:00Z", "time zone offset (Z)"),
        ("2026-01-02T09:00:00+01:00", "time zone offset (+01:00)"),
        ("09:00", "needs its day"),
        ("9", "must be a time"),
        ("[\"day 1 09:00\"]", "must be a time"),
    ] {
        let (line, msg) = first_error(&visit_at(at));
        assert_eq!(line, BASE_LINES + 4, "{at}: {msg}");
        assert!(msg.contains(says), "{at}: {msg}");
        assert!(!msg.contains("invalid type"), "{at}: {msg}");
    }
    let action_at =
        with("\n[[action]]\nat = 2026-01-02T09:00-05:00\ndo = \"set_tokens\"\ntokens = 3\n");
    let (line, msg) = first_error(&action_at);
    assert_eq!(line, BASE_LINES + 3);
    assert!(msg.contains("time zone offset (-05:00)"), "{msg}");
    for (start, says) in [
        ("2026-01-01T00:00", "is a date and time"),
        ("2026-01-01T00:00:00Z", "time zone offset"),
        ("00:00:00", "time of day, not a date"),
        ("20260101", "a date is expected, not the number 20260101"),
    ] {
        let text = BASE.replace("start = \"2026-01-01\"", &format!("start = {start}"));
        let (line, msg) = first_error(&text);
        assert_eq!(line, 2, "{start}: {msg}");
        assert!(msg.contains(says), "{start}: {msg}");
    }
}

#[test]
fn errors_say_what_was_expected_in_the_scenarios_own_words() {
    let internals = [
        "invalid type",
        "i64",
        "i128",
        "struct",
        "sequence",
        "map",
        "Raw",
        "literal string",
    ];
    for (text, line, says) in [
        (BASE.replace("days = 10", "days = \"ten\""), 3, "`days` must be a whole number, not the text \"ten\""),
        (BASE.replace("days = 10", "days = 1.5"), 3, "`days` must be a whole number, not the number 1.5"),
        (BASE.replace("days = 10", "days = 99999999999999999999"), 3, "`days` is too large"),
        (BASE.replace("name = \"t\"", "name = 2026-01-01"), 1, "`name` must be text in quotes, not a date or time"),
        (with("\n[[visit]]\nuser = \"sam\"\nat = \"day 1 09:00\"\nactive = 10\n"), BASE_LINES + 5, "`active` must be a duration in quotes, like \"90m\", not the number 10"),
        (with("\n[[visit]]\nuser = { name = \"sam\" }\nat = \"day 1 09:00\"\nactive = \"10m\"\n"), BASE_LINES + 3, "`user` must be text in quotes, not a table { … }"),
        (with("\n[[visit]]\nuser = [\"sam\"]\nat = \"day 1 09:00\"\nactive = \"10m\"\n"), BASE_LINES + 3, "`user` must be text in quotes, not a list"),
        (with("\n[settings]\nmax_connections = \"5\"\n"), BASE_LINES + 3, "`max_connections` must be a whole number, not the text \"5\""),
        (with("\n[settings]\ncapacity_parallel = 1\n"), BASE_LINES + 3, "`capacity_parallel` must be one of \"per_device\", \"per_user\", not the number 1"),
        (with("\n[[cohort]]\nname = \"c\"\ncount = 1\naccess = \"login:g\"\nvisits_per_month = 1\nvisit_length = \"10m\"\nweekdays = \"yes\"\n"), BASE_LINES + 8, "`weekdays` must be true or false, not the text \"yes\""),
        (BASE.replace("[license]\ntokens = 2", "license = 3\n[x]\ntokens = 2").replace("[x]\ntokens = 2\n", ""), 5, "`license` must be a table written [license], not the number 3"),
        (BASE.replace("days = 10", "days = 10\nuser = 3").replace("\n[[user]]\nname = \"sam\"\naccess = \"login:g\"\n", ""), 4, "`user` must be tables written [[user]], not the number 3"),
        (BASE.replace("days = 10", "days = 10\ndays = 11"), 4, "this key is already written in the same table"),
        (with("\n[[visit]]\nuser = sam\nat = \"day 1 09:00\"\nactive = \"10m\"\n"), BASE_LINES + 3, "text must be in quotes"),
    ] {
        let (got_line, msg) = first_error(&text);
        assert_eq!(got_line, line, "{msg}\n{text}");
        assert!(msg.contains(says), "{msg}");
        for word in internals {
            assert!(!msg.contains(word), "{word} in: {msg}");
        }
    }
}
