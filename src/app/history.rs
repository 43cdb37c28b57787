//! The scenarios opened in this tab, so that nothing a person types is lost.
//!
//! - Every opening (an example, New scenario, an import, a saved scenario, a share link) is
//!   an entry of the browser's history: Back and Forward move between the scenarios opened
//!   in this tab, each with its text as it was left, and Back leaves the app only from the
//!   first of them.
//! - Each entry's text, time cursor, result tab and Text/Form view are kept in the tab's
//!   session storage (under the entry's id, the history state), so a reload reopens them.
//! - An opening that replaces text with unsaved edits puts that text aside: the notice
//!   offers "Restore the text you were editing", and Ctrl+Z (outside a field being typed
//!   in) takes back any whole-text change: an opening, a form edit, a restore.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Storage;

use super::examples;
use super::protocol::Filter;
use super::run::Runner;
use super::store::{ctx, EditView, Notices, ResultTab, Ui};
use crate::base::time::Minute;

const KEY_ENTRY: &str = "license-lab:entry:";
const KEY_ENTRIES: &str = "license-lab:entries";
/// Entries whose text the tab keeps (the oldest are dropped first: Back to one of them
/// reopens what its address names).
const MAX_ENTRIES: usize = 40;
/// Whole-text changes Ctrl+Z can take back.
const MAX_UNDO: usize = 50;

/// A text as it was before a whole-text change.
#[derive(Debug, Clone)]
struct Kept {
    text: String,
    example: Option<&'static str>,
    clean: String,
}

#[derive(Default)]
struct Tab {
    /// The current entry's id (its history state).
    id: u32,
    /// The text as opened or last saved: anything else is an unsaved edit.
    clean: String,
    undo: Vec<Kept>,
    redo: Vec<Kept>,
    /// The edited text the last opening replaced (the notice's Restore).
    aside: Option<Kept>,
}

thread_local! {
    static TAB: RefCell<Tab> = RefCell::new(Tab::default());
}

/// What the tab keeps of one entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub text: String,
    pub example: Option<String>,
    pub clean: String,
    pub cursor: Minute,
    pub tab: u8,
    pub form: bool,
}

impl Entry {
    pub fn example(&self) -> Option<&'static str> {
        self.example
            .as_deref()
            .and_then(examples::by_file)
            .map(|e| e.file)
    }

    pub fn result_tab(&self) -> ResultTab {
        match self.tab {
            1 => ResultTab::Compare,
            2 => ResultTab::Sizing,
            _ => ResultTab::Run,
        }
    }
}

/// How an opening treats the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// The page's first scenario (from its address): nothing to keep of the placeholder.
    Start,
    /// A new entry (Back returns to the scenario before).
    Push,
    /// In the current entry (one the browser made, e.g. a link pasted in the address).
    Replace,
}

fn storage() -> Option<Storage> {
    window().session_storage().ok().flatten()
}

fn history() -> Option<web_sys::History> {
    window().history().ok()
}

impl Entry {
    /// As kept: `cursor tab form example` on the first line, then the clean text's
    /// length in bytes and a newline, the clean text, and the text.
    fn write(&self) -> String {
        format!(
            "{} {} {} {}\n{}\n{}{}",
            self.cursor,
            self.tab,
            u8::from(self.form),
            self.example.as_deref().unwrap_or("-"),
            self.clean.len(),
            self.clean,
            self.text
        )
    }

    fn read(kept: &str) -> Option<Entry> {
        let (head, rest) = kept.split_once('\n')?;
        let (len, rest) = rest.split_once('\n')?;
        let len: usize = len.parse().ok()?;
        let mut f = head.split(' ');
        let (cursor, tab, form, example) = (f.next()?, f.next()?, f.next()?, f.next()?);
        Some(Entry {
            clean: rest.get(..len)?.to_string(),
            text: rest.get(len..)?.to_string(),
            example: (example != "-").then(|| example.to_string()),
            cursor: cursor.parse().ok()?,
            tab: tab.parse().ok()?,
            form: form == "1",
        })
    }
}

fn read(id: u32) -> Option<Entry> {
    Entry::read(&storage()?.get_item(&format!("{KEY_ENTRY}{id}")).ok()??)
}

fn ids(s: &Storage) -> Vec<u32> {
    s.get_item(KEY_ENTRIES)
        .ok()
        .flatten()
        .map(|j| j.split(',').filter_map(|i| i.parse().ok()).collect())
        .unwrap_or_default()
}

/// Keeps `entry` under `id`, dropping the oldest entries when there are too many or the
/// storage is full.
fn write(id: u32, entry: &Entry) {
    let Some(s) = storage() else { return };
    let json = entry.write();
    let mut list = ids(&s);
    list.retain(|i| *i != id);
    list.push(id);
    loop {
        while list.len() > MAX_ENTRIES {
            let old = list.remove(0);
            let _ = s.remove_item(&format!("{KEY_ENTRY}{old}"));
        }
        if s.set_item(&format!("{KEY_ENTRY}{id}"), &json).is_ok() {
            break;
        }
        if list.len() <= 1 {
            return;
        }
        let old = list.remove(0);
        let _ = s.remove_item(&format!("{KEY_ENTRY}{old}"));
    }
    let list: Vec<String> = list.iter().map(u32::to_string).collect();
    let _ = s.set_item(KEY_ENTRIES, &list.join(","));
}

/// A fresh entry id for this tab.
fn new_id() -> u32 {
    let list = storage().map(|s| ids(&s)).unwrap_or_default();
    list.iter().max().map_or(1, |m| m + 1)
}

fn id_of(state: &JsValue) -> Option<u32> {
    state.as_f64().map(|f| f as u32).filter(|i| *i > 0)
}

/// Sets the address without a new entry, keeping the entry's id.
pub fn set_address(address: &str) {
    let id = TAB.with(|t| t.borrow().id);
    if let Some(h) = history() {
        let _ = h.replace_state_with_url(&JsValue::from(id), "", Some(address));
    }
}

/// The entry the page was reloaded into, if this tab kept it; else the current entry
/// gets an id. Called once, before the store exists.
pub fn start() -> Option<Entry> {
    let state = history()
        .and_then(|h| h.state().ok())
        .unwrap_or(JsValue::NULL);
    if let Some((id, entry)) = id_of(&state).and_then(|id| read(id).map(|e| (id, e))) {
        TAB.with(|t| {
            let mut t = t.borrow_mut();
            t.id = id;
            t.clean = entry.clean.clone();
        });
        return Some(entry);
    }
    let id = new_id();
    TAB.with(|t| t.borrow_mut().id = id);
    if let Some(h) = history() {
        let _ = h.replace_state(&JsValue::from(id), "");
    }
    None
}

/// The text was saved (in "My scenarios", or it is the example a first visit opens
/// with): it has no unsaved edits any more.
pub fn saved(text: &str) {
    TAB.with(|t| t.borrow_mut().clean = text.to_string());
}

/// Sets the address to `#` once the text is typed over, when it names something (an
/// example, a link): the text is no longer what the address names.
pub fn typed_over_address() {
    if window().location().hash().is_ok_and(|h| h.len() > 1) {
        set_address("#");
    }
}

fn push_undo(t: &mut Tab, k: Kept) {
    t.undo.push(k);
    if t.undo.len() > MAX_UNDO {
        t.undo.remove(0);
    }
    t.redo.clear();
}

/// Whether the key event's target is a field that takes typing (its own Ctrl+Z).
fn typing_in(ev: &web_sys::KeyboardEvent) -> Option<web_sys::Element> {
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let tag = el.tag_name().to_ascii_lowercase();
    (matches!(tag.as_str(), "input" | "textarea" | "select")
        || el.get_attribute("contenteditable").is_some())
    .then_some(el)
}

/// Openings and the tab's history: the feature that replaces the whole text (an opening,
/// a form edit, undo and redo, restore) and keeps the tab's entries. Provided as context.
#[derive(Clone, Copy)]
pub struct History {
    runner: Runner,
    ui: Ui,
    notices: Notices,
}

impl History {
    /// The runner the history opens texts with.
    pub fn runner(self) -> Runner {
        self.runner
    }

    /// Provided over the runner and the stores. The page keeps the entry whenever a
    /// revision of the text is handed to the worker ([`History::save`]).
    pub fn provide(runner: Runner) -> History {
        let history = History {
            runner,
            ui: ctx(),
            notices: ctx(),
        };
        provide_context(history);
        history
    }

    fn entry(self) -> Entry {
        let doc = self.runner.doc;
        Entry {
            text: doc.text.get_untracked(),
            example: doc.example.get_untracked().map(str::to_string),
            clean: TAB.with(|t| t.borrow().clean.clone()),
            cursor: self.runner.cursor.at.get_untracked(),
            tab: match self.ui.tab.get_untracked() {
                ResultTab::Run => 0,
                ResultTab::Compare => 1,
                ResultTab::Sizing => 2,
            },
            form: self.ui.edit_view.get_untracked() == EditView::Form,
        }
    }

    /// Keeps the current entry (text, cursor, tab) for Back, Forward and reload.
    pub fn save(self) {
        let id = TAB.with(|t| t.borrow().id);
        write(id, &self.entry());
    }

    fn current(self) -> Kept {
        let doc = self.runner.doc;
        Kept {
            text: doc.text.get_untracked(),
            example: doc.example.get_untracked(),
            clean: TAB.with(|t| t.borrow().clean.clone()),
        }
    }

    /// Puts `text` in the editor as a whole, then checks and runs it.
    fn show_text(self, text: String, example: Option<&'static str>) {
        self.runner.doc.put(text, example);
        self.runner.run_now();
    }

    /// Opens a scenario (an example, a new one, an import, a saved one, a shared link): a
    /// new entry of the tab's history (`how`), from the start of its time, with unsaved
    /// edits of the text it replaces put aside (the notice offers them back). `address`
    /// is the fragment that names it (`#walkthrough.toml`, a link), if any.
    pub fn open(
        self,
        text: String,
        example: Option<&'static str>,
        how: How,
        address: Option<&str>,
    ) {
        let aside = self.leaving(how);
        self.runner.cursor.at.set(0);
        self.runner.log.deselect();
        self.runner.log.filter.set(Filter::default());
        self.show_text(text, example);
        self.entered(how, address);
        if aside {
            self.notices
                .say_restorable("The text you were editing is kept:");
        }
    }

    /// An entry of the tab's history, as it was left (Back, Forward).
    fn show_entry(self, entry: Entry) {
        self.runner.cursor.at.set(entry.cursor);
        self.runner.log.deselect();
        self.show_text(entry.text.clone(), entry.example());
    }

    /// Replaces the whole text within the scenario (a form edit) and checks and runs it;
    /// Ctrl+Z takes it back.
    pub fn replace_text(self, text: String) {
        let kept = self.current();
        TAB.with(|t| push_undo(&mut t.borrow_mut(), kept));
        self.show_text(text, None);
        set_address("#");
        self.save();
    }

    /// Before an opening replaces the text: the current entry is kept as it is, and text
    /// with unsaved edits is put aside. Returns whether something was put aside.
    fn leaving(self, how: How) -> bool {
        if how == How::Start {
            return false;
        }
        if how == How::Push {
            self.save();
        }
        let kept = self.current();
        let dirty = kept.text != kept.clean && !kept.text.trim().is_empty();
        TAB.with(|t| {
            let mut t = t.borrow_mut();
            if dirty {
                t.aside = Some(kept.clone());
            }
            push_undo(&mut t, kept);
        });
        self.keep_aside_noted();
        dirty
    }

    /// Tells the notices whether there is text put aside to offer.
    fn keep_aside_noted(self) {
        let aside = TAB.with(|t| t.borrow().aside.is_some());
        self.notices.aside.set_value(aside);
    }

    /// After an opening: its text is the clean one, in a new entry (Push) or the current.
    fn entered(self, how: How, address: Option<&str>) {
        let text = self.runner.doc.text.get_untracked();
        let id = TAB.with(|t| {
            let mut t = t.borrow_mut();
            t.clean = text;
            if how == How::Push {
                t.id = new_id().max(t.id + 1);
            }
            t.id
        });
        if let Some(h) = history() {
            let _ = if how == How::Push {
                h.push_state_with_url(&JsValue::from(id), "", address.or(Some("#")))
            } else {
                h.replace_state_with_url(&JsValue::from(id), "", address)
            };
        }
        self.save();
    }

    fn put(self, k: Kept) {
        TAB.with(|t| t.borrow_mut().clean = k.clean.clone());
        self.show_text(k.text, k.example);
        set_address(
            &k.example
                .map(|e| format!("#{e}"))
                .unwrap_or_else(|| "#".into()),
        );
        self.save();
    }

    /// Ctrl+Z: the text before the last whole-text change. `false` when there is none.
    fn undo(self) -> bool {
        let Some(k) = TAB.with(|t| t.borrow_mut().undo.pop()) else {
            return false;
        };
        let now = self.current();
        TAB.with(|t| t.borrow_mut().redo.push(now));
        self.put(k);
        self.notices.say(
            false,
            "Undone: the text is as it was before. Ctrl+Shift+Z redoes it.",
        );
        true
    }

    /// Ctrl+Shift+Z: the change Ctrl+Z took back.
    fn redo(self) -> bool {
        let Some(k) = TAB.with(|t| t.borrow_mut().redo.pop()) else {
            return false;
        };
        let now = self.current();
        TAB.with(|t| t.borrow_mut().undo.push(now));
        self.put(k);
        self.notices.say(false, "Redone.");
        true
    }

    /// The notice's button: the text the last opening replaced comes back (and the text it
    /// replaces is put aside in turn, if it has edits).
    pub fn restore(self) {
        let Some(k) = TAB.with(|t| t.borrow_mut().aside.take()) else {
            return;
        };
        self.keep_aside_noted();
        let swapped = self.leaving(How::Replace);
        self.put(k);
        if swapped {
            self.notices.say_restorable(
                "Restored the text you were editing; the one it replaced is kept too.",
            );
        } else {
            self.notices
                .say(false, "Restored the text you were editing.");
        }
    }

    /// The tab's listeners: Back/Forward, leaving the page, and the keys (Ctrl+Z,
    /// Ctrl+Shift+Z, Ctrl+Enter runs the scenario). An entry the app did not make is
    /// opened by `open_address` (what the address names).
    pub fn listen(self, open_address: impl Fn(How) + 'static) {
        let _ = window_event_listener(leptos::ev::popstate, move |ev| {
            self.save();
            let state = ev.state();
            match id_of(&state).and_then(|id| read(id).map(|e| (id, e))) {
                Some((id, entry)) => {
                    TAB.with(|t| {
                        let mut t = t.borrow_mut();
                        t.id = id;
                        t.clean = entry.clean.clone();
                    });
                    self.show_entry(entry);
                }
                None => {
                    // An entry the app did not make (an address typed or pasted) or whose
                    // text was dropped: open what its address names.
                    let id = new_id().max(TAB.with(|t| t.borrow().id) + 1);
                    TAB.with(|t| t.borrow_mut().id = id);
                    if let Some(h) = history() {
                        let _ = h.replace_state(&JsValue::from(id), "");
                    }
                    open_address(How::Replace);
                }
            }
        });
        let _ = window_event_listener(leptos::ev::pagehide, move |_| self.save());
        let _ = window_event_listener(leptos::ev::keydown, move |ev| self.on_key(ev));
    }

    fn on_key(self, ev: web_sys::KeyboardEvent) {
        if !(ev.ctrl_key() || ev.meta_key()) || ev.alt_key() {
            return;
        }
        let key = ev.key().to_ascii_lowercase();
        if key == "enter" {
            ev.prevent_default();
            self.runner.run_now();
            return;
        }
        let (undoing, redoing) = (
            key == "z" && !ev.shift_key(),
            key == "y" || key == "z" && ev.shift_key(),
        );
        if !undoing && !redoing {
            return;
        }
        // A field keeps its own undo; the editor's only once it has nothing of its own
        // (its text is the one last put in it, so the browser's undo is empty).
        if let Some(el) = typing_in(&ev) {
            let doc = self.runner.doc;
            let untouched = el.id() == "scenario-text"
                && doc
                    .text
                    .with_untracked(|t| doc.loaded.with_untracked(|l| t == l));
            if !untouched {
                return;
            }
        }
        let done = if undoing { self.undo() } else { self.redo() };
        if done {
            ev.prevent_default();
        }
    }
}
