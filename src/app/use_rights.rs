//! The use rights' warnings beside the check status (issue 15, part 5): once a revision
//! checks valid, the tools worker checks its use rights (`report::use_rights`, running it
//! when a check needs the log), so the code stays out of the bundle loaded at start; here
//! they are written as escaped markup, one line each with its place and LM section, and a
//! click on a place puts the caret on that line (one delegated handler, [`clicked_line`]).

use std::cell::RefCell;

use leptos::prelude::*;

use crate::scenario::use_rights::Warning;

use super::protocol::{Checked, ToolRequest};
use super::rulebook::escape;
use super::store::Doc;

thread_local! {
    /// The warnings' markup and the revision they are of.
    static SHOWN: RefCell<Option<RwSignal<(u64, String)>>> = const { RefCell::new(None) };
}

fn shown() -> Option<RwSignal<(u64, String)>> {
    SHOWN.with(|s| *s.borrow())
}

/// Asks the tools worker for the warnings of each revision that checks valid (not for a
/// large text's stand-in: an imported history states no use rights, and checking it would
/// cost the run's cores).
pub fn follow(doc: Doc) {
    // Made here, by the editor (which lives as long as the page), not in a view that is
    // redrawn.
    SHOWN.with(|s| *s.borrow_mut() = Some(RwSignal::new((0, String::new()))));
    Effect::new(move |_| {
        let rev = doc.rev.get();
        let valid = doc
            .check
            .with(|c| c.rev == rev && matches!(c.outcome, Some(Checked::Valid(_))));
        let small = doc
            .text
            .with_untracked(|t| crate::scenario::stand_in::id(t).is_none());
        if valid && small {
            super::tools_client::send(&ToolRequest::UseRights {
                rev,
                text: doc.text.get_untracked(),
            });
        }
    });
}

/// The tools worker's answer.
pub fn on_response(rev: u64, warnings: &[Warning]) {
    if let Some(s) = shown() {
        s.set((rev, markup(warnings)));
    }
}

/// The markup of revision `rev`'s warnings (empty until they came, or when there is none).
pub fn of(rev: u64) -> String {
    shown().map_or(String::new(), |s| {
        s.with(|(r, m)| if *r == rev { m.clone() } else { String::new() })
    })
}

/// The warnings as a list (empty markup when there is none).
pub fn markup(warnings: &[Warning]) -> String {
    if warnings.is_empty() {
        return String::new();
    }
    let n = warnings.len();
    let mut out = format!(
        "<p class=\"check warn\">{} about use rights (the license metrics; the file is valid and runs as written):</p><ul class=\"warnings\">",
        if n == 1 { "1 warning".to_string() } else { format!("{n} warnings") }
    );
    for w in warnings {
        out.push_str(&format!(
            "<li><button type=\"button\" class=\"error-link\" data-line=\"{}\">line {}, column {}</button>: <span class=\"lm\">LM {}</span> <span class=\"warning-message\">{}</span></li>",
            w.line,
            w.line,
            w.column,
            escape(&w.lm),
            escape(&w.message)
        ));
    }
    out.push_str("</ul>");
    out
}

/// The line of the place clicked in the list, if a place was clicked.
pub fn clicked_line(ev: &web_sys::MouseEvent) -> Option<usize> {
    use wasm_bindgen::JsCast;
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let button = el.closest("[data-line]").ok()??;
    button.get_attribute("data-line")?.parse().ok()
}
