//! The event log: one page at a time of the worker's log (so a million events cost no more
//! than a hundred), filtered by rule, kind and user. Clicking an event moves the time
//! cursor there; each rule id opens the rule book.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::charts::thousands;
use super::protocol::{EventRow, PAGE_SIZE};
use super::rulebook::RuleLink;
use super::store::Store;
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
fn Filters(store: Store) -> impl IntoView {
    let rule_options = move || {
        let current = store.filter.with(|f| f.rule.clone());
        let counts = store
            .result
            .with(|r| r.as_ref().map(|r| r.rules.clone()).unwrap_or_default());
        options(counts, current)
    };
    let kind_options = move || {
        let current = store.filter.with(|f| f.kind.clone());
        let counts = store
            .result
            .with(|r| r.as_ref().map(|r| r.kinds.clone()).unwrap_or_default());
        options(counts, current)
    };
    let any_rule = move || store.filter.with(|f| f.rule.is_empty());
    let any_kind = move || store.filter.with(|f| f.kind.is_empty());
    view! {
        <div class="filters" role="group" aria-label="Filter the log">
            <label>
                "Rule "
                <select
                    id="filter-rule"
                    on:change:target=move |ev| {
                        let v = ev.target().value();
                        store.set_filter(|f| f.rule = v);
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
                        store.set_filter(|f| f.kind = v);
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
                    placeholder="name contains…"
                    prop:value=move || store.filter.with(|f| f.user.clone())
                    on:input:target=move |ev| {
                        let v = ev.target().value();
                        store.set_filter(|f| f.user = v);
                    }
                />
            </label>
            <button
                type="button"
                disabled=move || store.filter.with(|f| f.rule.is_empty() && f.kind.is_empty() && f.user.is_empty())
                on:click=move |_| store.set_filter(|f| *f = Default::default())
            >
                "Clear filters"
            </button>
        </div>
    }
}

#[component]
fn Row(store: Store, row: EventRow, clock: Option<Clock>) -> impl IntoView {
    let index = row.index;
    let time = clock
        .map(|c| c.format(row.at))
        .unwrap_or_else(|| row.at.to_string());
    let relative = crate::base::time::Clock::format_relative(row.at);
    let r = row.clone();
    view! {
        <tr
            id=format!("event-{index}")
            class:selected=move || store.selected.get() == Some(index)
            on:click=move |ev| {
                let on_button = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|e| e.closest("button").ok().flatten().is_some());
                if !on_button {
                    store.select(&r);
                }
            }
        >
            <td class="ev-time">
                <button
                    type="button"
                    class="time-link"
                    title=format!("{relative}: move the time cursor here")
                    on:click={
                        let row = row.clone();
                        move |_| store.select(&row)
                    }
                >
                    {time}
                </button>
            </td>
            <td class="ev-rule">
                <RuleLink store id=row.rule.clone()/>
            </td>
            <td class="ev-user">{row.user.clone()}</td>
            <td class="ev-kind">{row.kind.clone()}</td>
            <td class="ev-text">{row.text.clone()}</td>
        </tr>
    }
}

#[component]
pub fn EventLog(store: Store) -> impl IntoView {
    // Keep the selected event in view when stepping.
    Effect::new(move |_| {
        let Some(i) = store.selected.get() else {
            return;
        };
        store.page.track();
        if let Some(el) = document().get_element_by_id(&format!("event-{i}")) {
            let opts = web_sys::ScrollIntoViewOptions::new();
            opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
            el.scroll_into_view_with_scroll_into_view_options(&opts);
        }
    });
    let pager = move || {
        store.page.with(|p| {
            p.as_ref().map(|p| {
                let (page, pages, total) = (p.page, p.pages, p.total);
                let first = (page * PAGE_SIZE + 1).min(total);
                let last = ((page + 1) * PAGE_SIZE).min(total);
                view! {
                    <div class="pager">
                        <button
                            type="button"
                            disabled={page == 0}
                            on:click=move |_| store.request_events(page.saturating_sub(1), None)
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
                            on:click=move |_| store.request_events(page + 1, None)
                        >
                            "Next page"
                        </button>
                    </div>
                }
            })
        })
    };
    let rows = move || {
        let clock = store.clock();
        store.page.with(|p| {
            p.as_ref()
                .map(|p| {
                    p.rows
                        .iter()
                        .cloned()
                        .map(|row| view! { <Row store row clock/> })
                        .collect_view()
                })
                .unwrap_or_default()
        })
    };
    let empty = move || {
        store
            .page
            .with(|p| p.as_ref().is_some_and(|p| p.total == 0))
    };
    view! {
        <section class="event-log" aria-labelledby="log-h" class:stale=move || store.stale()>
            <h2 id="log-h">"Event log"</h2>
            <Filters store/>
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
                    <tbody>{rows}</tbody>
                </table>
                <Show when=empty>
                    <p class="muted">"No event matches the filters."</p>
                </Show>
            </div>
        </section>
    }
}
