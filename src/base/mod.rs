//! Foundations that know nothing of licensing: the simulated calendar ([`time`], TIME-1,
//! TIME-2) and the portable random numbers cohorts are drawn from ([`rng`]).

pub mod rng;
pub mod time;
