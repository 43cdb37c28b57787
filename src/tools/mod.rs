//! Tools built on runs: sizing ([`sizing`]), share links ([`share`]) and the benchmarks
//! ([`bench`](mod@bench)).

pub mod bench;
pub mod decision;
pub mod growth;
pub mod import;
pub mod share;
pub mod sizing;
