//! `license-lab lanes`, `license-lab why` and `license-lab compare --answer`.

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

const WALK: &str = "examples/walkthrough.toml";

#[test]
fn lanes_of_a_group_as_json_read_days_29_43_53() {
    let o = cli(&["lanes", WALK, "--group", "analysts", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["passes"], 10);
    let returns: Vec<i64> = v["lanes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["uses"].as_array().unwrap().clone())
        .map(|u| u["returns"].as_i64().unwrap() / 1440)
        .collect();
    assert_eq!(returns, [29, 29, 43, 53]);
}

#[test]
fn lanes_of_a_group_as_text() {
    let o = cli(&["lanes", WALK, "--group", "analysts"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains(
        "pass 4     consumed 2026-03-26T10:00 by sam (LAP-2), live to 11:00, back 2026-04-23T10:00\n"
    ));
    assert!(text.contains("pass 5     not used in the window\n"));
}

#[test]
fn lanes_in_blocks_and_windows() {
    let o = cli(&[
        "lanes", WALK, "--group", "analysts", "--block", "10", "--from", "day 0", "--to", "day 60",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o)
        .contains("         1-10 .22222222222222333333333344444222222222222221111111111......\n"));
    let o = cli(&[
        "lanes", WALK, "--group", "analysts", "--from", "day 30", "--to", "day 40",
    ]);
    // Passes 1 and 2 are back on day 29: only pass 3 and 4 meet days 30 to 40.
    let text = stdout(&o);
    assert!(text.contains("pass 1     not used in the window"));
    assert!(text.contains("pass 3     consumed 2026-03-16T14:00"));
}

#[test]
fn lanes_of_a_person_and_of_the_allocations() {
    let o = cli(&["lanes", WALK, "--user", "sam"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(
        "    2026-03-16T14:05 to 2026-03-16T14:35 close  login analysts: pass 3 (reused)\n"
    ));
    let o = cli(&["lanes", "examples/quarantine.toml", "--allocations"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("quarantined until 2026-01-18T00:00"));
}

#[test]
fn lanes_needs_one_view_and_known_names() {
    let o = cli(&["lanes", WALK]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--group NAME, --allocations or --user NAME"));
    let o = cli(&["lanes", WALK, "--group", "nobody"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no group `nobody`"));
    let o = cli(&["lanes", WALK, "--user", "sam", "--from", "day 99"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("outside the simulated period"));
}

#[test]
fn why_traces_a_count_to_its_events() {
    let o = cli(&[
        "why",
        WALK,
        "--at",
        "day 26 00:00",
        "--count",
        "groups.analysts.used",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with(
        "4 passes used in analysts at 2026-03-27T00:00 (groups.analysts.used)\n      +1  2026-03-02T09:00 #1       pass 1 consumed 03-02 09:00 by sam (returns 03-30 09:00)\n"
    ), "{text}");
    let o = cli(&[
        "why",
        WALK,
        "--at",
        "day 26 00:00",
        "--count",
        "tokens.free",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["count"], 9);
    assert_eq!(v["reasons"][1]["value"], -1);
    // Every count at once.
    let o = cli(&["why", WALK, "--at", "day 26 00:00", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert!(v.as_array().unwrap().len() > 20);
}

#[test]
fn why_refuses_an_unknown_count() {
    let o = cli(&["why", WALK, "--at", "day 1", "--count", "tokens.colour"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no count `tokens.colour`"));
    let o = cli(&["why", WALK]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn compare_keeps_its_table_and_answers_on_request() {
    let args = ["compare", WALK, "examples/q05-passes-come-back.toml"];
    let plain = stdout(&cli(&args));
    assert!(plain.starts_with("                             Login access passes"));
    let o = cli(&[args[0], args[1], args[2], "--answer"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with(
            "In A 9 of 10 tokens are free at the end, 1 allocated; in B they stay allocated.\n"
        ),
        "{text}"
    );
    assert!(text.contains("flat in both: folded"));
    assert!(text.ends_with(&plain), "the table follows the answer");
    let o = cli(&[args[0], args[1], args[2], "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["figures"][0]["key"], "free_at_end");
    assert_eq!(
        stdout(&cli(&[args[0], args[1], args[2], "--format", "text"])),
        plain
    );
}

#[test]
fn help_lists_the_new_commands() {
    let text = stdout(&cli(&["help"]));
    assert!(text.contains("license-lab lanes FILE"));
    assert!(text.contains("license-lab why FILE --at TIME"));
}
