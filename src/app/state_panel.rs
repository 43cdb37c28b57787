//! The state at the time cursor: the counts of the command line's State JSON, labelled in
//! the words a Qlik administrator knows (RULES.md, "Words users know"). Counts that
//! changed since the state shown before are highlighted with their previous value.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::charts::thousands;
use super::lives::Lives;
use super::rulebook::escape as esc;
use super::store::{ctx, Cursor, Doc, Log, Run};
use crate::report::state::State;

struct Row {
    /// The count's path in the State JSON, e.g. `groups.analysts.available`.
    key: String,
    label: &'static str,
    hint: &'static str,
    value: String,
    /// A count (not a month, a yes/no or a cost).
    number: bool,
}

struct Section {
    title: String,
    rows: Vec<Row>,
}

fn row(key: impl Into<String>, label: &'static str, hint: &'static str, value: i64) -> Row {
    Row {
        key: key.into(),
        label,
        hint,
        value: thousands(value),
        number: true,
    }
}

fn text_row(key: &str, label: &'static str, value: &str) -> Row {
    Row {
        key: key.into(),
        label,
        hint: "",
        value: value.to_string(),
        number: false,
    }
}

/// The panel's sections for a state. Sections of things the license does not have are
/// left out.
fn sections(v: &State) -> Vec<Section> {
    let t = &v.tokens;
    let mut out = vec![Section {
        title: "Tokens".into(),
        rows: vec![
            row("tokens.total", "Total", "tokens in the license", t.total),
            row("tokens.free", "Available", "free to allocate", t.free),
            row(
                "tokens.user_passes",
                "Allocated: User Access Passes",
                "1 token per pass",
                t.user_passes,
            ),
            row(
                "tokens.login_groups",
                "Allocated: login access",
                "1 token = 10 login passes",
                t.login_groups,
            ),
            row(
                "tokens.pending",
                "Quarantined / retiring",
                "held back by a quarantine or by passes still being retired",
                t.pending,
            ),
        ],
    }];
    out.push(Section {
        title: "User Access Passes".into(),
        rows: vec![
            row(
                "user_passes.allocated",
                "Allocated",
                "",
                v.user_passes.allocated,
            ),
            row(
                "user_passes.quarantined",
                "Quarantined",
                "removed, waiting out the quarantine",
                v.user_passes.quarantined,
            ),
        ],
    });
    for (name, g) in &v.groups.0 {
        out.push(Section {
            title: format!("Login access: {name}"),
            rows: vec![
                row(
                    format!("groups.{name}.passes"),
                    "Passes assigned",
                    "10 per token",
                    g.passes,
                ),
                row(
                    format!("groups.{name}.used"),
                    "Used",
                    "consumed, back 28 days later",
                    g.used,
                ),
                row(
                    format!("groups.{name}.available"),
                    "Remaining",
                    "available to consume",
                    g.available,
                ),
                row(
                    format!("groups.{name}.retiring"),
                    "Retiring",
                    "used passes that retire on return",
                    g.retiring,
                ),
            ],
        });
    }
    for (key, title, s) in [
        ("professional", "Professional", &v.professional),
        ("analyzer", "Analyzer", &v.analyzer),
    ] {
        if s.total > 0 || s.assigned > 0 || s.quarantined > 0 {
            out.push(Section {
                title: title.into(),
                rows: vec![
                    row(format!("{key}.total"), "Total", "", s.total),
                    row(format!("{key}.assigned"), "Allocated", "", s.assigned),
                    row(
                        format!("{key}.quarantined"),
                        "Quarantined",
                        "",
                        s.quarantined,
                    ),
                ],
            });
        }
    }
    let c = &v.capacity;
    if c.quota > 0 || c.used > 0 {
        out.push(Section {
            title: "Analyzer Capacity".into(),
            rows: vec![
                text_row("capacity.month", "Month", &c.month),
                row("capacity.quota", "Minutes allocated", "per month", c.quota),
                row(
                    "capacity.used",
                    "Minutes used",
                    "this month, overage included",
                    c.used,
                ),
                row(
                    "capacity.overage",
                    "Overage minutes",
                    "used above the quota",
                    c.overage,
                ),
            ],
        });
    }
    let k = &v.core;
    if k.quota > 0 || k.used > 0 {
        out.push(Section {
            title: "Qlik Core".into(),
            rows: vec![
                text_row("core.month", "Month", &k.month),
                row("core.quota", "Minutes allocated", "per month", k.quota),
                row("core.used", "Minutes used", "this month", k.used),
            ],
        });
    }
    for (name, n) in v.nodes.iter().flat_map(|n| &n.0) {
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        out.push(Section {
            title: format!("Node: {name} ({})", n.role),
            rows: vec![
                row(
                    format!("nodes.{name}.cores"),
                    "Cores allocated",
                    "",
                    n.cores,
                ),
                text_row(
                    &format!("nodes.{name}.connected"),
                    "Connected to the central node",
                    yes_no(n.connected),
                ),
                text_row(
                    &format!("nodes.{name}.accepting"),
                    "Accepting connections",
                    yes_no(n.accepting),
                ),
                row(
                    format!("nodes.{name}.connections"),
                    "Open connections",
                    "",
                    n.connections,
                ),
            ],
        });
    }
    for (name, d) in v.deployments.iter().flat_map(|d| &d.0) {
        out.push(Section {
            title: format!("Deployment: {name}"),
            rows: vec![
                row(
                    format!("deployments.{name}.professional"),
                    "Professional allocated",
                    "as this deployment sees it",
                    d.professional,
                ),
                row(
                    format!("deployments.{name}.analyzer"),
                    "Analyzer allocated",
                    "as this deployment sees it",
                    d.analyzer,
                ),
                row(
                    format!("deployments.{name}.unsynced"),
                    "Not yet synced",
                    "assignments waiting for the next sync",
                    d.unsynced,
                ),
            ],
        });
    }
    if let Some(c) = &v.costs {
        let money = |x: f64| format!("{x:.2} {}", c.currency);
        out.push(Section {
            title: "Costs".into(),
            rows: vec![
                text_row("costs.tokens", "Tokens", &money(c.tokens)),
                text_row("costs.professional", "Professional", &money(c.professional)),
                text_row("costs.analyzer", "Analyzer", &money(c.analyzer)),
                text_row(
                    "costs.capacity_packs",
                    "Capacity packs",
                    &money(c.capacity_packs),
                ),
                text_row("costs.overage", "Overage this month", &money(c.overage)),
                text_row("costs.total", "Total", &money(c.total)),
            ],
        });
    }
    out.push(Section {
        title: "Activity".into(),
        rows: vec![
            row("connections", "Open connections", "", v.connections),
            row(
                "totals.passes_consumed",
                "Login passes consumed",
                "since the start",
                v.totals.passes_consumed,
            ),
            row(
                "totals.denied",
                "Connections denied",
                "since the start",
                v.totals.denied,
            ),
            row(
                "totals.discontinued",
                "Sessions discontinued",
                "since the start",
                v.totals.discontinued,
            ),
        ],
    });
    out
}

/// Whether `report::reasons` traces the row's count to its events: every count but the
/// nodes', the deployments' and the text rows (months, costs).
fn has_reasons(r: &Row) -> bool {
    r.number && !r.key.starts_with("nodes.") && !r.key.starts_with("deployments.")
}

/// A click on a count opens its reasons (`report::reasons`, from the tools worker).
fn on_click(lives: Lives, ev: web_sys::MouseEvent) {
    let key = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("[data-why]").ok().flatten())
        .and_then(|b| b.get_attribute("data-why"));
    if let Some(key) = key {
        lives.open_reasons(key);
    }
}

/// Previous values by key, for the rows that changed.
fn previous(before: &State) -> Vec<(String, String)> {
    sections(before)
        .into_iter()
        .flat_map(|s| s.rows)
        .map(|r| (r.key, r.value))
        .collect()
}

/// After a step, scrolls the page (only if needed) so that the state panel's changed
/// counts ("was …") are in view below the sticky time bar.
fn keep_in_view() {
    let doc = document();
    let (Some(panel), Some(bar)) = (
        doc.query_selector(".state-panel").ok().flatten(),
        doc.query_selector(".time-bar").ok().flatten(),
    ) else {
        return;
    };
    let changed: Vec<web_sys::DomRect> = doc
        .query_selector_all(".state-panel .count.changed")
        .map(|l| {
            (0..l.length())
                .filter_map(|i| l.item(i))
                .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
                .map(|e| e.get_bounding_client_rect())
                .collect()
        })
        .unwrap_or_default();
    let p = panel.get_bounding_client_rect();
    let (first, last) = match (changed.first(), changed.last()) {
        (Some(f), Some(l)) => (f.top(), l.bottom()),
        _ => (p.top(), p.top() + 60.0),
    };
    // The bar sticks at the top of the window: that much of it hides what is under it.
    let top = bar.get_bounding_client_rect().height() + 8.0;
    let height = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0);
    if first >= top && last <= height {
        return;
    }
    // The panel's top just under the bar, unless that leaves a changed count below the
    // window: then the first changed count just under the bar.
    let mut by = p.top() - top;
    if last - by > height {
        by = first - top - 30.0;
    }
    window().scroll_by_with_x_and_y(0.0, by.round());
}

#[component]
pub fn StatePanel() -> impl IntoView {
    let run = ctx::<Run>();
    let doc = ctx::<Doc>();
    let cursor = ctx::<Cursor>();
    let log = ctx::<Log>();
    let lives = ctx::<Lives>();
    Effect::new(move |_| {
        cursor.shown.track();
        if log.step.with_untracked(|s| s.is_some()) {
            request_animation_frame(keep_in_view);
        }
    });
    // Read-only and redrawn whole at every move of the cursor: written as markup.
    let body = move || {
        let Some(shown) = cursor.shown.get() else {
            return "<p class=\"muted\">No result yet.</p>".to_string();
        };
        let before = shown.before.as_ref().map(previous).unwrap_or_default();
        let mut changed = 0;
        let mut grid = String::new();
        for sec in sections(&shown.state) {
            let mut rows = String::new();
            for r in sec.rows {
                let was = before
                    .iter()
                    .find(|(k, _)| *k == r.key)
                    .filter(|(_, v)| *v != r.value)
                    .map(|(_, v)| v.clone());
                changed += usize::from(was.is_some());
                let value = if has_reasons(&r) {
                    format!(
                        "<button type=\"button\" class=\"why\" data-why=\"{}\" title=\"The events that make this count\">{}</button>",
                        esc(&r.key),
                        esc(&r.value)
                    )
                } else {
                    esc(&r.value)
                };
                rows.push_str(&format!(
                    "<div class=\"count{}\"><dt title=\"{}\">{}</dt><dd data-key=\"{}\">{value}</dd>{}</div>",
                    if was.is_some() { " changed" } else { "" },
                    esc(r.hint),
                    esc(r.label),
                    esc(&r.key),
                    was.map(|w| format!("<dd class=\"was\">was {}</dd>", esc(&w)))
                        .unwrap_or_default()
                ));
            }
            grid.push_str(&format!(
                "<section class=\"state-section\"><h3>{}</h3><dl>{rows}</dl></section>",
                esc(&sec.title)
            ));
        }
        format!(
            "<p class=\"state-at\">At <time data-key=\"at\">{}</time> ({}){}</p><div class=\"state-grid\">{grid}</div><details class=\"state-json\"><summary>State JSON (as <code>license-lab state</code> prints it)</summary><pre>{}</pre></details>",
            esc(&shown.state.at),
            crate::base::time::Clock::format_relative(shown.at),
            if changed > 0 {
                "<span class=\"legend-changed\"> · highlighted: changed since the previous moment shown</span>"
            } else {
                ""
            },
            esc(&shown.json)
        )
    };
    view! {
        <section class="state-panel" aria-labelledby="state-h" class:stale=move || run.stale(doc)>
            <h2 id="state-h">"State at the cursor"</h2>
            <div inner_html=body on:click=move |ev| on_click(lives, ev)></div>
            <div class="reasons-box" aria-live="polite" inner_html=move || lives.reasons_html() on:click=move |ev| super::lives::on_click(lives, ev)></div>
        </section>
    }
}
