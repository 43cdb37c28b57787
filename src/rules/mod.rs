//! The ledgers of the rule book, one module per concept. Each keeps its own counts and
//! checks its own identities; the engine ([`crate::engine`]) decides when they change.

pub mod capacity;
pub mod connections;
pub mod core_sessions;
pub mod login_pass;
pub mod nodes;
pub mod quarantine;
pub mod tokens;
