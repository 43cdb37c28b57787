//! The scenario editor: the TOML text with line numbers, checked as the user types
//! (debounced, in the worker). Each error of the parser is marked at its line, with its
//! message listed below; clicking a message puts the caret on that line. The text is the
//! user's: nothing here ever rewrites it.

use leptos::prelude::*;

use super::charts::thousands;
use super::form::{EditSwitch, FormView};
use super::protocol::Checked;
use super::run::Runner;
use super::store::{ctx, Doc, EditView, Phase, Run, Ui};
use crate::scenario::stand_in;

/// Must match `.editor-box` in style.css: line height and top padding, in pixels.
const LINE_PX: f64 = 20.0;
const PAD_PX: f64 = 8.0;

/// UTF-16 offsets (what a textarea counts) of the start and end of a 1-based line.
fn line_span(text: &str, line: usize) -> (u32, u32) {
    let mut start = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.encode_utf16().count() as u32;
        if i + 1 == line {
            return (start, start + len);
        }
        start += len + 1;
    }
    (start, start)
}

/// A large text (an imported history: tens of MB) is not put in the text area, which
/// would hold the page for seconds: its head is shown, read-only, and the Form edits it
/// (the worker rewrites the whole text). Such a text reaches the page as its stand-in
/// ([`stand_in`]), which is that head; one typed or read on the page is cut here.
fn large_text(text: &str) -> bool {
    stand_in::is_large(text) || stand_in::id(text).is_some()
}

/// What the text area shows of `text`: all of it, or the head of a large one.
fn shown(text: &str) -> String {
    if stand_in::is_large(text) {
        stand_in::head(text)
    } else {
        text.to_string()
    }
}

/// "1 user", "10,000 users".
fn count(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        thousands(n as i64),
        if n == 1 { one } else { many }
    )
}

#[component]
pub fn Editor() -> impl IntoView {
    let runner = ctx::<Runner>();
    let run = ctx::<Run>();
    let doc = ctx::<Doc>();
    let ui = ctx::<Ui>();
    super::use_rights::follow(doc);
    let area = NodeRef::<leptos::html::Textarea>::new();
    let scroll = RwSignal::new(0.0f64);
    let scroll_x = RwSignal::new(0.0f64);
    let lines = Memo::new(move |_| {
        doc.text
            .with(|t| t.bytes().filter(|&b| b == b'\n').count() + 1)
    });
    let large = move || doc.loaded.with(|t| large_text(t));
    let numbers = move || {
        let n = if doc.loaded.with(|t| stand_in::is_large(t)) {
            stand_in::HEAD_LINES + 3
        } else {
            lines.get()
        };
        let mut s = String::with_capacity(n * 4);
        for i in 1..=n {
            s.push_str(&i.to_string());
            s.push('\n');
        }
        s
    };
    let errs = Memo::new(move |_| doc.errors());
    let jump = move |line: usize| {
        let Some(el) = area.get() else { return };
        let (a, b) = doc.text.with_untracked(|t| line_span(t, line));
        let _ = el.focus();
        let _ = el.set_selection_range(a, b);
        let target = PAD_PX + (line as f64 - 1.0) * LINE_PX - f64::from(el.client_height()) / 2.0;
        el.set_scroll_top(target.max(0.0) as i32);
    };
    // Each error line gets a band, a marker in the gutter, and its message written
    // after the end of the line's text (in `ch`, the monospace advance).
    let marks = move || {
        let top0 = PAD_PX - scroll.get();
        let left = scroll_x.get();
        let errs = errs.get().unwrap_or_default();
        let mut lines: Vec<(usize, Vec<String>)> = Vec::new();
        for e in &errs {
            let msg = format!("{} (column {})", e.message, e.column);
            match lines.last_mut() {
                Some((l, msgs)) if *l == e.line => msgs.push(msg),
                _ => lines.push((e.line, vec![msg])),
            }
        }
        lines
            .into_iter()
            .map(|(line, msgs)| {
                let top = top0 + (line as f64 - 1.0) * LINE_PX;
                let text_len = doc.text.with_untracked(|t| {
                    t.split('\n')
                        .nth(line.saturating_sub(1))
                        .map(|l| l.chars().map(|c| if c == '\t' { 2 } else { 1 }).sum::<usize>())
                        .unwrap_or(0)
                });
                let message = msgs.join(" · ");
                view! {
                    <div class="line-band" style=format!("top:{top:.0}px") data-line=line></div>
                    <div class="line-mark" style=format!("top:{top:.0}px") data-line=line title=message.clone()>
                        {line}
                    </div>
                    // The anchor has the editor's font, so `ch` and `em` measure the code.
                    <div
                        class="line-anchor"
                        style=format!(
                            "top:{top:.0}px;left:calc(3.6em + {PAD_PX}px + {}ch - {left:.0}px)",
                            text_len + 3,
                        )
                    >
                        <span class="line-message" data-line=line>
                            {message}
                        </span>
                    </div>
                }
            })
            .collect_view()
    };
    let status = move || {
        let rev = doc.rev.get();
        let check = doc.check.get();
        if let Some(errs) = errs.get() {
            let n = errs.len();
            let items = errs
                .into_iter()
                .map(|e| {
                    let line = e.line;
                    view! {
                        <li>
                            <button type="button" class="error-link" on:click=move |_| jump(line)>
                                {format!("line {}, column {}", e.line, e.column)}
                            </button>
                            ": "
                            <span class="error-message">{e.message}</span>
                        </li>
                    }
                })
                .collect_view();
            return view! {
                <p class="check bad">
                    {if n == 1 { "1 error".to_string() } else { format!("{n} errors") }}
                    " — the results shown are from the last version that ran."
                </p>
                <ul class="errors">{items}</ul>
            }
            .into_any();
        }
        let msg = match (&check.outcome, check.rev == rev) {
            (Some(Checked::Valid(info)), true) => format!(
                "Valid: {}, {}, {}.",
                count(info.users, "user", "users"),
                count(info.visits, "visit", "visits"),
                count(info.days as usize, "day", "days"),
            ),
            (None, true) => "Checking…".to_string(),
            _ => "Edited: checking when you pause.".to_string(),
        };
        // The use rights' warnings (`use_rights`): markup, one delegated click.
        let warnings = match (&check.outcome, check.rev == rev) {
            (Some(Checked::Valid(_)), true) => super::use_rights::of(rev),
            _ => String::new(),
        };
        let on_warning = move |ev: web_sys::MouseEvent| {
            if let Some(line) = super::use_rights::clicked_line(&ev) {
                jump(line);
            }
        };
        view! {
            <p class="check">{msg}</p>
            <div class="use-rights" inner_html=warnings on:click=on_warning></div>
        }
        .into_any()
    };
    let invalid = move || errs.with(|e| e.is_some());
    view! {
        <section class="editor" class:form-mode=move || ui.edit_view.get() == EditView::Form aria-labelledby="editor-h">
            <EditSwitch/>
            <Show when=move || ui.edit_view.get() == EditView::Form>
                <FormView/>
            </Show>
            <div class="editor-head">
                <h2 id="editor-h">
                    <label for="scenario-text">"Scenario (TOML)"</label>
                </h2>
                <label class="auto-run">
                    <input
                        type="checkbox"
                        prop:checked=move || run.auto_run.get()
                        on:change:target=move |ev| run.auto_run.set(ev.target().checked())
                    />
                    " Run as I type"
                </label>
            </div>
            <div class="editor-box" class:invalid=invalid>
                <pre class="gutter" aria-hidden="true" style=move || format!("top:{:.0}px", -scroll.get())>
                    {numbers}
                </pre>
                <div class="marks" aria-hidden="true">{marks}</div>
                <textarea
                    id="scenario-text"
                    node_ref=area
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    wrap="off"
                    aria-invalid=move || invalid().to_string()
                    aria-describedby="editor-status"
                    prop:value=move || doc.loaded.with(|t| shown(t))
                    prop:readOnly=large
                    on:input:target=move |ev| {
                        runner.edited(ev.target().value());
                        super::history::typed_over_address();
                    }
                    on:scroll:target=move |ev| {
                        scroll.set(f64::from(ev.target().scroll_top()));
                        scroll_x.set(f64::from(ev.target().scroll_left()));
                    }
                ></textarea>
            </div>
            <div id="editor-status" class="editor-status" aria-live="polite">
                {status}
            </div>
            <RunBar/>
        </section>
    }
}

/// Run, Cancel, and the progress of a run.
#[component]
pub fn RunBar() -> impl IntoView {
    let runner = ctx::<Runner>();
    let run = ctx::<Run>();
    let running = move || matches!(run.phase.get(), Phase::Running { .. });
    let progress = move || match run.phase.get() {
        Phase::Running { now, end, .. } => Some((now, end.max(1))),
        _ => None,
    };
    let message = move || match run.phase.get() {
        Phase::Starting => "Starting the simulation worker…".to_string(),
        Phase::Running { now, end, .. } => {
            format!("Running… {:.0}%", now as f64 * 100.0 / end.max(1) as f64)
        }
        Phase::Cancelled => "Run cancelled: the last result stays.".to_string(),
        Phase::Failed(msg) => format!("Error: {msg}"),
        Phase::Idle => run.result.with(|r| match r {
            Some(r) => format!(
                "Ran {} in {:.0} ms: {} events.",
                r.info.name,
                r.run_ms,
                thousands(r.events as i64)
            ),
            None => "Ready.".to_string(),
        }),
    };
    view! {
        <div class="run-bar">
            <button type="button" class="primary" id="run" on:click=move |_| runner.run_now()>
                "Run"
            </button>
            <button type="button" id="cancel" disabled=move || !running() on:click=move |_| runner.cancel()>
                "Cancel"
            </button>
            <progress
                id="run-progress"
                aria-label="Progress of the run"
                max=move || progress().map(|p| p.1).unwrap_or(1)
                value=move || progress().map(|p| p.0).unwrap_or(0)
                class:idle=move || !running()
            ></progress>
            <span class="run-status" role="status" data-phase=move || match run.phase.get() {
                Phase::Starting => "starting",
                Phase::Running { .. } => "running",
                Phase::Cancelled => "cancelled",
                Phase::Failed(_) => "failed",
                Phase::Idle => "idle",
            }>
                {message}
            </span>
        </div>
    }
}
