//! The tools' Web Worker: the form's view of the text and its edits (comment-keeping,
//! `scenario::edit::Doc`), share links, checks of imported files, the compare run, and
//! sizing seeds and reports. Started by the page the first time a tool is used, so the
//! first load carries only the app and the run worker (see [`super::tools_client`]);
//! the sizing pool runs several of these at once.

use std::cell::RefCell;
use std::sync::Arc;

use super::protocol::*;
use crate::report::series::Series;
use crate::report::timeline::Recording;
use crate::scenario::edit::{self, Doc};
use crate::scenario::schema::{self, Section};
use crate::scenario::{self, Scenario};

use super::wire::reply as post;
use serde_json::value::RawValue;

/// Entry point of the tools bin.
pub fn start() {
    console_error_panic_hook::set_once();
    super::wire::listen::<ToolRequest>("tools worker", handle);
    super::import_worker::listen();
    post(&ToolResponse::Ready);
}

/// The section a form key names (`scenario`, `license`, `group`, …).
pub fn section_of(key: &str) -> Option<Section> {
    if key == "scenario" {
        Some(Section::Scenario)
    } else {
        Section::from_table(key)
    }
}

/// The key a form uses for a section.
pub fn section_key(section: Section) -> &'static str {
    section.table().unwrap_or("scenario")
}

/// The form's view of `text`: a page of rows per list section, the names for the
/// reference selects, and the parser's errors placed at their rows and keys.
fn form_model(text: &str, pages: &[(String, usize)]) -> FormModel {
    let doc = match Doc::parse(text) {
        Ok(d) => d,
        Err(e) => {
            return FormModel {
                syntax: Some(ErrorView {
                    line: e.line,
                    column: e.column,
                    message: e.message,
                }),
                ..FormModel::default()
            }
        }
    };
    let mut model = FormModel::default();
    for section in Section::ALL {
        let key = section_key(section);
        let total = doc.rows(section);
        let pages_n = total.div_ceil(FORM_PAGE).max(1);
        let page = pages
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, p)| *p)
            .unwrap_or(0)
            .min(pages_n - 1);
        let range = if section.is_list() {
            page * FORM_PAGE..total.min((page + 1) * FORM_PAGE)
        } else {
            0..1
        };
        let rows = range
            .map(|i| FormRow {
                index: i,
                values: schema::fields(section)
                    .filter_map(|f| {
                        doc.form_value(section, i, f.key)
                            .map(|v| (f.key.to_string(), v))
                    })
                    .collect(),
                unknown: doc.unknown_keys(section, i),
            })
            .collect();
        model.sections.push(FormSection {
            key: key.to_string(),
            rows,
            total,
            page,
        });
    }
    model.users = doc.names(Section::User);
    model.groups = doc.names(Section::Group);
    model.nodes = doc.names(Section::Node);
    model.deployments = doc.names(Section::Deployment);
    model.cohorts = doc.names(Section::Cohort);
    if let Err(errs) = scenario::parse(text) {
        model.errors = errs
            .0
            .into_iter()
            .map(|e| {
                let (section, row, key) =
                    Doc::locate(text, e.line).unwrap_or((Section::Scenario, 0, None));
                FormError {
                    section: section_key(section).to_string(),
                    row,
                    key,
                    line: e.line,
                    message: e.message,
                }
            })
            .collect();
    }
    model
}

/// A form edit applied to the text, comments kept. Refused when it would add an error
/// to the scenario ([`edit::check_edit`]): the form never writes a file the parser
/// rejects.
fn apply_edit(text: &str, edit: &FormEdit) -> Result<Edited, String> {
    let mut doc = Doc::parse(text).map_err(|e| {
        format!(
            "the text has a TOML error at line {}: {}",
            e.line, e.message
        )
    })?;
    let section = |k: &str| section_of(k).ok_or_else(|| format!("unknown section `{k}`"));
    let mut note = None;
    match edit {
        FormEdit::Set {
            section: s,
            row,
            key,
            value,
        } => {
            note = doc
                .edit_value(section(s)?, *row, key, value)?
                .map(|name| format!("The scenario's name follows: “{name}”."));
        }
        FormEdit::Add { section: s } => {
            doc.add_row(section(s)?)?;
        }
        FormEdit::Remove { section: s, row } => {
            if !doc.remove_row(section(s)?, *row) {
                return Err(format!("{s} has no row {}", row + 1));
            }
        }
        FormEdit::Duplicate { section: s, row } => {
            doc.duplicate_row(section(s)?, *row)
                .ok_or_else(|| format!("{s} has no row {}", row + 1))?;
        }
        FormEdit::AddUsers {
            name,
            count,
            access,
            cohort,
        } => {
            let rows = doc.add_users(name, *count, access, *cohort)?;
            note = Some(if *cohort {
                format!("Added the cohort {name}: {name}-1 … {name}-{count}.")
            } else {
                format!("Added {} users: {name}-1 … {name}-{count}.", rows.len())
            });
        }
        FormEdit::ChangeUsers {
            verb,
            at,
            users,
            kind,
        } => {
            let rows = doc.add_actions(verb, at, users, Some(kind))?;
            note = Some(format!("Added {} changes ({verb}, {at}).", rows.len()));
        }
    }
    let new = doc.text();
    edit::check_edit(text, &new)?;
    Ok(Edited { text: new, note })
}

thread_local! {
    /// The last scenario parsed for sizing, by its text (every seed needs the same one).
    static SIZING_SCENARIO: RefCell<Option<(String, Arc<Scenario>)>> = const { RefCell::new(None) };
}

fn sizing_scenario(text: &str) -> Result<Arc<Scenario>, String> {
    if let Some(sc) = SIZING_SCENARIO.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|(t, _)| t == text)
            .map(|(_, sc)| sc.clone())
    }) {
        return Ok(sc);
    }
    let sc = Arc::new(scenario::parse(text).map_err(|e| e.to_string())?);
    SIZING_SCENARIO.with(|c| *c.borrow_mut() = Some((text.to_string(), sc.clone())));
    Ok(sc)
}

fn to_raw<T: serde::Serialize>(v: &T) -> Result<Box<RawValue>, String> {
    serde_json::value::to_raw_value(v).map_err(|e| e.to_string())
}

fn from_raw<T: serde::de::DeserializeOwned>(raw: &RawValue) -> Result<T, String> {
    serde_json::from_str(raw.get()).map_err(|e| e.to_string())
}

/// The sizing report of the seeds' runs and the plan of its decision curve.
fn size_plan(text: &str, runs: &[Box<RawValue>], max_denials: u64) -> Result<Planned, String> {
    let sc = sizing_scenario(text)?;
    let runs = runs
        .iter()
        .map(|r| from_raw::<crate::tools::sizing::SeedRun>(r))
        .collect::<Result<Vec<_>, _>>()?;
    let report = crate::tools::sizing::report(&sc, &runs, max_denials, 1)?;
    let plan = crate::tools::decision::Plan::of(&report, &runs);
    Ok(Planned {
        report: to_raw(&report)?,
        plan: to_raw(&plan)?,
    })
}

/// The report with its decision, as markup.
fn size_decide(
    report: &RawValue,
    plan: &RawValue,
    curves: &[Box<RawValue>],
) -> Result<SizingView, String> {
    let mut report = from_raw::<crate::tools::sizing::SizingReport>(report)?;
    let plan = from_raw::<crate::tools::decision::Plan>(plan)?;
    let curves = curves
        .iter()
        .map(|c| from_raw::<crate::tools::decision::SeedCurve>(c))
        .collect::<Result<Vec<_>, _>>()?;
    report.decision = Some(crate::tools::decision::decide(&report, &plan, &curves));
    Ok(SizingView::of(&report))
}

/// The use rights' warnings of `text` (none when it does not parse): the file's, and the
/// run's when a check needs its log (LM IV.A, IV.C).
fn use_rights(text: &str) -> Vec<crate::scenario::use_rights::Warning> {
    use crate::report::use_rights::{check_log, needs_run};
    let Ok((sc, _, places)) = scenario::parse_for_check(text) else {
        return Vec::new();
    };
    if !needs_run(&sc) {
        return check_log(&sc, &[], &places);
    }
    let rec = Recording::new(Arc::new(sc));
    check_log(&rec.scenario, &rec.events, &places)
}

/// Answers the requests of the tools around the run: form, share, import, compare,
/// sizing.
fn handle(req: ToolRequest) {
    match req {
        ToolRequest::Form { rev, text, pages } => post(&ToolResponse::Form {
            rev,
            model: form_model(&text, &pages),
        }),
        ToolRequest::FormEdit { rev, text, edit } => post(&ToolResponse::FormEdited {
            rev,
            result: apply_edit(&text, &edit).map(|e| Edited {
                text: super::large::shrink(e.text),
                note: e.note,
            }),
        }),
        ToolRequest::Share { text, size } => post(&ToolResponse::Shared {
            result: crate::tools::share::encode_with(&text, size),
        }),
        ToolRequest::Unshare { fragment } => {
            let (result, size) = match crate::tools::share::decode_link(&fragment) {
                Ok((text, size)) => (Ok(text), size),
                Err(e) => (Err(e), None),
            };
            post(&ToolResponse::Unshared { result, size });
        }
        ToolRequest::CheckImport { name, text } => {
            let errors = match scenario::parse(&text) {
                Ok(_) => Vec::new(),
                Err(e) => ErrorView::list(e),
            };
            let text = super::large::shrink(text);
            post(&ToolResponse::ImportChecked { name, text, errors });
        }
        ToolRequest::Compare {
            text,
            a_rev,
            a_text,
        } => {
            let result = match scenario::parse(&text) {
                Err(e) => Err(ErrorView::list(e)),
                Ok(sc) => {
                    let rec = Recording::new(Arc::new(sc));
                    let info = ScenarioInfo::of(&rec.scenario);
                    // A is the run the lives view holds (or its text, run now).
                    let compared = super::lives_markup::with_recording(a_rev, a_text, |a| {
                        let c = super::compare_markup::comparison(a, &rec);
                        (
                            super::compare_markup::answer_html(&c, &a.scenario.name, &info.name),
                            super::compare_markup::chart_order(&c),
                        )
                    });
                    let (answer_html, charts) = compared.unwrap_or_else(|_| {
                        (
                            "<p class=\"compare-answer muted\" id=\"compare-answer\">A's run is no longer held: run A again, then B.</p>".to_string(),
                            Vec::new(),
                        )
                    });
                    Ok(CompareResult {
                        info,
                        summary: rec.summary.clone(),
                        series: Series::of(&rec),
                        answer_html,
                        charts,
                    })
                }
            };
            post(&ToolResponse::Compared(Box::new(result)));
        }
        ToolRequest::SizeSeed { text, seed, heavy } => {
            let result = sizing_scenario(&text)
                .and_then(|sc| crate::tools::sizing::run_seed(&sc, seed, heavy.as_deref()))
                .and_then(|run| {
                    let heavy = run.heavy.clone();
                    serde_json::value::to_raw_value(&run)
                        .map(|run| SeedDone { run, heavy })
                        .map_err(|e| e.to_string())
                });
            post(&ToolResponse::SeedDone { seed, result });
        }
        ToolRequest::SizeReport {
            text,
            runs,
            max_denials,
        } => post(&ToolResponse::SizePlanned {
            result: size_plan(&text, &runs, max_denials),
        }),
        ToolRequest::SizeCurve { text, seed, plan } => {
            let result = sizing_scenario(&text).and_then(|sc| {
                let plan = from_raw::<crate::tools::decision::Plan>(&plan)?;
                to_raw(&crate::tools::decision::run_seed_curve(&sc, seed, &plan)?)
            });
            post(&ToolResponse::CurveDone { seed, result });
        }
        ToolRequest::SizeDecide {
            report,
            plan,
            curves,
        } => post(&ToolResponse::SizeReported {
            result: size_decide(&report, &plan, &curves),
        }),
        ToolRequest::UseRights { rev, text } => post(&ToolResponse::UseRights {
            rev,
            warnings: use_rights(&text),
        }),
        req @ (ToolRequest::ImportStart
        | ToolRequest::ImportOpen
        | ToolRequest::ImportedList
        | ToolRequest::ImportedOpen { .. }
        | ToolRequest::ImportedDelete { .. }
        | ToolRequest::LargeLoad { .. }
        | ToolRequest::SizeHistory { .. }) => super::import_worker::handle(req),
        ToolRequest::Lives { rev, text, ask } => super::lives_markup::handle(rev, text, ask),
    }
}
