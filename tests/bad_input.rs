//! Bad input: every error kind names the right line and says what is wrong; a file is
//! accepted whole or rejected whole.

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
