//! The project's example scenarios: one line each in [`EXAMPLES`] (its shelf and its
//! file under `examples/`), titled by the scenario's own `name` (from the index
//! `build.rs` writes). The first (the walkthrough, opened on a first visit) is embedded in
//! the app; the others are fetched when opened (copied next to index.html by Trunk), so
//! the gallery ([`super::gallery`]) can grow without growing the first load.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

mod index {
    include!(concat!(env!("OUT_DIR"), "/examples_index.rs"));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shelf {
    /// The project's walkthroughs of the rules.
    Tour,
    /// One scenario per question of QUESTIONS.md.
    Question,
    /// A large run, to see the worker, the progress bar and Cancel at work.
    Stress,
}

pub struct Example {
    pub shelf: Shelf,
    /// The file name under `examples/` (`www/` for the stress test).
    pub file: &'static str,
    /// Where the page fetches it from, relative to index.html.
    pub url: &'static str,
}

/// One line per example: its shelf and its file under `examples/`. The title shown is
/// the scenario's own `name`.
macro_rules! example {
    ($shelf:ident, $file:literal) => {
        Example {
            shelf: Shelf::$shelf,
            file: $file,
            url: concat!("examples/", $file),
        }
    };
}

pub const EXAMPLES: &[Example] = &[
    example!(Tour, "walkthrough.toml"),
    example!(Tour, "quarantine.toml"),
    example!(Tour, "sizing.toml"),
    example!(Tour, "named-users.toml"),
    example!(Tour, "capacity.toml"),
    example!(Tour, "qlik-core.toml"),
    example!(Tour, "nodes.toml"),
    example!(Tour, "license-sync.toml"),
    example!(Tour, "use-rights.toml"),
    example!(Question, "q01-testers-quarantine.toml"),
    example!(Question, "q02-fifteen-minutes-one-pass.toml"),
    example!(Question, "q03-sixty-two-minutes.toml"),
    example!(Question, "q04-log-out-and-in.toml"),
    example!(Question, "q05-passes-come-back.toml"),
    example!(Question, "q06-delete-group.toml"),
    example!(Question, "q07-access-denied.toml"),
    example!(Question, "q08-capacity-blocks.toml"),
    example!(Question, "q09-capacity-runs-out.toml"),
    example!(Question, "q10-dynamic-assignment.toml"),
    example!(Question, "q11-anonymous-users.toml"),
    example!(Question, "q12-sizing-103-people.toml"),
    example!(Question, "q13-user-pass-or-login.toml"),
    Example {
        shelf: Shelf::Stress,
        file: "ten-thousand.toml",
        url: "ten-thousand.toml",
    },
];

/// The text of the first example, embedded: the page opens with it at once.
pub const FIRST_TEXT: &str = include_str!("../../examples/walkthrough.toml");

impl Example {
    /// The scenario's `name`, else the file name.
    pub fn title(&self) -> &'static str {
        index::TITLES
            .iter()
            .find(|(f, _)| *f == self.file)
            .map(|(_, t)| *t)
            .unwrap_or(self.file)
    }

    /// The example's text: embedded for the first, else fetched.
    pub async fn text(&self) -> Result<String, String> {
        if self.file == EXAMPLES[0].file {
            return Ok(FIRST_TEXT.to_string());
        }
        fetch_text(self.url)
            .await
            .map_err(|e| format!("the example {} could not be loaded ({e})", self.file))
    }
}

fn js_error(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "network error".to_string())
}

/// A text file next to index.html.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let resp = JsFuture::from(window().fetch_with_str(url))
        .await
        .map_err(js_error)?;
    let resp: web_sys::Response = resp.dyn_into().map_err(js_error)?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    text.as_string().ok_or_else(|| "not text".to_string())
}

/// The scenario loaded when the app opens.
pub fn first() -> &'static Example {
    &EXAMPLES[0]
}

pub fn by_file(file: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.file == file)
}
