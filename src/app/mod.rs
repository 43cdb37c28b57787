//! The browser app: a Leptos client-side app (built by Trunk) that edits a scenario, runs
//! it in a Web Worker ([`worker`]) and shows the result: charts over simulated time, the
//! state at any moment, the event log with the rule book, and step mode for teaching.
//!
//! One module per concept: [`protocol`] (page ↔ worker messages), [`wire`] (their JSON
//! transport, both ends), [`client`] (the page's end of the run worker), [`store`]
//! (shared signals and actions), [`editor`], [`timebar`] (time cursor and step mode),
//! [`charts`], [`state_panel`], [`event_log`], [`rulebook`], [`gallery`], and [`layout`]
//! (the page); and the tools around them, answered by the tools worker ([`tools`],
//! reached through [`tools_client`]): [`form`] (the form builder), [`library`] (saved
//! scenarios, import and export of files), [`share`] (links), [`exports`] and
//! [`downloads`] (results as files), [`compare`] (its answer as markup:
//! [`compare_markup`]), [`sizing`] (its report and decision
//! chart as markup: [`sizing_report`], [`sizing_chart`]), and [`lives`] (lanes and
//! reasons, written by [`lives_markup`] in the tools worker); [`use_rights`] lists the
//! use rights' warnings beside the check status.

pub mod charts;
pub mod client;
pub mod compare;
pub mod compare_markup;
pub mod downloads;
pub mod editor;
pub mod event_log;
pub mod examples;
pub mod exports;
pub mod form;
pub mod gallery;
pub mod history;
pub mod idb;
pub mod import;
pub mod import_worker;
pub mod large;
pub mod layout;
pub mod library;
pub mod lives;
pub mod lives_markup;
pub mod protocol;
pub mod rulebook;
pub mod run;
pub mod share;
pub mod sizing;
pub mod sizing_chart;
pub mod sizing_report;
pub mod state_panel;
pub mod store;
pub mod timebar;
pub mod tools;
pub mod tools_client;
pub mod use_rights;
pub mod wire;
pub mod worker;

/// Entry point of the app bin: mounts the page.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(layout::App);
}
