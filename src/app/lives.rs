//! Lives and reasons on the page (issue 15): the lanes of the passes, allocations and
//! people of the run shown, and the events behind each count of the state panel. The
//! tools worker writes both as markup ([`super::lives_markup`]); this module asks for
//! them, places them, moves the time cursor's line across the lanes, and handles every
//! click in them in one delegated handler ([`on_click`]): a tab, a pager, a lane's
//! "lane" link, a time, an export.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::protocol::{LivesAsk, LivesPart, ToolRequest};
use super::run::Runner;
use super::store::{ctx, Cursor, Doc, Run, Source};

/// The lives view's state, provided as context.
#[derive(Clone, Copy)]
pub struct Lives {
    lanes: RwSignal<String>,
    reasons: RwSignal<String>,
    /// The lanes asked for last (asked again for each new run).
    ask: StoredValue<LivesAsk>,
    /// The count whose reasons are open (they follow the cursor).
    key: RwSignal<Option<String>>,
    /// The run whose text the tools worker holds.
    sent: StoredValue<u64>,
    doc: Doc,
    run: Run,
    cursor: Cursor,
    runner: Runner,
}

impl Lives {
    pub fn provide() -> Lives {
        let lives = Lives {
            lanes: RwSignal::new(String::new()),
            reasons: RwSignal::new(String::new()),
            ask: StoredValue::new(LivesAsk::Passes {
                group: String::new(),
                first: 0,
                mark: None,
            }),
            key: RwSignal::new(None),
            sent: StoredValue::new(0),
            doc: ctx(),
            run: ctx(),
            cursor: ctx(),
            runner: ctx(),
        };
        provide_context(lives);
        // Each new run: its lanes (the tools worker runs it once), and the open reasons.
        Effect::new(move |_| {
            if !lives.run.has_result() {
                return;
            }
            let again = match lives.ask.get_value() {
                LivesAsk::Passes { group, .. } => LivesAsk::Passes {
                    group,
                    first: 0,
                    mark: None,
                },
                LivesAsk::Allocations { .. } => LivesAsk::Allocations {
                    first: 0,
                    mark: None,
                },
                a => a,
            };
            lives.send(again);
        });
        // The reasons are of the count at the cursor; the cursor's line follows it.
        Effect::new(move |_| {
            let at = lives.cursor.at.get();
            lives.lanes.track();
            request_animation_frame(move || place_cursor(at));
        });
        Effect::new(move |_| {
            let at = lives.cursor.at.get();
            if let Some(key) = lives.key.get_untracked() {
                lives.send(LivesAsk::Reasons { key, at });
            }
        });
        lives
    }

    /// Asks the tools worker, with the run's text the first time it is asked about it.
    fn send(self, ask: LivesAsk) {
        let Some(rev) = self.run.current() else {
            return;
        };
        let text = if self.sent.get_value() == rev {
            None
        } else if self.doc.rev.get_untracked() == rev {
            self.sent.set_value(rev);
            Some(self.doc.text.get_untracked())
        } else {
            self.lanes.set(
                "<p class=\"muted\">The lanes are of the run shown, whose text has changed since: run the scenario to see them.</p>"
                    .into(),
            );
            return;
        };
        if !matches!(ask, LivesAsk::Reasons { .. }) {
            self.ask.set_value(ask.clone());
        }
        super::tools_client::send(&ToolRequest::Lives { rev, text, ask });
    }

    /// The tools worker's answer.
    pub fn on_response(self, rev: u64, part: LivesPart, html: String) {
        if Some(rev) != self.run.current() {
            return;
        }
        match part {
            LivesPart::Lanes => self.lanes.set(html),
            LivesPart::Reasons => {
                if self.key.get_untracked().is_some() {
                    self.reasons.set(html)
                }
            }
            LivesPart::Missing => {
                // A restarted worker: ask again, with the text.
                self.sent.set_value(0);
                self.send(self.ask.get_value());
            }
        }
    }

    /// Shows the lanes `ask` names, and brings them into view.
    pub fn show(self, ask: LivesAsk) {
        self.send(ask);
        if let Some(el) = document().get_element_by_id("lives") {
            el.scroll_into_view();
        }
    }

    /// Opens the reasons of count `key` at the cursor.
    pub fn open_reasons(self, key: String) {
        self.key.set(Some(key.clone()));
        self.send(LivesAsk::Reasons {
            key,
            at: self.cursor.at.get_untracked(),
        });
    }

    pub fn reasons_html(self) -> String {
        self.reasons.get()
    }
}

/// Puts the cursor's line of every lane chart at minute `at`.
fn place_cursor(at: crate::base::time::Minute) {
    let Ok(list) = document().query_selector_all("svg.lanes") else {
        return;
    };
    for i in 0..list.length() {
        let Some(svg) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let num = |k: &str| {
            svg.get_attribute(k)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        let (from, to, x0, w) = (
            num("data-from"),
            num("data-to"),
            num("data-x0"),
            num("data-w"),
        );
        let t = at as f64;
        let x = if t < from || t > to || to <= from {
            -9.0
        } else {
            x0 + (t - from) / (to - from) * w
        };
        if let Ok(Some(line)) = svg.query_selector(".cursor-line") {
            let _ = line.set_attribute("x1", &format!("{x:.1}"));
            let _ = line.set_attribute("x2", &format!("{x:.1}"));
        }
    }
}

/// A `data-lives` attribute as a question (see `ask_data` in [`super::lives_markup`]).
fn parse_ask(data: &str, user: &str) -> Option<LivesAsk> {
    let mut p = data.splitn(2, '|');
    let what = p.next()?;
    let rest = p.next().unwrap_or("");
    let num = |s: Option<&str>| s.and_then(|s| s.parse::<u32>().ok());
    Some(match what {
        "passes" => {
            let mut n = rest.split('|');
            LivesAsk::Passes {
                group: n.next().unwrap_or("").to_string(),
                first: num(n.next()).unwrap_or(0),
                mark: num(n.next()),
            }
        }
        "allocations" => {
            let mut n = rest.split('|');
            LivesAsk::Allocations {
                first: num(n.next()).unwrap_or(0),
                mark: num(n.next()),
            }
        }
        "person" => LivesAsk::Person {
            user: if rest.is_empty() { user } else { rest }.to_string(),
        },
        "event" => LivesAsk::Event {
            index: num(Some(rest))?,
        },
        _ => return None,
    })
}

fn closest(el: &web_sys::Element, sel: &str) -> Option<web_sys::Element> {
    el.closest(sel).ok().flatten()
}

/// Downloads the lane chart `button` belongs to, as SVG or PNG.
fn export(button: &web_sys::Element, run: Run) {
    let Some(fig) = closest(button, "figure") else {
        return;
    };
    let Some(svg) = fig.query_selector("svg").ok().flatten() else {
        return;
    };
    let title = fig.get_attribute("data-title").unwrap_or_default();
    let key = fig.get_attribute("data-chart").unwrap_or_default();
    let text = super::downloads::chart_svg(&svg, &title, &[]);
    let file = format!(
        "{}-{}",
        super::downloads::file_stem(&run.result_name()),
        super::downloads::file_stem(&key)
    );
    if button.get_attribute("data-export").as_deref() == Some("png") {
        super::downloads::png_file(&format!("{file}.png"), &text);
    } else {
        super::downloads::text_file(&format!("{file}.svg"), "image/svg+xml", &text);
    }
}

/// Every click in the lanes and the reasons.
pub fn on_click(lives: Lives, ev: web_sys::MouseEvent) {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    if let Some(b) = closest(&el, "[data-export]") {
        export(&b, lives.run);
    } else if closest(&el, "[data-reasons-close]").is_some() {
        lives.key.set(None);
        lives.reasons.set(String::new());
    } else if let Some(b) = closest(&el, "[data-lives]") {
        let user = match lives.ask.get_value() {
            LivesAsk::Person { user } => user,
            _ => String::new(),
        };
        if let Some(a) = b
            .get_attribute("data-lives")
            .and_then(|d| parse_ask(&d, &user))
        {
            let from_reasons = closest(&el, ".reasons-box").is_some();
            if from_reasons {
                lives.show(a);
            } else {
                lives.send(a);
            }
        }
    } else if let Some(at) = closest(&el, "[data-at]")
        .and_then(|b| b.get_attribute("data-at"))
        .and_then(|a| a.parse().ok())
    {
        lives.runner.move_cursor(at, Source::Time);
    }
}

/// The user picker (a select, or a name typed and Enter).
fn on_change(lives: Lives, ev: web_sys::Event) {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .filter(|e| e.has_attribute("data-lives-user"))
    else {
        return;
    };
    let value = if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.value()
    } else if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.value()
    } else {
        return;
    };
    lives.send(LivesAsk::Person {
        user: value.trim().to_string(),
    });
}

/// The lanes section of the result column.
#[component]
pub fn LivesPanel() -> impl IntoView {
    let lives = ctx::<Lives>();
    let run = ctx::<Run>();
    let doc = ctx::<Doc>();
    let body = move || {
        let html = lives.lanes.get();
        if html.is_empty() {
            "<p class=\"muted\">No lanes yet.</p>".to_string()
        } else {
            html
        }
    };
    view! {
        <section id="lives" class="lives" aria-labelledby="lives-h" class:stale=move || run.stale(doc)>
            <h2 id="lives-h">"Lives: each pass, allocation and person"</h2>
            <div class="lives-body" inner_html=body on:click=move |ev| on_click(lives, ev) on:change=move |ev| on_change(lives, ev)></div>
        </section>
    }
}
