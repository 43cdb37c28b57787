//! Downloads of the shown result: the timeline as CSV and JSON (the columns of
//! `license-lab run`), and the event log as CSV. The worker writes them with the command
//! line's own functions, so they match it byte for byte.

use leptos::prelude::*;

use super::protocol::{ExportWhat, Request};
use super::store::{ctx, Run};

#[component]
pub fn Exports() -> impl IntoView {
    let run = ctx::<Run>();
    let ask = move |what: ExportWhat| super::client::send(&Request::Export { what });
    let none = move || run.result.with(|r| r.is_none());
    view! {
        <div class="exports" role="group" aria-label="Download the results">
            <span class="muted small">"Download:"</span>
            <button type="button" id="export-timeline-csv" disabled=none on:click=move |_| ask(ExportWhat::TimelineCsv)>"Timeline CSV"</button>
            <button type="button" id="export-timeline-json" disabled=none on:click=move |_| ask(ExportWhat::TimelineJson)>"Timeline JSON"</button>
            <button type="button" id="export-events-csv" disabled=none on:click=move |_| ask(ExportWhat::EventsCsv)>"Event log CSV"</button>
            <span class="muted small">"(each chart has its own SVG and PNG buttons)"</span>
        </div>
    }
}
