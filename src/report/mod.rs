//! What a run shows: the State JSON ([`state`]), the events in plain words ([`describe`]), runs and recordings over time
//! ([`timeline`]), the CSV/JSON exports ([`export`]), the lanes of passes, allocations
//! and people ([`lives`]), the reasons of every count ([`reasons`]), the counts as
//! series ([`tally`]), the charts' data ([`series`]) and the answer of a comparison
//! ([`compare`]).
//! The event log's user filter: [`filter`]. The use rights checked against a run:
//! [`use_rights`].

pub mod compare;
pub mod describe;
pub mod export;
pub mod filter;
pub mod lives;
pub mod reasons;
pub mod series;
pub mod state;
pub mod tally;
pub mod timeline;
pub mod use_rights;
