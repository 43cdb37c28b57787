//! What a run shows: the State JSON ([`state`]), runs and recordings over time
//! ([`timeline`]), and the CSV/JSON exports ([`export`]).

pub mod export;
pub mod lives;
pub mod reasons;
pub mod state;
pub mod timeline;
