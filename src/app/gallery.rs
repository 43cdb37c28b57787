//! The example gallery: the project's example scenarios, embedded in the app, one click
//! to load. Adding an example is one line in [`EXAMPLES`].

use leptos::prelude::*;

use super::store::Store;

pub struct Example {
    /// The file name under `examples/` (or `www/` for the stress test).
    pub file: &'static str,
    /// The question it answers (QUESTIONS.md), or what it shows.
    pub title: &'static str,
    pub text: &'static str,
}

macro_rules! example {
    ($file:literal, $title:literal) => {
        Example {
            file: $file,
            title: $title,
            text: include_str!(concat!("../../examples/", $file)),
        }
    };
}

pub const EXAMPLES: &[Example] = &[
    example!("walkthrough.toml", "Login access passes: the walkthrough"),
    example!("quarantine.toml", "User Access Pass quarantine"),
    example!("sizing.toml", "103 knowledge workers on 50 tokens"),
    Example {
        file: "ten-thousand.toml",
        title: "Stress test: 10,000 people for a year",
        text: include_str!("../../www/ten-thousand.toml"),
    },
];

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
    let items = EXAMPLES
        .iter()
        .map(|e| {
            let file = e.file;
            view! {
                <li>
                    <button
                        type="button"
                        class="example"
                        class:current=move || store.example.get() == Some(file)
                        data-file=file
                        on:click=move |_| store.load(e.text, Some(file))
                    >
                        {e.title}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <details class="gallery" open>
            <summary>
                <h2>"Examples"</h2>
            </summary>
            <ul>{items}</ul>
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
