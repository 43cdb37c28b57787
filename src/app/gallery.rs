//! The example gallery: the project's example scenarios, embedded in the app, one click
//! to load. Adding an example is one line in [`EXAMPLES`].

use leptos::prelude::*;

use super::store::Store;

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
    pub text: &'static str,
}

/// One line per example: its shelf and its file under `examples/`. The title shown is
/// the scenario's own `name`.
macro_rules! example {
    ($shelf:ident, $file:literal) => {
        Example {
            shelf: Shelf::$shelf,
            file: $file,
            text: include_str!(concat!("../../examples/", $file)),
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
        text: include_str!("../../www/ten-thousand.toml"),
    },
];

impl Example {
    /// The scenario's `name` (the first top-level `name = "…"` line), else the file name.
    pub fn title(&self) -> String {
        self.text
            .lines()
            .find_map(|l| {
                let v = l
                    .strip_prefix("name")?
                    .trim_start()
                    .strip_prefix('=')?
                    .trim();
                let v = v.strip_prefix('"')?.strip_suffix('"')?;
                Some(v.replace("\\\"", "\"").replace("\\\\", "\\"))
            })
            .unwrap_or_else(|| self.file.to_string())
    }
}

/// The scenario loaded when the app opens.
pub fn first() -> &'static Example {
    &EXAMPLES[0]
}

pub fn by_file(file: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.file == file)
}

/// The comment lines at the top of a scenario: what to look for, and the expected values.
pub fn notes(text: &str) -> String {
    text.lines()
        .take_while(|l| l.starts_with('#') || l.trim().is_empty())
        .map(|l| {
            l.trim_start_matches('#')
                .strip_prefix(' ')
                .unwrap_or(l.trim_start_matches('#'))
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

#[component]
pub fn Gallery(store: Store) -> impl IntoView {
    let shelf = move |shelf: Shelf, heading: &'static str| {
        let items = EXAMPLES
            .iter()
            .filter(|e| e.shelf == shelf)
            .map(|e| {
                let file = e.file;
                view! {
                    <li>
                        <button
                            type="button"
                            class="example"
                            class:current=move || store.example.get() == Some(file)
                            aria-pressed=move || (store.example.get() == Some(file)).to_string()
                            data-file=file
                            on:click=move |_| store.load(e.text, Some(file))
                        >
                            {e.title()}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3 class="shelf">{heading}</h3>
            <ul>{items}</ul>
        }
    };
    view! {
        <details class="gallery" open>
            <summary>
                <h2>"Examples"</h2>
                <span class="muted">" one click to load and run"</span>
            </summary>
            <div class="shelves">
                {shelf(Shelf::Tour, "Walkthroughs")}
                {shelf(Shelf::Question, "Questions people ask")}
                {shelf(Shelf::Stress, "Stress test")}
            </div>
        </details>
    }
}

/// The loaded example's notes, for stepping through it.
#[component]
pub fn ExampleNotes(store: Store) -> impl IntoView {
    move || {
        let e = by_file(store.example.get()?)?;
        let notes = notes(e.text);
        (!notes.is_empty()).then(|| {
            view! {
                <details class="example-notes">
                    <summary>"About this example: what to look for"</summary>
                    <pre>{notes}</pre>
                </details>
            }
        })
    }
}
