//! The event log: one page at a time of the worker's log (so a million events cost no more
//! than a hundred), filtered by rule, kind and user. Clicking an event moves the time
//! cursor there; each rule id opens the rule book.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::charts::thousands;
use super::lives::Lives;
use super::protocol::{EventRow, LivesAsk, PAGE_SIZE};
use super::rulebook::escape as esc;
use super::rulebook::RuleBook;
use super::run::Runner;
use super::store::{ctx, Doc, Log, Run};
use crate::base::time::Clock;

/// A filter's options with their counts in the log; the current choice is kept (with 0)
/// when the log has none of it.
fn options(mut counts: Vec<(String, usize)>, current: String) -> impl IntoView {
    if !current.is_empty() && !counts.iter().any(|(k, _)| *k == current) {
        counts.push((current.clone(), 0));
    }
    counts
        .into_iter()
        .map(|(k, n)| {
            let selected = k == current;
            view! {
                <option value=k.clone() selected=selected>
                    {format!("{k} ({n})")}
                </option>
            }
        })
        .collect_view()
}

#[component]
fn Filters() -> impl IntoView {
    let runner = ctx::<Runner>();
    let run = ctx::<Run>();
    let log = ctx::<Log>();
    let rule_options = move || {
        let current = log.filter.with(|f| f.rule.clone());
        let counts = run
            .result
            .with(|r| r.as_ref().map(|r| r.rules.clone()).unwrap_or_default());
        options(counts, current)
    };
    let kind_options = move || {
        let current = log.filter.with(|f| f.kind.clone());
        let counts = run
            .result
            .with(|r| r.as_ref().map(|r| r.kinds.clone()).unwrap_or_default());
        options(counts, current)
    };
    let any_rule = move || log.filter.with(|f| f.rule.is_empty());
    let any_kind = move || log.filter.with(|f| f.kind.is_empty());
    view! {
        <div class="filters" role="group" aria-label="Filter the log">
            <label>
                "Rule "
                <select
                    id="filter-rule"
                    on:change:target=move |ev| {
                        let v = ev.target().value();
                        runner.set_filter(|f| f.rule = v);
                    }
                >
                    <option value="" selected=any_rule>
                        "All rules"
                    </option>
                    {rule_options}
                </select>
            </label>
            <label>
                "Kind "
                <select
                    id="filter-kind"
                    on:change:target=move |ev| {
                        let v = ev.target().value();
                        runner.set_filter(|f| f.kind = v);
                    }
                >
                    <option value="" selected=any_kind>
                        "All kinds"
                    </option>
                    {kind_options}
                </select>
            </label>
            <label>
                "User "
                <input
                    id="filter-user"
                    type="search"
                    placeholder="name, part, or ab*"
                    title="A whole name shows that user only (person-42, not person-420); part of a name shows every name containing it; * stands for anything (person-42*)."
                    prop:value=move || log.filter.with(|f| f.user.clone())
                    on:input:target=move |ev| {
                        let v = ev.target().value();
                        runner.set_filter(|f| f.user = v);
                    }
                />
            </label>
            <button
                type="button"
                disabled=move || log.filter.with(|f| f.rule.is_empty() && f.kind.is_empty() && f.user.is_empty())
                on:click=move |_| runner.set_filter(|f| *f = Default::default())
            >
                "Clear filters"
            </button>
        </div>
    }
}

/// One row of the log, as markup (a page holds a hundred; see [`EventLog`] for its
/// clicks).
fn row_html(row: &EventRow, clock: Option<Clock>, selected: bool) -> String {
    let time = clock
        .map(|c| c.format(row.at))
        .unwrap_or_else(|| row.at.to_string());
    let rule = if row.rule.is_empty() {
        String::new()
    } else {
        super::rulebook::link_html(&esc(&row.rule))
    };
    // A user opens their lanes; an event about a user or a pass opens the lane it concerns.
    let user = if row.user.is_empty() {
        String::new()
    } else {
        format!(
            "<button type=\"button\" class=\"link\" data-user=\"{0}\" title=\"Show {0}'s lanes\">{0}</button>",
            esc(&row.user)
        )
    };
    let lane = if row.user.is_empty() && !matches!(row.rule.as_str(), "LAP-7" | "LAP-9") {
        String::new()
    } else {
        format!(
            " <button type=\"button\" class=\"link lane-link\" data-lane=\"{}\" title=\"Show the lane of the pass, allocation or person this event concerns\">lane</button>",
            row.index
        )
    };
    format!(
        "<tr id=\"event-{}\" data-index=\"{}\"{}><td class=\"ev-time\"><button type=\"button\" class=\"time-link\" title=\"{}: move the time cursor here\">{time}</button></td><td class=\"ev-rule\">{rule}</td><td class=\"ev-user\">{user}</td><td class=\"ev-kind\">{}</td><td class=\"ev-text\">{}{lane}</td></tr>",
        row.index,
        row.index,
        if selected { " class=\"selected\"" } else { "" },
        Clock::format_relative(row.at),
        esc(&row.kind),
        esc(&row.text)
    )
}

/// A click in the log: a rule id opens the rule book, anything else in a row moves the
/// time cursor to that event.
fn on_click(book: RuleBook, runner: Runner, lives: Lives, ev: web_sys::MouseEvent) {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    if el.closest("[data-rule]").ok().flatten().is_some() {
        book.open_clicked(ev);
        return;
    }
    if let Some(i) = el
        .closest("[data-lane]")
        .ok()
        .flatten()
        .and_then(|b| b.get_attribute("data-lane"))
        .and_then(|i| i.parse().ok())
    {
        lives.show(LivesAsk::Event { index: i });
    } else if let Some(user) = el
        .closest("[data-user]")
        .ok()
        .flatten()
        .and_then(|b| b.get_attribute("data-user"))
    {
        lives.show(LivesAsk::Person { user });
    }
    let index = el
        .closest("tr[data-index]")
        .ok()
        .flatten()
        .and_then(|tr| tr.get_attribute("data-index"))
        .and_then(|i| i.parse::<u32>().ok());
    let row = index.and_then(|i| {
        runner.log.page.with_untracked(|p| {
            p.as_ref()
                .and_then(|p| p.rows.iter().find(|r| r.index == i).cloned())
        })
    });
    if let Some(row) = row {
        runner.select(&row);
    }
}

#[component]
pub fn EventLog() -> impl IntoView {
    let runner = ctx::<Runner>();
    let run = ctx::<Run>();
    let doc = ctx::<Doc>();
    let log = ctx::<Log>();
    let book = ctx::<RuleBook>();
    let lives = ctx::<Lives>();
    // Keep the selected event in view when stepping, by scrolling the log's own box
    // only: the page stays where it is, with the time bar and the state panel.
    Effect::new(move |_| {
        let Some(i) = log.selected.get() else {
            return;
        };
        log.page.track();
        let doc = document();
        let (Some(row), Some(scroller)) = (
            doc.get_element_by_id(&format!("event-{i}")),
            doc.query_selector(".event-log .log-scroll").ok().flatten(),
        ) else {
            return;
        };
        let head = doc
            .query_selector(".event-log thead")
            .ok()
            .flatten()
            .map_or(0.0, |h| h.get_bounding_client_rect().height());
        let (r, b) = (
            row.get_bounding_client_rect(),
            scroller.get_bounding_client_rect(),
        );
        let by = if r.top() < b.top() + head {
            r.top() - b.top() - head
        } else if r.bottom() > b.bottom() {
            r.bottom() - b.bottom()
        } else {
            return;
        };
        scroller.set_scroll_top(scroller.scroll_top() + by.round() as i32);
    });
    let pager = move || {
        log.page.with(|p| {
            p.as_ref().map(|p| {
                let (page, pages, total) = (p.page, p.pages, p.total);
                let first = (page * PAGE_SIZE + 1).min(total);
                let last = ((page + 1) * PAGE_SIZE).min(total);
                view! {
                    <div class="pager">
                        <button
                            type="button"
                            disabled={page == 0}
                            on:click=move |_| runner.request_events(page.saturating_sub(1), None)
                        >
                            "Previous page"
                        </button>
                        <span class="page-info" aria-live="polite">
                            {format!(
                                "events {}–{} of {} · page {} of {}",
                                thousands(first as i64),
                                thousands(last as i64),
                                thousands(total as i64),
                                thousands(page as i64 + 1),
                                thousands(pages as i64),
                            )}
                        </span>
                        <button
                            type="button"
                            disabled={page + 1 >= pages}
                            on:click=move |_| runner.request_events(page + 1, None)
                        >
                            "Next page"
                        </button>
                    </div>
                }
            })
        })
    };
    let rows = move || {
        let clock = run.clock();
        let selected = log.selected.get();
        log.page.with(|p| {
            p.as_ref()
                .map(|p| {
                    p.rows
                        .iter()
                        .map(|row| row_html(row, clock, selected == Some(row.index)))
                        .collect::<String>()
                })
                .unwrap_or_default()
        })
    };
    let empty = move || log.page.with(|p| p.as_ref().is_some_and(|p| p.total == 0));
    view! {
        <section class="event-log" aria-labelledby="log-h" class:stale=move || run.stale(doc)>
            <h2 id="log-h">"Event log"</h2>
            <Filters/>
            {pager}
            <div class="log-scroll">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Time"</th>
                            <th scope="col">"Rule"</th>
                            <th scope="col">"User"</th>
                            <th scope="col">"Kind"</th>
                            <th scope="col">"What happened"</th>
                        </tr>
                    </thead>
                    <tbody inner_html=rows on:click=move |ev| on_click(book, runner, lives, ev)></tbody>
                </table>
                <Show when=empty>
                    <p class="muted">"No event matches the filters."</p>
                </Show>
            </div>
        </section>
    }
}
