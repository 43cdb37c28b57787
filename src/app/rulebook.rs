//! The rule book (RULES.md, served next to index.html and fetched as the page starts) in
//! a side panel: every rule id in the app opens its text here, so the app teaches the
//! rules it applies.

use std::sync::OnceLock;

use leptos::prelude::*;

use super::store::Store;

/// Where the page fetches the project's rule book (`www/RULES.md`, copied by Trunk;
/// `tests/shared_scenarios.rs` checks it is the shared one).
const RULES_URL: &str = "RULES.md";

pub struct RuleText {
    pub id: &'static str,
    /// The `##` heading the rule sits under.
    pub section: &'static str,
    /// The rule's text after its id, lines joined.
    pub text: String,
}

static RULES: OnceLock<Vec<RuleText>> = OnceLock::new();

/// The rules of the rule book, in book order (none until it has been fetched; views
/// that show them track `store.rules_ready`).
pub fn rules() -> &'static [RuleText] {
    RULES.get().map(Vec::as_slice).unwrap_or(&[])
}

/// Fetches the rule book once, as the page starts.
pub fn load(store: Store) {
    leptos::task::spawn_local(async move {
        match super::gallery::fetch_text(RULES_URL).await {
            Ok(md) => {
                // Read once for the page's lifetime: the rules borrow from it.
                let md: &'static str = Box::leak(md.into_boxed_str());
                let _ = RULES.set(parse(md));
                store.rules_ready.set(true);
            }
            Err(e) => store.say(true, format!("The rule book could not be loaded ({e}).")),
        }
    });
}

pub fn find(id: &str) -> Option<&'static RuleText> {
    rules().iter().find(|r| r.id == id)
}

/// Reads `- **ID** text` bullets (with indented continuation lines) under `##` headings.
fn parse(md: &'static str) -> Vec<RuleText> {
    let mut out: Vec<RuleText> = Vec::new();
    let mut section = "";
    let mut open = false;
    for line in md.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            section = h.trim();
            open = false;
            continue;
        }
        if let Some(rest) = line.strip_prefix("- **") {
            open = false;
            if let Some((id, text)) = rest.split_once("**") {
                if is_rule_id(id) {
                    out.push(RuleText {
                        id,
                        section,
                        text: text.trim().to_string(),
                    });
                    open = true;
                }
            }
            continue;
        }
        if open && line.starts_with("  ") && !line.trim().is_empty() {
            if let Some(r) = out.last_mut() {
                r.text.push(' ');
                r.text.push_str(line.trim());
            }
        } else {
            open = false;
        }
    }
    out
}

/// `LAP-10`, `TIME-3`: capitals, a dash, digits.
fn is_rule_id(s: &str) -> bool {
    match s.split_once('-') {
        Some((a, b)) => {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_uppercase())
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Text(String),
    Rule(&'static str),
    Strong(String),
    Em(String),
    Code(String),
}

/// Splits a line of Markdown into plain text, `**strong**`, `*em*`, `` `code` `` and rule
/// ids (which become links).
fn inline(s: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let (marker, ctor): (&str, fn(String) -> Seg) = if rest.starts_with("**") {
            ("**", Seg::Strong)
        } else if c == '*' && !rest[1..].starts_with(' ') {
            ("*", Seg::Em)
        } else if c == '`' {
            ("`", Seg::Code)
        } else {
            text.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        match rest[marker.len()..].find(marker) {
            Some(close) if close > 0 => {
                flush_text(&mut text, &mut out);
                out.push(ctor(rest[marker.len()..marker.len() + close].to_string()));
                rest = &rest[2 * marker.len() + close..];
            }
            _ => {
                text.push_str(marker);
                rest = &rest[marker.len()..];
            }
        }
    }
    flush_text(&mut text, &mut out);
    out
}

/// Plain text, with the rule ids it names split out as links.
fn flush_text(text: &mut String, out: &mut Vec<Seg>) {
    if text.is_empty() {
        return;
    }
    let t = std::mem::take(text);
    let mut plain = String::new();
    for word in t.split_inclusive(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        let core_len = word
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(word.len());
        let (core, tail) = word.split_at(core_len);
        match rules().iter().find(|r| r.id == core) {
            Some(r) => {
                if !plain.is_empty() {
                    out.push(Seg::Text(std::mem::take(&mut plain)));
                }
                out.push(Seg::Rule(r.id));
                plain.push_str(tail);
            }
            None => plain.push_str(word),
        }
    }
    if !plain.is_empty() {
        out.push(Seg::Text(plain));
    }
}

/// A rule's text as inline elements, rule ids as buttons that open them.
pub fn render(store: Store, text: &str) -> impl IntoView {
    inline(text)
        .into_iter()
        .map(|seg| match seg {
            Seg::Text(t) => t.into_any(),
            Seg::Rule(id) => view! { <RuleLink store id=id.to_string()/> }.into_any(),
            Seg::Strong(t) => view! { <strong>{t}</strong> }.into_any(),
            Seg::Em(t) => view! { <em>{t}</em> }.into_any(),
            Seg::Code(t) => view! { <code>{t}</code> }.into_any(),
        })
        .collect_view()
}

/// A rule id that opens the rule in the side panel.
#[component]
pub fn RuleLink(store: Store, id: String) -> impl IntoView {
    let key = id.clone();
    let title = move || {
        store.rules_ready.track();
        find(&key)
            .map(|r| format!("{}: open the rule", r.section))
            .unwrap_or_else(|| "open the rule book".to_string())
    };
    let open = id.clone();
    view! {
        <button
            type="button"
            class="rule-link"
            title=title
            on:click=move |_| store.rule.set(Some(open.clone()))
        >
            {id}
        </button>
    }
}

/// The side panel.
#[component]
pub fn RulePanel(store: Store) -> impl IntoView {
    let close_btn = NodeRef::<leptos::html::Button>::new();
    let is_open = move || store.rule.with(|r| r.is_some());
    // Opening moves the focus into the panel (once it is visible); Escape closes it
    // wherever the focus is.
    Effect::new(move |_| {
        if is_open() {
            request_animation_frame(move || {
                if let Some(b) = close_btn.get_untracked() {
                    let _ = b.focus();
                }
            });
        }
    });
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && store.rule.with_untracked(|r| r.is_some()) {
            store.rule.set(None);
        }
    });
    let body = move || {
        let id = store.rule.get().unwrap_or_default();
        store.rules_ready.track();
        match find(&id) {
            Some(r) => {
                let count = store.result.with(|res| {
                    res.as_ref()
                        .and_then(|res| res.rules.iter().find(|(k, _)| k == r.id))
                        .map(|(_, n)| *n)
                        .unwrap_or(0)
                });
                let rid = r.id;
                view! {
                    <p class="rule-section">{r.section}</p>
                    <h3 class="rule-id">{r.id}</h3>
                    <p class="rule-text">{render(store, &r.text)}</p>
                    <p class="rule-count">
                        {match count {
                            0 => "No event of this run cites it.".to_string(),
                            1 => "1 event of this run cites it.".to_string(),
                            n => format!("{n} events of this run cite it."),
                        }}
                        " "
                        <button
                            type="button"
                            disabled=count == 0
                            on:click=move |_| {
                                store.set_filter(|f| f.rule = rid.to_string());
                                store.rule.set(None);
                                if let Some(log) = document().get_element_by_id("log-h") {
                                    log.scroll_into_view();
                                }
                            }
                        >
                            "Show them in the log"
                        </button>
                    </p>
                }
                .into_any()
            }
            None => view! {
                <p>
                    "The rules the simulator applies, from the project's rule book. Every event in the log names the rule that produced it."
                </p>
            }
            .into_any(),
        }
    };
    let index = move || {
        store.rules_ready.track();
        let mut sections: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
        for r in rules() {
            match sections.last_mut() {
                Some((s, ids)) if *s == r.section => ids.push(r.id),
                _ => sections.push((r.section, vec![r.id])),
            }
        }
        sections
            .into_iter()
            .map(|(s, ids)| {
                view! {
                    <li>
                        <span class="rule-index-section">{s}</span>
                        " "
                        {ids
                            .into_iter()
                            .map(|id| view! { <RuleLink store id=id.to_string()/> })
                            .collect_view()}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <aside
            class="rule-panel"
            class:open=is_open
            aria-label="Rule book"
            aria-hidden=move || (!is_open()).to_string()
        >
            <div class="rule-panel-head">
                <h2>"Rule book"</h2>
                <button
                    type="button"
                    node_ref=close_btn
                    aria-label="Close the rule book"
                    on:click=move |_| store.rule.set(None)
                >
                    "Close"
                </button>
            </div>
            <Show when=is_open>
                <div class="rule-body">{body}</div>
                <nav aria-label="All rules">
                    <ul class="rule-index">{index}</ul>
                </nav>
            </Show>
        </aside>
    }
}
