//! The `license-lab` command line (SCENARIOS.md's contract).

use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_license-lab"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run license-lab")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn size_103_people_4_passes_prints_50() {
    let o = cli(&["size", "--people", "103", "--passes", "4"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), "50\n");
}

#[test]
fn size_buffer_option() {
    let o = cli(&["size", "--people", "100", "--passes", "5", "--buffer", "0"]);
    assert_eq!(stdout(&o), "50\n");
}

#[test]
fn size_file_prints_the_decision_and_its_curve_as_text_json_and_csv() {
    let args = [
        "size",
        "examples/sizing.toml",
        "--seeds",
        "4",
        "--threads",
        "1",
    ];
    let text = stdout(&cli(&args));
    let sentence = text
        .lines()
        .find_map(|l| l.strip_prefix("decision: "))
        .expect("the sentence");
    assert!(
        sentence.contains(" tokens: no refusal in 4 of 4 seeds; "),
        "{sentence}"
    );
    let o = cli(&[&args[..], &["--format", "json"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(json["decision"]["sentence"], sentence);
    assert_eq!(json["groups"][0]["group"], "workers");
    let csv = stdout(&cli(&[&args[..], &["--format", "csv"]].concat()));
    assert!(csv.starts_with("curve,tokens,recommended,seeds,seeds_with_refusal,"));
    let points = json["decision"]["curves"][0]["points"]
        .as_array()
        .expect("points");
    assert_eq!(csv.lines().count(), 1 + points.len());
    let bad = cli(&[&args[..], &["--format", "xml"]].concat());
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("--format must be text, json or csv"));
}

#[test]
fn check_prints_ok() {
    let o = cli(&["check", "examples/walkthrough.toml"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), "ok\n");
}

#[test]
fn state_prints_the_state_json() {
    let o = cli(&["state", "examples/walkthrough.toml", "--at", "day 26 00:00"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["at"], "2026-03-27T00:00");
    assert_eq!(v["groups"]["analysts"]["available"], 6);
    assert_eq!(v["groups"]["analysts"]["used"], 4);
    assert_eq!(v["totals"]["passes_consumed"], 4);
    for key in [
        "tokens",
        "user_passes",
        "groups",
        "professional",
        "analyzer",
        "capacity",
        "core",
        "connections",
        "totals",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["capacity"]["month"], "2026-03");
}

#[test]
fn state_accepts_calendar_times() {
    let o = cli(&[
        "state",
        "examples/walkthrough.toml",
        "--at",
        "2026-03-30T09:00",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["groups"]["analysts"]["available"], 7);
}

#[test]
fn state_outside_the_period_is_an_error() {
    let o = cli(&["state", "examples/walkthrough.toml", "--at", "day 61 00:00"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("outside the simulated period"));
    // The end itself is inside.
    assert!(
        cli(&["state", "examples/walkthrough.toml", "--at", "day 60 00:00"])
            .status
            .success()
    );
}

#[test]
fn run_prints_one_row_per_day_including_the_end() {
    let o = cli(&["run", "examples/walkthrough.toml"]);
    assert!(o.status.success());
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 61);
    assert!(lines[0].starts_with("at,tokens.total,tokens.free"));
    assert!(lines[1].starts_with("2026-03-01T00:00,10,9,"));
    assert!(lines[61].starts_with("2026-04-30T00:00,"));
}

#[test]
fn run_every_and_json() {
    let o = cli(&[
        "run",
        "examples/walkthrough.toml",
        "--every",
        "30d",
        "--format",
        "json",
    ]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let rows = v.as_array().expect("array");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1]["at"], "2026-03-31T00:00");
}

#[test]
fn run_output_is_identical_on_every_run() {
    let a = stdout(&cli(&["run", "examples/sizing.toml", "--every", "6h"]));
    let b = stdout(&cli(&["run", "examples/sizing.toml", "--every", "6h"]));
    assert_eq!(a, b);
    assert!(a.lines().count() > 400);
}

#[test]
fn events_one_line_per_event_with_time_rule_user_text() {
    let o = cli(&["events", "examples/walkthrough.toml"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.contains(
        "2026-03-26T10:35\tLAP-4\tsam\tsam connected again on web within the hour and reuses the login pass of analysts consumed 10:00\n"
    ));
    for line in text.lines() {
        assert_eq!(line.split('\t').count(), 4, "{line}");
    }
}

#[test]
fn events_filters() {
    let o = cli(&["events", "examples/walkthrough.toml", "--rule", "lap-7"]);
    assert_eq!(stdout(&o).lines().count(), 4);
    let o = cli(&["events", "examples/quarantine.toml", "--kind", "denied"]);
    assert_eq!(stdout(&o).lines().count(), 1);
    let o = cli(&[
        "events",
        "examples/quarantine.toml",
        "--user",
        "bob",
        "--format",
        "csv",
    ]);
    assert!(stdout(&o).starts_with("at,rule,user,kind,what\n"));
}

#[test]
fn errors_go_to_stderr_with_a_non_zero_exit() {
    let dir = std::env::temp_dir().join(format!("license-lab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "start = \"2026-01-01\"\ndays = 3\n\n[[visit]]\nuser = \"nobody\"\nat = \"day 1 09:00\"\nactive = \"5m\"\n").unwrap();
    let o = cli(&["check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o).contains("line 5, column 8: unknown user `nobody`"),
        "{}",
        stderr(&o)
    );
    let o = cli(&["check", dir.join("missing.toml").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot read"));
}

#[test]
fn random_bytes_and_truncated_toml_exit_1_with_a_message() {
    let dir = std::env::temp_dir().join(format!("license-lab-junk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for case in 0..20 {
        let len = 1 + (case * 97) % 2000;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let f = dir.join(format!("junk{case}.toml"));
        std::fs::write(&f, &bytes).unwrap();
        let o = cli(&["check", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "case {case}");
        assert!(!stderr(&o).is_empty());
        assert!(!stderr(&o).contains("panicked"));
    }
    let full = std::fs::read_to_string("examples/walkthrough.toml").unwrap();
    for cut in [10, 200, 555, 1000, 1400] {
        let f = dir.join("cut.toml");
        std::fs::write(&f, &full[..cut]).unwrap();
        let o = cli(&["check", f.to_str().unwrap()]);
        assert!(!stderr(&o).contains("panicked"), "cut {cut}");
        assert!(o.status.code() == Some(0) || o.status.code() == Some(1));
    }
}

#[test]
fn unknown_commands_and_options_are_usage_errors() {
    assert_eq!(cli(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        cli(&["run", "examples/walkthrough.toml", "--colour"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(cli(&[]).status.code(), Some(2));
}

#[test]
fn compare_prints_both_runs_key_figures() {
    let o = cli(&[
        "compare",
        "examples/walkthrough.toml",
        "examples/quarantine.toml",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let peak = text
        .lines()
        .find(|l| l.starts_with("peak used passes"))
        .expect("row");
    assert_eq!(
        peak.split_whitespace().rev().take(2).collect::<Vec<_>>(),
        vec!["0", "4"]
    );
    let denied = text.lines().find(|l| l.starts_with("denied")).expect("row");
    assert!(denied.ends_with(" 1"), "{denied}");
}

#[test]
fn import_writes_the_scenario_to_stdout_and_the_summary_to_stderr() {
    let o = cli(&[
        "import",
        "examples/import/qrs-accesstypeoverview.json",
        "examples/import/qrs-loginaccesstype.json",
        "examples/import/qrs-useraccesstype.json",
        "examples/import/AuditActivity_Proxy.txt",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let sc = license_lab::scenario::parse(&text).expect("the output is a scenario");
    assert_eq!(sc.license.tokens, 10);
    assert!(
        text.contains("visits = '''\nuser,at,active,ends\n"),
        "{text}"
    );
    let summary = stderr(&o);
    assert!(summary.contains("examples/import/AuditActivity_Proxy.txt: proxy audit activity log (10 records, 3 sessions)"), "{summary}");
    assert!(summary.contains("3 users, 3 sessions, from 2026-03-02 08:00:12 to 2026-03-04 07:10:00 UTC (3 days from 2026-03-02)"), "{summary}");
    assert!(
        summary.contains("1 service account (INTERNAL\\…) left out"),
        "{summary}"
    );
}

#[test]
fn import_of_a_bad_file_exits_1_with_the_line_and_what_was_expected() {
    let dir = std::env::temp_dir().join(format!("license-lab-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "UserId,Session Start,Session End\nsam,2026-03-02T09:00:00Z,soon\n",
    )
    .expect("write");
    let o = cli(&["import", bad.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("bad.csv: line 2: `Session End` is `soon`: expected a date and time"),
        "{e}"
    );
    assert!(stdout(&o).is_empty());
    // --skip-bad: the row is skipped and the summary says so.
    let o = cli(&["import", "--skip-bad", bad.to_str().expect("path")]);
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("1 bad row skipped:\n"),
        "{}",
        stderr(&o)
    );
    // A 2 GB file is refused before it is read (a sparse file takes no disk space).
    let huge = dir.join("huge.csv");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(2 * 1024 * 1024 * 1024))
        .expect("sparse file");
    let o = cli(&["import", huge.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o)
            .contains("huge.csv: the file has 2147483648 bytes; the limit is 1024 MB per file"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
    // An unknown format is a usage error.
    let o = cli(&["import", "--format", "xml", "examples/import/sessions.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--format must be one of sessions, qrs-useraccesstype"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_notes_an_action_at_or_after_the_end_on_stderr_and_stays_ok() {
    let dir = std::env::temp_dir().join(format!("license-lab-note-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("late.toml");
    std::fs::write(&file, "start = 2026-01-01\ndays = 3\n\n[license]\ntokens = 1\n\n[[action]]\nat = \"day 3 00:00\"\ndo = \"set_tokens\"\ntokens = 2\n").unwrap();
    let o = cli(&["check", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "ok\n");
    assert!(
        stderr(&o)
            .contains("line 8, column 6: note: the action at `day 3 00:00` is at or after the end"),
        "{}",
        stderr(&o)
    );
    // The run never applies it.
    let o = cli(&["state", file.to_str().unwrap(), "--at", "day 3 00:00"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["tokens"]["total"], 1);
}
