//! License Lab: a deterministic simulator of Qlik Sense-style licensing.
//!
//! Scenario text → [`scenario::parse`] → [`engine::Simulation`] → [`state::State`] and the
//! [`events`] log. Rule ids of `RULES.md` are named in comments and in every event.

pub mod bench;
pub mod capacity;
pub mod cli;
pub mod cohort;
pub mod connections;
pub mod core_sessions;
pub mod engine;
pub mod events;
pub mod export;
pub mod login_pass;
pub mod nodes;
pub mod quarantine;
pub mod rng;
pub mod scenario;
pub mod share;
pub mod sizing;
pub mod state;
pub mod time;
pub mod timeline;
pub mod tokens;

/// The browser app (Leptos) and its Web Worker; compiled only for wasm32.
#[cfg(all(target_arch = "wasm32", feature = "app"))]
pub mod app;
