//! Sharing: the whole scenario, compressed, in the link's fragment (`#s=1…`), so nothing
//! reaches a server. Opening such a link restores the text exactly; a link made while a
//! sizing of the text is shown carries its request (`&size=…`), and opening it runs the
//! same sizing ([`super::sizing`]).

use leptos::prelude::*;

use super::history::{History, How};
use super::protocol::{ToolRequest, ToolResponse};
use super::sizing::Sizing;
use super::store::{ctx, Doc, Notices, Run};

/// The address's fragment (`#s=…` when it carries a shared scenario).
pub fn opened_fragment() -> String {
    window().location().hash().unwrap_or_default().to_string()
}

/// Whether the page was opened from a share link.
pub fn opened_from_link() -> bool {
    opened_fragment().starts_with(&format!("#{}", crate::tools::share::PREFIX))
}

thread_local! {
    /// How the link being read opens (see [`super::history::How`]).
    static PENDING: std::cell::Cell<How> = const { std::cell::Cell::new(How::Start) };
}

/// Asks the worker to read the shared scenario of the address (at start, or when a link
/// is pasted into the address of the open page).
pub fn open_link(how: How) {
    PENDING.with(|p| p.set(how));
    super::tools_client::send(&ToolRequest::Unshare {
        fragment: opened_fragment(),
    });
}

/// How the link the worker read opens.
pub fn pending_how() -> How {
    PENDING.with(|p| p.get())
}

/// The last share link made (or why none could be). Provided as context.
#[derive(Clone, Copy)]
pub struct Shared {
    pub link: RwSignal<Option<Result<String, String>>>,
    sizing: Sizing,
}

impl Shared {
    pub fn provide() -> Shared {
        let shared = Shared {
            link: RwSignal::new(None),
            sizing: ctx(),
        };
        provide_context(shared);
        shared
    }

    /// The tools worker made a link, or read the one the page was opened with.
    pub fn on_response(self, history: History, notices: Notices, resp: ToolResponse) {
        match resp {
            ToolResponse::Shared { result } => {
                if let Ok(fragment) = &result {
                    super::history::set_address(&format!("#{fragment}"));
                }
                self.link.set(Some(result));
            }
            ToolResponse::Unshared { result, size } => match result {
                Ok(text) => {
                    history.open(text, None, pending_how(), None);
                    notices.say(false, "Opened the scenario from the link.");
                    if let Some(req) = size {
                        self.sizing.from_link(req);
                    }
                }
                Err(why) => notices.say(true, format!("This link cannot be opened: {why}.")),
            },
            _ => {}
        }
    }
}

/// The Share button and, once pressed, the link (or why there is none).
#[component]
pub fn Share() -> impl IntoView {
    let shared = ctx::<Shared>();
    let doc = ctx::<Doc>();
    let run = ctx::<Run>();
    let notices = ctx::<Notices>();
    let link = move || {
        shared.link.get().map(|r| match r {
            Ok(fragment) => {
                let loc = window().location();
                let base = format!(
                    "{}{}",
                    loc.origin().unwrap_or_default(),
                    loc.pathname().unwrap_or_default()
                );
                let url = format!("{base}#{fragment}");
                let copy = url.clone();
                view! {
                    <div class="share-box" role="status">
                        <label for="share-link">"Link to this scenario"</label>
                        <input id="share-link" readonly prop:value=url.clone() on:focus:target=move |ev| ev.target().select() />
                        <button type="button" on:click=move |_| {
                            let _ = window().navigator().clipboard().write_text(&copy);
                            notices.say(false, "Link copied.");
                        }>"Copy"</button>
                        <span class="muted small">{format!("{} characters; the scenario travels in the link, no server keeps it.", url.len())}</span>
                    </div>
                }
                .into_any()
            }
            Err(why) => view! {
                <div class="share-box error" role="alert">
                    <span>{why}</span>
                    <button type="button" on:click=move |_| {
                        if let Err(e) = super::downloads::scenario_file(&doc.name_untracked(run), &doc.text.get_untracked()) {
                            notices.say(true, e);
                        }
                    }>"Download the .toml file"</button>
                </div>
            }
            .into_any(),
        })
    };
    view! {
        <div class="share">
            <button type="button" id="share" on:click=move |_| {
                super::tools_client::send(&ToolRequest::Share {
                    text: doc.text.get_untracked(),
                    size: shared.sizing.shared_request(),
                });
            }>"Share"</button>
            {link}
        </div>
    }
}
