//! The state at the time cursor: the counts of the command line's State JSON, labelled in
//! the words a Qlik administrator knows (RULES.md, "Words users know"). Counts that
//! changed since the state shown before are highlighted with their previous value.

use leptos::prelude::*;

use super::charts::thousands;
use super::protocol::StateView;
use super::store::Store;

struct Row {
    /// The count's path in the State JSON, e.g. `groups.analysts.available`.
    key: String,
    label: &'static str,
    hint: &'static str,
    value: String,
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
    }
}

fn text_row(key: &str, label: &'static str, value: &str) -> Row {
    Row {
        key: key.into(),
        label,
        hint: "",
        value: value.to_string(),
    }
}

/// The panel's sections for a state. Sections of things the license does not have are
/// left out.
fn sections(v: &StateView) -> Vec<Section> {
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

/// Previous values by key, for the rows that changed.
fn previous(before: &StateView) -> Vec<(String, String)> {
    sections(before)
        .into_iter()
        .flat_map(|s| s.rows)
        .map(|r| (r.key, r.value))
        .collect()
}

#[component]
pub fn StatePanel(store: Store) -> impl IntoView {
    let body = move || {
        let Some(shown) = store.shown.get() else {
            return view! { <p class="muted">"No result yet."</p> }.into_any();
        };
        let before = shown.before.as_ref().map(previous).unwrap_or_default();
        let mut changed = 0;
        let sections = sections(&shown.view)
            .into_iter()
            .map(|s| {
                let rows = s
                    .rows
                    .into_iter()
                    .map(|r| {
                        let was = before
                            .iter()
                            .find(|(k, _)| *k == r.key)
                            .filter(|(_, v)| *v != r.value)
                            .map(|(_, v)| v.clone());
                        let is_changed = was.is_some();
                        changed += usize::from(is_changed);
                        view! {
                            <div class="count" class:changed=is_changed>
                                <dt title=r.hint>{r.label}</dt>
                                <dd data-key=r.key>{r.value}</dd>
                                {was.map(|w| view! { <span class="was">"was " {w}</span> })}
                            </div>
                        }
                    })
                    .collect_view();
                view! {
                    <section class="state-section">
                        <h3>{s.title}</h3>
                        <dl>{rows}</dl>
                    </section>
                }
            })
            .collect_view();
        let json = shown.json.clone();
        view! {
            <p class="state-at">
                "At " <time data-key="at">{shown.view.at.clone()}</time> " (" {crate::base::time::Clock::format_relative(shown.at)} ")"
                {(changed > 0).then(|| view! { <span class="legend-changed">" · highlighted: changed since the previous moment shown"</span> })}
            </p>
            <div class="state-grid">{sections}</div>
            <details class="state-json">
                <summary>"State JSON (as " <code>"license-lab state"</code> " prints it)"</summary>
                <pre>{json}</pre>
            </details>
        }
        .into_any()
    };
    view! {
        <section class="state-panel" aria-labelledby="state-h" class:stale=move || store.stale()>
            <h2 id="state-h">"State at the cursor"</h2>
            {body}
        </section>
    }
}
