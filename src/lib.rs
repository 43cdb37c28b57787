//! License Lab: a deterministic simulator of Qlik Sense-style licensing.
//!
//! Scenario text → [`scenario::parse`] → [`engine::Simulation`] → [`report::state::State`] and the
//! [`engine::events`] log. Rule ids of `RULES.md` are named in comments and in every event.

pub mod base;
pub mod cli;
pub mod engine;
pub mod report;
pub mod rules;
pub mod scenario;
pub mod tools;

/// The browser app (Leptos) and its Web Worker; compiled only for wasm32.
#[cfg(all(target_arch = "wasm32", feature = "app"))]
pub mod app;
