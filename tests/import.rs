//! Importers (issue 14): each format on its example file in `examples/import/` and on
//! malformed variants; every bad input gets a message naming the line or field and what
//! was expected, and the scenario written reads back as the scenario imported.

use std::collections::HashSet;

use license_lab::scenario::{parse, Access, Ends};
use license_lab::tools::import::{self, ColumnMap, Format, Import, ImportError, Input, Options};

fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/examples/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("example file")
}

fn run(files: &[(&str, &[u8])], options: &Options) -> Result<Import, ImportError> {
    let inputs: Vec<Input> = files
        .iter()
        .map(|(name, bytes)| Input { name, bytes })
        .collect();
    import::import(&inputs, options)
}

fn ok(files: &[(&str, &[u8])], options: &Options) -> Import {
    match run(files, options) {
        Ok(i) => i,
        Err(e) => panic!("import failed: {e}"),
    }
}

fn err(files: &[(&str, &[u8])], options: &Options) -> ImportError {
    match run(files, options) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

fn skip() -> Options {
    Options {
        skip_bad: true,
        ..Options::default()
    }
}

/// The text written reads back as the scenario imported, byte for byte of its model.
fn round_trip(imp: &Import) {
    let text = imp.text().expect("within the limits");
    let back = match parse(&text) {
        Ok(s) => s,
        Err(e) => panic!("the written scenario does not parse:\n{e}\n---\n{text}"),
    };
    assert_eq!(back, imp.scenario);
}

fn access_of(imp: &Import, name: &str) -> Access {
    let sc = &imp.scenario;
    sc.users[sc
        .user_id(name)
        .unwrap_or_else(|| panic!("user {name}"))
        .index()]
    .access
}

#[test]
fn every_example_is_detected_as_its_format() {
    for (file, format) in [
        ("sessions.csv", Format::Sessions),
        ("qrs-useraccesstype.json", Format::UserAccessTypes),
        ("qrs-loginaccesstype.json", Format::LoginAccessTypes),
        (
            "qrs-professionalaccesstype.json",
            Format::ProfessionalAccessTypes,
        ),
        ("qrs-analyzeraccesstype.json", Format::AnalyzerAccessTypes),
        ("qrs-accesstypeoverview.json", Format::AccessTypeOverview),
        ("qrs-loginaccessusage.json", Format::LoginAccessUsage),
        ("qrs-useraccessusage.json", Format::UserAccessUsage),
        (
            "qrs-analyzertimeaccessusage.json",
            Format::AnalyzerTimeAccessUsage,
        ),
        ("cloud-consumption.json", Format::CloudConsumption),
        ("AuditActivity_Proxy.txt", Format::ProxyAudit),
    ] {
        let bytes = example(file);
        let got = import::detect(&Input {
            name: file,
            bytes: &bytes,
        });
        assert_eq!(got, Ok(format), "{file}");
    }
}

#[test]
fn sessions_csv_names_users_by_directory_and_converts_offsets_to_utc() {
    let bytes = example("sessions.csv");
    let imp = ok(&[("sessions.csv", &bytes)], &Options::default());
    let sc = &imp.scenario;
    assert_eq!(sc.clock.start().to_string(), "2026-03-02");
    assert_eq!(sc.days, 5);
    assert_eq!(imp.summary.users, 4);
    assert_eq!(imp.summary.sessions, 7);
    // sam, 09:00+01:00 → 08:00 UTC; 70 minutes, then a logout at the end.
    let sam = sc.user_id("CORP\\sam").expect("sam");
    let v = sc.visits.iter().find(|v| v.user == sam).expect("a visit");
    assert_eq!(sc.clock.format(v.at), "2026-03-02T08:00");
    assert_eq!((v.active, v.ends), (70, Ends::Logout));
    assert_eq!(sc.device_name(v.device), "laptop");
    // 07:45-05:00 on day 2 → 12:45 UTC.
    assert!(sc
        .visits
        .iter()
        .any(|v| v.user == sam && sc.clock.format(v.at) == "2026-03-04T12:45"));
    // No license export: everyone on the login group `imported`.
    assert_eq!(sc.groups[0].name, "imported");
    assert!(imp
        .summary
        .notes
        .iter()
        .any(|n| n.contains("no login access group")));
    round_trip(&imp);
}

#[test]
fn a_sessions_table_with_other_names_is_read_through_the_column_mapping() {
    let bytes = example("sessions-mapped.tsv");
    let detected = err(&[("sessions-mapped.tsv", &bytes)], &Options::default());
    assert_eq!(detected.line, Some(1));
    assert!(
        detected.message.contains("names the user and the start"),
        "{detected}"
    );
    let options = Options {
        columns: ColumnMap::parse("user=Person,start=Began,duration=Minutes,device=Terminal")
            .expect("mapping"),
        ..Options::default()
    };
    let imp = ok(&[("sessions-mapped.tsv", &bytes)], &options);
    let sc = &imp.scenario;
    assert_eq!(sc.visits.len(), 3);
    let lee = sc.user_id("CORP\\lee").expect("lee");
    let v = sc
        .visits
        .iter()
        .find(|v| v.user == lee)
        .expect("lee's visit");
    assert_eq!(v.active, 150, "a `Minutes` column is read in minutes");
    round_trip(&imp);
}

#[test]
fn qrs_license_exports_give_the_license_and_its_allocations() {
    let files: Vec<(&str, Vec<u8>)> = [
        "qrs-accesstypeoverview.json",
        "qrs-useraccesstype.json",
        "qrs-loginaccesstype.json",
        "qrs-professionalaccesstype.json",
        "qrs-analyzeraccesstype.json",
        "qrs-loginaccessusage.json",
        "qrs-useraccessusage.json",
    ]
    .iter()
    .map(|f| (*f, example(f)))
    .collect();
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let imp = ok(&refs, &Options::default());
    let sc = &imp.scenario;
    assert_eq!(sc.license.tokens, 10);
    assert_eq!((sc.license.professional, sc.license.analyzer), (2, 3));
    assert_eq!(sc.license.analyzer_capacity_packs, 1);
    let groups: Vec<(&str, i64)> = sc
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.tokens))
        .collect();
    assert_eq!(groups, [("analysts", 2), ("visitors", 1)]);
    assert_eq!(access_of(&imp, "CORP\\sam"), Access::UserPass);
    assert_eq!(access_of(&imp, "CORP\\ana"), Access::Professional);
    assert_eq!(access_of(&imp, "CORP\\raj"), Access::Analyzer);
    assert_eq!(access_of(&imp, "CORP\\kim"), Access::Login(0));
    // The login access type named only by its id resolves to its group.
    assert_eq!(access_of(&imp, "CORP\\lee"), Access::Login(0));
    assert_eq!(access_of(&imp, "PARTNERS\\guest1"), Access::Login(1));
    // The quarantined pass and the service account are left out, and said so.
    assert!(sc.user_id("CORP\\old").is_none());
    assert!(imp
        .summary
        .notes
        .iter()
        .any(|n| n.contains("1 allocation in quarantine")));
    assert_eq!(imp.summary.service_accounts, 1);
    // User access usage names the allocation by id: resolved to sam.
    let sam = sc.user_id("CORP\\sam").expect("sam");
    assert_eq!(sc.visits.iter().filter(|v| v.user == sam).count(), 2);
    // Two sessions on one login pass use are two devices in parallel.
    let kim = sc.user_id("CORP\\kim").expect("kim");
    let kims: Vec<_> = sc.visits.iter().filter(|v| v.user == kim).collect();
    assert_eq!(kims.len(), 2);
    assert_ne!(kims[0].device, kims[1].device);
    // lee's use has no stop (QRS's 1753 "never"): it ends by the inactivity timeout.
    let lee = sc.user_id("CORP\\lee").expect("lee");
    let v = sc.visits.iter().find(|v| v.user == lee).expect("lee");
    assert_eq!(
        (sc.clock.format(v.at).as_str(), v.active, v.ends),
        ("2026-03-03T13:00", 150, Ends::Timeout)
    );
    round_trip(&imp);
}

#[test]
fn user_access_usage_without_its_allocations_says_which_export_is_missing() {
    let bytes = example("qrs-useraccessusage.json");
    let e = err(&[("u.json", &bytes)], &Options::default());
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("not in a useraccesstype export"), "{e}");
}

#[test]
fn capacity_usage_and_the_cloud_consumption_give_capacity_users() {
    let q = example("qrs-analyzertimeaccessusage.json");
    let imp = ok(&[("q.json", &q)], &Options::default());
    assert_eq!(access_of(&imp, "CORP\\tom"), Access::Capacity);
    let v = imp.scenario.visits[0];
    assert_eq!((v.active, v.ends), (26, Ends::Timeout));
    round_trip(&imp);

    let c = example("cloud-consumption.json");
    let imp = ok(&[("c.json", &c)], &Options::default());
    assert_eq!(
        access_of(&imp, "CLOUD\\6543f21e0a1b2c3d4e5f6a7b"),
        Access::Professional
    );
    assert_eq!(
        access_of(&imp, "CLOUD\\6543f21e0a1b2c3d4e5f6a7c"),
        Access::Capacity
    );
    assert_eq!(
        access_of(&imp, "CLOUD\\6543f21e0a1b2c3d4e5f6a7d"),
        Access::Analyzer
    );
    // 4,200,000 ms ending at 10:10 UTC: 09:00 to 10:10; "1560000" (a string) ending
    // 15:26+01:00 → 14:00 UTC for 26 minutes.
    let sc = &imp.scenario;
    let fmt: Vec<(String, i64)> = sc
        .visits
        .iter()
        .map(|v| (sc.clock.format(v.at), v.active))
        .collect();
    assert_eq!(fmt[0], ("2026-03-02T09:00".to_string(), 70));
    assert_eq!(fmt[1], ("2026-03-03T14:00".to_string(), 26));
    assert!(imp
        .summary
        .notes
        .iter()
        .any(|n| n.contains("30 Analyzer Capacity minutes")));
    round_trip(&imp);
}

#[test]
fn the_proxy_log_pairs_start_and_stop_lines_and_times_out_the_rest() {
    let bytes = example("AuditActivity_Proxy.txt");
    let imp = ok(&[("AuditActivity_Proxy.txt", &bytes)], &Options::default());
    let sc = &imp.scenario;
    assert_eq!(imp.summary.service_accounts, 1);
    let visit = |name: &str| {
        let u = sc.user_id(name).expect(name);
        *sc.visits.iter().find(|v| v.user == u).expect("visit")
    };
    // sam: start 09:00:12+01:00, last activity 09:55:00, stop 10:25 (the timeout).
    let sam = visit("CORP\\sam");
    assert_eq!(sc.clock.format(sam.at), "2026-03-02T08:00");
    assert_eq!((sam.active, sam.ends), (55, Ends::Timeout));
    // lee works until 14:20 and logs out at 14:30.
    let lee = visit("CORP\\lee");
    assert_eq!((lee.active, lee.ends), (30, Ends::Logout));
    // kim's session has no stop line: it ends by inactivity after its last line.
    let kim = visit("CORP\\kim");
    assert_eq!((kim.active, kim.ends), (30, Ends::Timeout));
    round_trip(&imp);
}

#[test]
fn pseudonyms_replace_every_name_the_same_way_within_one_import() {
    let csv = example("sessions.csv");
    let log = example("AuditActivity_Proxy.txt");
    let options = Options {
        pseudonyms: true,
        ..Options::default()
    };
    let imp = ok(&[("sessions.csv", &csv), ("log.txt", &log)], &options);
    let text = imp.text().expect("text");
    for name in ["sam", "kim", "lee", "ana", "CORP"] {
        assert!(!text.contains(name), "{name} is in the pseudonymised text");
    }
    let names: HashSet<&str> = imp.scenario.users.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(
        names.len(),
        4,
        "sam, kim and lee of both files are one person each"
    );
    assert!(names.contains("person-1"));
    round_trip(&imp);
}

#[test]
fn a_bad_row_stops_the_import_at_its_line_or_is_skipped_and_counted() {
    let csv = "UserId,Session Start,Session End\n\
               CORP\\sam,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z\n\
               CORP\\kim,yesterday,2026-03-02T10:00:00Z\n\
               CORP\\lee,2026-03-02T11:00:00Z,2026-03-02T10:00:00Z\n\
               ,2026-03-02T11:00:00Z,2026-03-02T12:00:00Z\n\
               CORP\\ana,2026-03-02T12:00:00Z\n\
               CORP\\raj,2026-03-03T09:00:00Z,2026-03-03T09:30:00Z\n";
    let e = err(&[("s.csv", csv.as_bytes())], &Options::default());
    assert_eq!(e.line, Some(3));
    assert!(
        e.message
            .contains("`Session Start` is `yesterday`: expected a date and time like"),
        "{e}"
    );
    assert!(e.message.contains("--skip-bad"), "{e}");

    let imp = ok(&[("s.csv", csv.as_bytes())], &skip());
    assert_eq!(imp.summary.sessions, 2, "the good rows are kept");
    let bad: Vec<(usize, &str)> = imp
        .summary
        .skipped_rows
        .iter()
        .map(|r| (r.line, r.message.as_str()))
        .collect();
    assert_eq!(imp.summary.skipped, 4);
    assert_eq!(bad[0].0, 3);
    assert_eq!(bad[1].0, 4);
    assert!(
        bad[1].1.contains("its end is earlier") && bad[1].1.contains("do not go backwards"),
        "{}",
        bad[1].1
    );
    assert_eq!(bad[2].0, 5);
    assert!(bad[2].1.contains("`UserId` is empty"), "{}", bad[2].1);
    assert_eq!(bad[3].0, 6);
    assert!(
        bad[3].1.contains("2 cells, the header names 3"),
        "{}",
        bad[3].1
    );
    let text = imp.summary.to_text();
    assert!(
        text.contains("4 bad rows skipped:\n  s.csv: line 3:"),
        "{text}"
    );
    round_trip(&imp);
}

#[test]
fn a_table_without_the_columns_it_needs_is_refused_at_its_header() {
    let e = err(
        &[("s.csv", b"UserId,Session End\nsam,2026-03-02T10:00:00Z\n")],
        &Options {
            format: Some(Format::Sessions),
            ..Options::default()
        },
    );
    assert_eq!(e.line, Some(1));
    assert!(
        e.message
            .contains("no start column (found UserId, Session End)"),
        "{e}"
    );
    let e = err(
        &[("s.csv", b"UserId,Session Start\nsam,2026-03-02T10:00:00Z\n")],
        &Options::default(),
    );
    assert!(
        e.message
            .contains("no end, last activity or duration column"),
        "{e}"
    );
    let e = err(
        &[("s.csv", b"a,b\n1,2\n")],
        &Options {
            columns: ColumnMap::parse("user=Person").expect("map"),
            ..Options::default()
        },
    );
    assert!(
        e.message
            .contains("the column `Person` chosen for user is not in the header"),
        "{e}"
    );
}

#[test]
fn binary_and_other_encodings_are_refused_with_their_line() {
    let e = err(
        &[("x.bin", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")],
        &Options::default(),
    );
    assert!(e.message.contains("not UTF-8"), "{e}");
    let e = err(
        &[("x.txt", b"UserId,Session Start\nsam\0,x\n")],
        &Options::default(),
    );
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("binary"), "{e}");
}

#[test]
fn truncated_json_names_where_it_ends() {
    let full = example("qrs-loginaccessusage.json");
    let cut = &full[..full.len() / 2];
    let e = err(
        &[("usage.json", cut)],
        &Options {
            format: Some(Format::LoginAccessUsage),
            ..Options::default()
        },
    );
    assert!(e.line.is_some_and(|l| l > 1), "{e}");
    assert!(
        e.message.contains("the JSON ends early")
            && e.message.contains("expected a list of usage records"),
        "{e}"
    );
    // Detection on a cut file finds what it can read, then the same message.
    let e = err(&[("usage.json", cut)], &Options::default());
    assert!(
        e.message.contains("ends early") || e.message.contains("not an export"),
        "{e}"
    );
}

#[test]
fn a_field_of_the_wrong_kind_is_a_bad_record_at_its_line() {
    let json = r#"[
  { "name": "analysts", "assignedTokens": 2 },
  { "name": "visitors", "assignedTokens": "many" },
  { "name": "ops", "assignedTokens": -1 },
  { "assignedTokens": 1 }
]"#;
    let imp = ok(&[("login.json", json.as_bytes())], &skip());
    let lines: Vec<usize> = imp.summary.skipped_rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 4, 5]);
    assert!(imp.summary.skipped_rows[0]
        .message
        .contains("expected a login access type"));
    assert!(imp.summary.skipped_rows[1]
        .message
        .contains("`assignedTokens` is -1: expected zero or more"));
    assert!(imp.summary.skipped_rows[2].message.contains("no `name`"));
    assert_eq!(imp.scenario.groups.len(), 1);
}

#[test]
fn allocations_need_a_user_directory_and_internal_accounts_are_not_people() {
    let json = r#"[
  { "user": { "userId": "sam", "userDirectory": "CORP" }, "quarantined": false, "schemaPath": "License.UserAccessType" },
  { "user": { "userId": "kim" }, "quarantined": false, "schemaPath": "License.UserAccessType" },
  { "user": { "userId": "sa_api", "userDirectory": "INTERNAL" }, "schemaPath": "License.UserAccessType" }
]"#;
    let e = err(&[("u.json", json.as_bytes())], &Options::default());
    assert_eq!(e.line, Some(3));
    assert!(e.message.contains("has no `userDirectory`"), "{e}");
    let imp = ok(&[("u.json", json.as_bytes())], &skip());
    assert_eq!(imp.scenario.users.len(), 1);
    assert_eq!(imp.summary.service_accounts, 1);
}

#[test]
fn a_proxy_log_whose_time_goes_backwards_is_reported_at_the_line() {
    let mut text = String::from_utf8(example("AuditActivity_Proxy.txt")).expect("text");
    // Line 7 (lee's start) moved before the line above it.
    text = text.replace("20260303T140000.000+0100", "20260301T140000.000+0100");
    let e = err(&[("log.txt", text.as_bytes())], &Options::default());
    assert_eq!(e.line, Some(7));
    assert!(e.message.contains("the time goes backwards"), "{e}");
    let imp = ok(&[("log.txt", text.as_bytes())], &skip());
    assert_eq!(imp.summary.skipped, 1);
    // Lee's later lines still make a session, from the first of them.
    assert_eq!(imp.summary.sessions, 3);
}

#[test]
fn a_log_without_its_header_columns_is_refused() {
    let e = err(
        &[("log.txt", b"Timestamp\tProxySessionId\tFoo\nx\ty\tz\n")],
        &Options {
            format: Some(Format::ProxyAudit),
            ..Options::default()
        },
    );
    assert_eq!(e.line, Some(1));
    assert!(
        e.message.contains("no ActiveUserId, Description column"),
        "{e}"
    );
}

#[test]
fn a_file_of_unknown_shape_says_what_was_expected() {
    let e = err(&[("notes.txt", b"hello,world\n1,2\n")], &Options::default());
    assert_eq!(e.line, Some(1));
    assert!(
        e.message
            .contains("expected a sessions table whose header names the user and the start"),
        "{e}"
    );
    let e = err(&[("x.json", br#"{"colour": "red"}"#)], &Options::default());
    assert!(
        e.message
            .contains("JSON, but not an export this tool knows"),
        "{e}"
    );
}

#[test]
fn a_million_sessions_import_and_read_back() {
    // Generated in memory: a large log is linear work, and its scenario is over the
    // 16 MB text limit, which the compact table allows.
    let mut csv = String::from("UserDirectory,UserId,Session Start,Session End\n");
    let n = 300_000;
    for i in 0..n {
        let day = i % 28;
        let minute = (i * 7) % 600;
        csv.push_str(&format!(
            "CORP,u{},2026-03-{:02}T{:02}:{:02}:00Z,2026-03-{:02}T{:02}:{:02}:00Z\n",
            i % 2000,
            day + 1,
            8 + minute / 60,
            minute % 60,
            day + 1,
            9 + minute / 60,
            minute % 60
        ));
    }
    let imp = ok(&[("big.csv", csv.as_bytes())], &Options::default());
    assert_eq!(imp.scenario.visits.len(), n);
    assert_eq!(imp.scenario.users.len(), 2000);
    round_trip(&imp);
}
