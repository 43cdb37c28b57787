//! What a run shows: the State JSON ([`state`]), runs and recordings over time
//! ([`timeline`]), the CSV/JSON exports ([`export`]) and the event log's user filter
//! ([`filter`]).

pub mod export;
pub mod filter;
pub mod state;
pub mod timeline;
