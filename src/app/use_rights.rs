//! The use rights' warnings beside the check status (issue 15, part 5): the worker checks
//! the scenario (`report::use_rights`) and sends them with its Check answer; here they are
//! written as escaped markup, one line each with its place and LM section, and a click on
//! a place puts the caret on that line (one delegated handler, [`clicked_line`]).

use crate::scenario::use_rights::Warning;

use super::rulebook::escape;

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
