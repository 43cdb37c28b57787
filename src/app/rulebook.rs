//! The rule book (RULES.md, served next to index.html and fetched as the page starts) in
//! a side panel: every rule id in the app opens its text here, so the app teaches the
//! rules it applies.

use std::sync::OnceLock;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::run::Runner;
use super::store::{ctx, Notices, Run};

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
/// that show them track [`RuleBook::ready`]).
pub fn rules() -> &'static [RuleText] {
    RULES.get().map(Vec::as_slice).unwrap_or(&[])
}

/// The rule book's panel: which rule it shows, and whether the book has been fetched.
/// Provided as context by [`RuleBook::provide`].
#[derive(Clone, Copy)]
pub struct RuleBook {
    /// `Some("")` shows the index, `Some(id)` one rule, `None` closes the panel.
    pub rule: RwSignal<Option<String>>,
    /// The rule book has been fetched.
    pub ready: RwSignal<bool>,
}

impl RuleBook {
    /// Provides the rule book and fetches it once, as the page starts.
    pub fn provide() -> RuleBook {
        let book = RuleBook {
            rule: RwSignal::new(None),
            ready: RwSignal::new(false),
        };
        provide_context(book);
        let notices = ctx::<Notices>();
        leptos::task::spawn_local(async move {
            match super::examples::fetch_text(RULES_URL).await {
                Ok(md) => {
                    // Read once for the page's lifetime: the rules borrow from it.
                    let md: &'static str = Box::leak(md.into_boxed_str());
                    let _ = RULES.set(parse(md));
                    book.ready.set(true);
                }
                Err(e) => notices.say(true, format!("The rule book could not be loaded ({e}).")),
            }
        });
        book
    }

    /// Opens the panel on a rule (`""`: the index).
    pub fn open(self, id: impl Into<String>) {
        self.rule.set(Some(id.into()));
    }

    /// The click handler of markup from this module: a `[data-rule]` button opens its
    /// rule.
    pub fn open_clicked(self, ev: web_sys::MouseEvent) {
        let rule = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-rule]").ok().flatten())
            .and_then(|e| e.get_attribute("data-rule"));
        if let Some(id) = rule {
            self.rule.set(Some(id));
        }
    }
}

pub fn find(id: &str) -> Option<&'static RuleText> {
    rules().iter().find(|r| r.id == id)
}

/// A short title for each rule, shown beside its id.
const TITLES: &[(&str, &str)] = &[
    ("TIME-1", "Simulated calendar time"),
    ("TIME-2", "Calendar months"),
    ("TIME-3", "Order within one minute"),
    ("TOK-1", "The four states of a token"),
    ("TOK-2", "What one token buys"),
    ("TOK-3", "Allocations beyond the free tokens"),
    ("TOK-4", "Adding or lowering tokens"),
    ("TOK-5", "Login passes need a perpetual license"),
    ("UAP-1", "Held by a named, identified user"),
    ("UAP-2", "Unlimited use, 5 connections at once"),
    ("UAP-3", "Quarantine after removal"),
    ("UAP-4", "Reinstating during quarantine"),
    ("LAP-1", "Ten passes per token"),
    ("LAP-2", "A pass is live for 60 minutes"),
    ("LAP-3", "Another pass each hour in session"),
    ("LAP-4", "Reconnecting within the hour"),
    ("LAP-5", "Parallel connections on one pass"),
    ("LAP-6", "Anonymous users: a pass per connection"),
    ("LAP-7", "Passes come back after 28 days"),
    ("LAP-8", "No pass left: refused or discontinued"),
    ("LAP-9", "Reducing or deleting a group"),
    ("LAP-10", "Adding tokens to a group"),
    ("NU-1", "Professional and Analyzer allocations"),
    ("NU-2", "Quarantine after unassigning"),
    ("NU-3", "Parallel connections"),
    ("NU-4", "Dynamic assignment"),
    ("CAP-1", "Capacity minutes per month"),
    ("CAP-2", "Six-minute blocks of active use"),
    ("CAP-3", "The monthly cap and overage"),
    ("CONN-0", "Denied and discontinued"),
    ("CONN-1", "Cool-down after a connection closes"),
    ("CORE-1", "Qlik Core minutes per month"),
    ("CORE-2", "Five-minute Core Sessions"),
    ("CORE-3", "When Core minutes run out"),
    ("NODE-1", "Licensed cores across nodes"),
    ("NODE-2", "A node that loses the central node"),
    ("QLS-1", "Deployments sync assignments"),
    ("SIZE-1", "Estimating tokens"),
    ("SIZE-2", "User Access Pass or login passes"),
];

impl RuleText {
    /// The rule's short title; for a rule the table does not know yet, the opening
    /// words of its text.
    pub fn title(&self) -> String {
        if let Some((_, t)) = TITLES.iter().find(|(id, _)| *id == self.id) {
            return (*t).to_string();
        }
        let words: Vec<&str> = self.text.split_whitespace().take(6).collect();
        format!(
            "{}…",
            words.join(" ").trim_end_matches([',', '.', ';', ':'])
        )
    }

    /// The topic: the heading it sits under, without the sources it cites.
    pub fn topic(&self) -> &'static str {
        self.section
            .split(" (")
            .next()
            .unwrap_or(self.section)
            .split(" —")
            .next()
            .unwrap_or(self.section)
            .trim()
    }
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

/// Text for markup: `&`, `<`, `>` and `"` escaped.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A rule id as a button that opens it (see [`open_clicked`]).
pub fn link_html(id: &str) -> String {
    let title = find(id)
        .map(|r| format!("{} ({}): open the rule", r.title(), r.topic()))
        .unwrap_or_default();
    format!(
        "<button type=\"button\" class=\"rule-link\" data-rule=\"{id}\" title=\"{}\">{id}</button>",
        escape(&title)
    )
}

/// A line of Markdown as markup: `**strong**`, `*em*`, `` `code` ``, rule ids as
/// buttons. Read-only text is written as markup rather than as views: the browser
/// parses it, and the bundle carries a format string instead of a view's code. Its
/// container opens the rules with [`open_clicked`].
pub fn render_html(text: &str) -> String {
    inline(text)
        .into_iter()
        .map(|seg| match seg {
            Seg::Text(t) => escape(&t),
            Seg::Rule(id) => link_html(id),
            Seg::Strong(t) => format!("<strong>{}</strong>", escape(&t)),
            Seg::Em(t) => format!("<em>{}</em>", escape(&t)),
            Seg::Code(t) => format!("<code>{}</code>", escape(&t)),
        })
        .collect()
}

/// Rules as a list of buttons, each its id and title.
fn list_html<'a>(rules: impl Iterator<Item = &'a RuleText>) -> String {
    let items: String = rules
        .map(|r| {
            format!(
                "<li><button type=\"button\" class=\"rule-entry\" data-rule=\"{0}\"><span class=\"rule-entry-id\">{0}</span> <span class=\"rule-entry-title\">{1}</span></button></li>",
                r.id,
                escape(&r.title())
            )
        })
        .collect();
    format!("<ul class=\"rule-list\">{items}</ul>")
}

/// Every rule, by topic.
fn index_html() -> String {
    let mut out = String::new();
    let mut topics: Vec<&'static str> = rules().iter().map(|r| r.topic()).collect();
    topics.dedup();
    for t in topics {
        out.push_str(&format!(
            "<section class=\"rule-topic\"><h3 class=\"rule-index-section\">{}</h3>{}</section>",
            escape(t),
            list_html(rules().iter().filter(|r| r.topic() == t))
        ));
    }
    out
}

/// A rule id that opens the rule in the side panel.
#[component]
pub fn RuleLink(id: String) -> impl IntoView {
    let book = ctx::<RuleBook>();
    let key = id.clone();
    let title = move || {
        book.ready.track();
        find(&key)
            .map(|r| format!("{} ({}): open the rule", r.title(), r.topic()))
            .unwrap_or_else(|| "open the rule book".to_string())
    };
    let open = id.clone();
    view! {
        <button
            type="button"
            class="rule-link"
            title=title
            on:click=move |_| book.rule.set(Some(open.clone()))
        >
            {id}
        </button>
    }
}

/// The side panel: the index of every rule by topic, or one rule with the others of
/// its topic. Opening it moves the focus into it; closing it gives the focus back to
/// what had it.
#[component]
pub fn RulePanel() -> impl IntoView {
    let book = ctx::<RuleBook>();
    let run = ctx::<Run>();
    let runner = ctx::<Runner>();
    let heading = NodeRef::<leptos::html::H2>::new();
    let is_open = move || book.rule.with(|r| r.is_some());
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |was_open: Option<bool>| {
        let open = is_open();
        book.rule.track();
        let doc = document();
        let inside = |e: &web_sys::Element| e.closest(".rule-panel").ok().flatten().is_some();
        if open {
            if was_open != Some(true) {
                opener.set_value(
                    doc.active_element()
                        .filter(|a| !inside(a))
                        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok()),
                );
            }
            // Once the panel is shown (after this render): on the rule shown, else on
            // the panel's heading.
            request_animation_frame(move || {
                // Closed meanwhile (Escape right after a rule was picked): the focus
                // has gone back already; a late focus here would strand it in the
                // hidden panel.
                if book.rule.with_untracked(|r| r.is_none()) {
                    return;
                }
                let rule = document()
                    .query_selector(".rule-panel .rule-id")
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                match rule {
                    Some(h) => {
                        let _ = h.focus();
                    }
                    None => {
                        if let Some(h) = heading.get_untracked() {
                            let _ = h.focus();
                        }
                    }
                }
            });
        } else if was_open == Some(true) {
            let back = opener.get_value().filter(|e| e.is_connected()).or_else(|| {
                doc.query_selector(".rulebook-button")
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            });
            if let Some(e) = back {
                let _ = e.focus();
            }
            opener.set_value(None);
        }
        open
    });
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && book.rule.with_untracked(|r| r.is_some()) {
            book.rule.set(None);
        }
    });
    let body = move || {
        let id = book.rule.get().unwrap_or_default();
        book.ready.track();
        match find(&id) {
            Some(r) => {
                let count = run.result.with(|res| {
                    res.as_ref()
                        .and_then(|res| res.rules.iter().find(|(k, _)| k == r.id))
                        .map(|(_, n)| *n)
                        .unwrap_or(0)
                });
                let rid = r.id;
                let topic = r.topic();
                let others = format!(
                    "<h4 class=\"rule-index-section\">{}: every rule</h4>{}",
                    escape(topic),
                    list_html(rules().iter().filter(|o| o.topic() == topic))
                );
                view! {
                    <p class="rule-section">
                        <button type="button" class="rule-back" on:click=move |_| book.rule.set(Some(String::new()))>"All rules"</button>
                        " · " {topic}
                    </p>
                    <h3 class="rule-id" tabindex="-1">{r.id} <span class="rule-title">{r.title()}</span></h3>
                    <p class="rule-text" inner_html=render_html(&r.text)></p>
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
                                runner.set_filter(|f| f.rule = rid.to_string());
                                book.rule.set(None);
                                if let Some(log) = document().get_element_by_id("log-h") {
                                    log.scroll_into_view();
                                }
                            }
                        >
                            "Show them in the log"
                        </button>
                    </p>
                    <nav aria-label=format!("Rules on {topic}") inner_html=others></nav>
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
    // Every rule, by topic (shown when no rule is open).
    let index = move || {
        book.ready.track();
        index_html()
    };
    let showing_index = move || book.rule.with(|r| r.as_deref() == Some(""));
    view! {
        <aside
            class="rule-panel"
            class:open=is_open
            aria-label="Rule book"
            aria-hidden=move || (!is_open()).to_string()
            on:click=move |ev| book.open_clicked(ev)
        >
            <div class="rule-panel-head">
                <h2 node_ref=heading tabindex="-1">"Rule book"</h2>
                <button
                    type="button"
                    aria-label="Close the rule book"
                    on:click=move |_| book.rule.set(None)
                >
                    "Close"
                </button>
            </div>
            <Show when=is_open>
                <div class="rule-body">{body}</div>
                <Show when=showing_index>
                    <nav aria-label="All rules, by topic" class="rule-index" inner_html=index></nav>
                </Show>
            </Show>
        </aside>
    }
}
