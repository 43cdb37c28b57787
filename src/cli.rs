//! The `license-lab` command line (SCENARIOS.md): a thin layer over the engine.

use std::io::Write;
use std::sync::Arc;

use crate::base::time::{parse_duration, MINUTES_PER_DAY};
use crate::engine::events::{Kind, Rule};
use crate::report::describe::Describe;
use crate::scenario::{self, Scenario, ScenarioError};

mod views;

const USAGE: &str = "\
license-lab: simulate Qlik Sense-style licensing from a scenario file

usage:
  license-lab check FILE [--format text|json] ok (notes and use-rights warnings, with their LM
                                              section, on stderr), or the errors with line and column
  license-lab state FILE --at TIME            the state at TIME as JSON
  license-lab run FILE [--every DURATION] [--format csv|json]
                                              one state per step (default every 1d)
  license-lab events FILE [--rule ID] [--user NAME] [--kind KIND] [--format text|csv|json]
                                              the event log: time, rule id, user, what happened
  license-lab size --people N --passes N [--buffer PCT]
                                              SIZE-1's token estimate
  license-lab size FILE [--seeds N] [--max-denials N] [--threads N] [--grow PCT] [--format text|json|csv]
                                              sizing by simulation over many seeds (one run
                                              for fixed visits), the decision curve and its
                                              sentence; --grow: PCT% more people like those
                                              with visits; csv: the curve
  license-lab import FILE... [--format NAME] [--pseudonyms] [--skip-bad] [--columns MAP] [--name NAME]
                                              a scenario from exported usage and allocations
                                              (stdout), a summary of what was found (stderr)
  license-lab compare FILE_A FILE_B [--answer] [--format text|json]
                                              key figures of two runs side by side
                                              (--answer: the change that matters first)
  license-lab lanes FILE (--group NAME | --allocations | --user NAME)
        [--from TIME] [--to TIME] [--first N] [--count N] [--block N] [--buckets N]
        [--format text|json]                  one lane per pass, allocation or connection
  license-lab why FILE --at TIME [--count KEY] [--limit N] [--format text|json]
                                              the events behind each count of the state
  license-lab bench [--quick]                 engine benchmarks (events per second)

TIME is \"day N HH:MM\" or \"YYYY-MM-DDTHH:MM\"; DURATION is like \"90m\", \"2h\", \"1d\".";

/// A command-line failure: the message goes to stderr, the exit code is non-zero.
struct Failure {
    code: i32,
    message: String,
}

fn fail(message: impl Into<String>) -> Failure {
    Failure {
        code: 1,
        message: message.into(),
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: format!("{}\n\n{USAGE}", message.into()),
    }
}

/// Runs the command line with `args` (without the program name). Returns the exit code.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match dispatch(args, out, err) {
        Ok(()) => 0,
        // A closed pipe (`license-lab events FILE | head`) is not an error.
        Err(f) if f.message.contains("Broken pipe") => 0,
        Err(f) => {
            let _ = writeln!(err, "{}", f.message);
            f.code
        }
    }
}

/// Splits `--flag value` options from positional arguments.
struct Args {
    positional: Vec<String>,
    options: Vec<(String, Option<String>)>,
}

impl Args {
    fn parse(args: &[String], flags: &[&str], switches: &[&str]) -> Result<Args, Failure> {
        let mut positional = Vec::new();
        let mut options = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if let Some(name) = a.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (name, None),
                };
                if switches.contains(&name) {
                    options.push((name.to_string(), None));
                } else if flags.contains(&name) {
                    let value = match inline {
                        Some(v) => v,
                        None => {
                            i += 1;
                            args.get(i)
                                .cloned()
                                .ok_or_else(|| usage(format!("--{name} needs a value")))?
                        }
                    };
                    options.push((name.to_string(), Some(value)));
                } else {
                    return Err(usage(format!("unknown option --{name}")));
                }
            } else {
                positional.push(a.clone());
            }
            i += 1;
        }
        Ok(Args {
            positional,
            options,
        })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    fn has(&self, name: &str) -> bool {
        self.options.iter().any(|(n, _)| n == name)
    }

    fn file(&self) -> Result<&str, Failure> {
        match self.positional.as_slice() {
            [f] => Ok(f),
            [] => Err(usage("a scenario FILE is needed")),
            _ => Err(usage(format!(
                "one scenario FILE, not {}",
                self.positional.len()
            ))),
        }
    }
}

fn number(text: &str, what: &str) -> Result<u64, Failure> {
    text.trim().parse::<u64>().map_err(|_| {
        usage(format!(
            "{what} must be a whole number of zero or more, not `{text}`"
        ))
    })
}

/// Reads and parses a scenario file; errors name the file, the line and the column.
pub fn load(path: &str) -> Result<Scenario, String> {
    load_with_notes(path).map(|(scenario, _)| scenario)
}

/// [`load`], with the notes on a valid file (an action at or after the end, never
/// applied), each as `FILE: line L, column C: note: …`.
pub fn load_with_notes(path: &str) -> Result<(Scenario, Vec<String>), String> {
    let text = read_text(path)?;
    scenario::parse_with_notes(&text)
        .map(|(scenario, notes)| (scenario, notes_of(path, &notes)))
        .map_err(|errs| errors_of(path, &errs))
}

/// `FILE: line L, column C: note: …`, one a note.
fn notes_of(path: &str, notes: &[ScenarioError]) -> Vec<String> {
    notes
        .iter()
        .map(|n| {
            format!(
                "{path}: line {}, column {}: note: {}",
                n.line, n.column, n.message
            )
        })
        .collect()
}

/// `FILE: line L, column C: …`, one a line.
fn errors_of(path: &str, errs: &scenario::ScenarioErrors) -> String {
    errs.0
        .iter()
        .map(|e| format!("{path}: {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A scenario file's text: at most the size limit, UTF-8, errors located.
fn read_text(path: &str) -> Result<String, String> {
    // Read at most one byte past the limit: a huge file costs no more memory than that.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            use std::io::Read;
            f.take(scenario::limits::MAX_FILE_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| format!("{path}: cannot read the file: {e}"))?;
    if bytes.len() > scenario::limits::MAX_FILE_BYTES {
        return Err(format!(
            "{path}: line 1, column 1: the file is larger than the limit of {} MB, {} MB of them for the compact `visits` table (write large populations as [[cohort]]s)",
            scenario::limits::MAX_FILE_BYTES / (1024 * 1024),
            scenario::limits::MAX_VISITS_TABLE_BYTES / (1024 * 1024)
        ));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let (line, column) = scenario::error::LineIndex::new(&prefix).position(valid);
            return Err(format!(
                "{path}: {}",
                ScenarioError {
                    line,
                    column,
                    message: "the file is not UTF-8 text (an invalid byte here)".into(),
                }
            ));
        }
    };
    Ok(text)
}

fn dispatch(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
    let Some(cmd) = args.first() else {
        return Err(usage("no command given"));
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "help" | "--help" | "-h" => write(out, &format!("{USAGE}\n")),
        "check" => check(rest, out, err),
        "state" => state(rest, out),
        "run" => run_states(rest, out),
        "events" => events(rest, out),
        "size" => size(rest, out),
        "compare" => compare(rest, out),
        "lanes" => views::lanes(rest, out),
        "why" => views::why(rest, out),
        "bench" => bench(rest, out),
        "import" => import(rest, out, err),
        other => Err(usage(format!("unknown command `{other}`"))),
    }
}

/// Writes `s` to `out`.
fn write(out: &mut dyn Write, s: &str) -> Result<(), Failure> {
    out.write_all(s.as_bytes())
        .map_err(|e| fail(format!("cannot write the output: {e}")))
}

/// `license-lab check FILE [--format text|json]`: `ok` (the notes and the use rights'
/// warnings on stderr) or the located errors; `--format json`: all of them as one JSON
/// object on stdout.
fn check(rest: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
    let a = Args::parse(rest, &["format"], &[])?;
    let format = a.get("format").unwrap_or("text");
    if format != "text" && format != "json" {
        return Err(usage(format!(
            "--format must be text or json, not `{format}`"
        )));
    }
    let path = a.file()?;
    let text = read_text(path).map_err(fail)?;
    let parsed = scenario::parse_for_check(&text);
    if format == "json" {
        return views::check_json(parsed, out).map_err(|e| match e {
            Some(errs) => fail(errors_of(path, &errs)),
            None => fail("cannot write JSON"),
        });
    }
    let (sc, notes, places) = parsed.map_err(|errs| fail(errors_of(path, &errs)))?;
    let warnings = crate::report::use_rights::check(&Arc::new(sc), &places);
    write(out, "ok\n")?;
    // Notes and warnings are not errors: `ok` and exit 0 stay; they go to stderr.
    for note in notes_of(path, &notes) {
        let _ = writeln!(err, "{note}");
    }
    for w in warnings {
        let _ = writeln!(err, "{path}: {w}");
    }
    Ok(())
}

/// `license-lab state FILE --at TIME`: the State JSON at TIME.
fn state(rest: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let a = Args::parse(rest, &["at"], &[])?;
    let sc = load(a.file()?).map_err(fail)?;
    let at_text = a.get("at").ok_or_else(|| usage("state needs --at TIME"))?;
    let at = sc
        .clock
        .parse_time(at_text)
        .map_err(|e| fail(format!("--at: {e}")))?;
    if at < 0 || at > sc.end() {
        return Err(fail(format!(
            "--at {at_text} is outside the simulated period (day 0 00:00 to day {} 00:00)",
            sc.days
        )));
    }
    let state = crate::report::timeline::state_at(&Arc::new(sc), at);
    write(out, &format!("{}\n", state.to_json_pretty()))
}

/// `license-lab run FILE [--every DURATION] [--format csv|json]`: one state per step.
fn run_states(rest: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let a = Args::parse(rest, &["every", "format"], &[])?;
    let sc = Arc::new(load(a.file()?).map_err(fail)?);
    let every = match a.get("every") {
        None => MINUTES_PER_DAY,
        Some(d) => match parse_duration(d) {
            Ok(0) => return Err(fail("--every must be at least 1m")),
            Ok(m) => m,
            Err(e) => return Err(fail(format!("--every: {e}"))),
        },
    };
    let states = crate::report::timeline::run(&sc, every);
    match a.get("format").unwrap_or("csv") {
        "csv" => write(out, &crate::report::export::timeline_csv(&states)),
        "json" => write(out, &crate::report::export::timeline_json(&states)),
        other => Err(usage(format!(
            "--format must be csv or json, not `{other}`"
        ))),
    }
}

/// `license-lab events FILE [--rule ID] [--user NAME] [--kind KIND] [--format …]`: the
/// event log, filtered.
fn events(rest: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let a = Args::parse(rest, &["rule", "user", "kind", "format"], &[])?;
    let sc = Arc::new(load(a.file()?).map_err(fail)?);
    let rule = match a.get("rule") {
        None => None,
        Some(r) => Some(
            Rule::from_id(&r.to_ascii_uppercase())
                .ok_or_else(|| fail(format!("--rule: unknown rule id `{r}`")))?,
        ),
    };
    let user = match a.get("user") {
        None => None,
        Some(u) => Some(
            sc.user_id(u)
                .ok_or_else(|| fail(format!("--user: unknown user `{u}`")))?,
        ),
    };
    let kind = match a.get("kind") {
        None => None,
        Some(k) => Some(Kind::from_label(k).ok_or_else(|| {
            fail(format!(
                "--kind: unknown kind `{k}` (one of: {})",
                Kind::ALL.map(|k| k.label()).join(", ")
            ))
        })?),
    };
    let events: Vec<_> = crate::report::timeline::events(&sc)
        .into_iter()
        .filter(|e| rule.is_none_or(|r| e.rule == r))
        .filter(|e| user.is_none_or(|u| e.user == Some(u)))
        .filter(|e| kind.is_none_or(|k| e.kind() == k))
        .collect();
    let text = match a.get("format").unwrap_or("text") {
        "text" => {
            let mut s = String::new();
            for e in &events {
                let who = e.user.map_or("-", |u| sc.user_name(u));
                s.push_str(&format!(
                    "{}\t{}\t{}\t{}\n",
                    sc.clock.format(e.at),
                    e.rule.id(),
                    who,
                    e.describe(&sc)
                ));
            }
            s
        }
        "csv" => crate::report::export::events_csv(&sc, &events),
        "json" => crate::report::export::events_json(&sc, &events),
        other => {
            return Err(usage(format!(
                "--format must be text, csv or json, not `{other}`"
            )))
        }
    };
    write(out, &text)
}

/// `license-lab size`: SIZE-1's estimate (`--people`, `--passes`) or sizing by simulation
/// of a FILE (`--seeds`, `--max-denials`, `--threads`, `--grow`).
fn size(rest: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let a = Args::parse(
        rest,
        &[
            "people",
            "passes",
            "buffer",
            "seeds",
            "max-denials",
            "threads",
            "grow",
            "format",
        ],
        &[],
    )?;
    if a.positional.is_empty() {
        let people = number(
            a.get("people")
                .ok_or_else(|| usage("size needs --people N and --passes N, or a FILE"))?,
            "--people",
        )?;
        let passes = number(
            a.get("passes")
                .ok_or_else(|| usage("size needs --passes N"))?,
            "--passes",
        )?;
        let buffer = match a.get("buffer") {
            None => 20,
            Some(b) => number(b.trim_end_matches('%'), "--buffer")?,
        };
        let tokens = crate::tools::sizing::size1(people, passes, buffer)
            .ok_or_else(|| fail("the numbers are too large"))?;
        return write(out, &format!("{tokens}\n"));
    }
    let mut sc = load(a.file()?).map_err(fail)?;
    let grow = match a.get("grow") {
        None => None,
        Some(g) => {
            let pct = number(g.trim_end_matches('%'), "--grow")?;
            if pct > 10_000 {
                return Err(fail("--grow is at most 10000 (percent)"));
            }
            Some(pct as u32)
        }
    };
    if let Some(pct) = grow {
        sc = crate::tools::growth::grow(&sc, pct, sc.seed)
            .map_err(|e| fail(format!("--grow: {e}")))?;
    }
    let seeds = match a.get("seeds") {
        None => 50,
        Some(s) => number(s, "--seeds")?.clamp(1, 100_000),
    };
    let max_denials = match a.get("max-denials") {
        None => 0,
        Some(s) => number(s, "--max-denials")?,
    };
    let threads = match a.get("threads") {
        None => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        Some(s) => (number(s, "--threads")? as usize).max(1),
    };
    let format = a.get("format").unwrap_or("text");
    if !["text", "json", "csv"].contains(&format) {
        return Err(usage(format!(
            "--format must be text, json or csv, not `{format}`"
        )));
    }
    let mut report =
        crate::tools::sizing::simulate(&sc, seeds, max_denials, threads).map_err(fail)?;
    report.growth = grow;
    let text = match format {
        // The whole report with its decision (curves, sentence, models by cost).
        "json" => serde_json::to_string_pretty(&report).map_err(|e| fail(e.to_string()))? + "\n",
        // The export: the decision curve, one row per curve and token count.
        "csv" => report
            .decision
            .as_ref()
            .map(|d| d.to_csv())
            .unwrap_or_default(),
        _ => report.to_text(),
    };
    write(out, &text)
}

/// `license-lab compare FILE_A FILE_B [--answer] [--format text|json]`.
fn compare(rest: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let a = Args::parse(rest, &["format"], &["answer"])?;
    let [fa, fb] = a.positional.as_slice() else {
        return Err(usage("compare needs two scenario files"));
    };
    let sa = Arc::new(load(fa).map_err(fail)?);
    let sb = Arc::new(load(fb).map_err(fail)?);
    let ra = crate::report::timeline::Recording::new(sa.clone());
    let rb = crate::report::timeline::Recording::new(sb.clone());
    let table =
        crate::report::timeline::compare_text((&sa.name, &ra.summary), (&sb.name, &rb.summary));
    if a.has("answer") || a.get("format").is_some() {
        return views::compare_answer(&a, &ra, &rb, table, out);
    }
    write(out, &table)
}

/// `license-lab bench [--quick] [--case NAME] [--profile N]`: the engine benchmarks.
fn bench(rest: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let a = Args::parse(rest, &["profile", "case"], &["quick"])?;
    if let Some(c) = a.get("case") {
        return crate::tools::bench::run_case(c, out).map_err(|e| fail(format!("bench: {e}")));
    }
    if let Some(n) = a.get("profile") {
        let m = crate::tools::bench::profile(number(n, "--profile")? as u32);
        return write(out, &format!("{} events in {:.3} s\n", m.events, m.seconds));
    }
    crate::tools::bench::run(a.has("quick"), out).map_err(|e| fail(format!("bench: {e}")))
}

/// `license-lab import FILE...`: the scenario on `out`, the summary on `err`.
fn import(rest: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
    use crate::tools::import::{self, ColumnMap, Format, Input, Options};
    let a = Args::parse(
        rest,
        &["format", "columns", "name"],
        &["pseudonyms", "skip-bad"],
    )?;
    if a.positional.is_empty() {
        return Err(usage("import needs one or more FILEs"));
    }
    let format = match a.get("format") {
        None => None,
        Some(f) => Some(Format::from_name(f).ok_or_else(|| {
            usage(format!(
                "--format must be one of {}, not `{f}`",
                Format::ALL.map(|f| f.name()).join(", ")
            ))
        })?),
    };
    let columns = match a.get("columns") {
        None => ColumnMap::default(),
        Some(c) => ColumnMap::parse(c).map_err(|e| usage(format!("--columns: {e}")))?,
    };
    let options = Options {
        format,
        pseudonyms: a.has("pseudonyms"),
        skip_bad: a.has("skip-bad"),
        columns,
        name: a.get("name").map(str::to_string),
    };
    let mut contents = Vec::new();
    for path in &a.positional {
        let size = std::fs::metadata(path)
            .map_err(|e| fail(format!("{path}: cannot read the file: {e}")))?
            .len();
        if size > import::MAX_IMPORT_BYTES as u64 {
            return Err(fail(format!(
                "{path}: the file has {size} bytes; the limit is {} MB per file",
                import::MAX_IMPORT_BYTES / (1024 * 1024)
            )));
        }
        let bytes =
            std::fs::read(path).map_err(|e| fail(format!("{path}: cannot read the file: {e}")))?;
        contents.push((path.as_str(), bytes));
    }
    let inputs: Vec<Input> = contents
        .iter()
        .map(|(name, bytes)| Input { name, bytes })
        .collect();
    let result = import::import(&inputs, &options).map_err(|e| fail(e.to_string()))?;
    let text = result.text().map_err(|e| fail(e.to_string()))?;
    out.write_all(text.as_bytes())
        .map_err(|e| fail(format!("cannot write the output: {e}")))?;
    err.write_all(result.summary.to_text().as_bytes())
        .map_err(|e| fail(format!("cannot write the summary: {e}")))
}
