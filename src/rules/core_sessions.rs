//! Qlik Core (CORE-1..3): minutes per calendar month, metered in Core Sessions of
//! `core_session` minutes keyed by session id.

use crate::base::time::Minute;

/// Qlik Core minutes (CORE-1, CORE-3): no overage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoreMeter {
    pub quota: i64,
    pub used: i64,
}

impl CoreMeter {
    pub fn fits(&self, minutes: i64) -> bool {
        self.used + minutes <= self.quota
    }

    pub fn reset(&mut self) -> i64 {
        let forfeited = (self.quota - self.used).max(0);
        self.used = 0;
        forfeited
    }
}

/// The Core Sessions of one session id (CORE-2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoreSessions {
    /// When the latest Core Session of this id started.
    pub latest_start: Option<Minute>,
    /// Open connections carrying this id.
    pub open: Vec<u32>,
    /// Bumped when a scheduled session end no longer applies.
    pub generation: u32,
}

impl CoreSessions {
    /// CORE-2: a connection starting within `length` of the start of the id's latest Core
    /// Session does not trigger a new one.
    pub fn covers(&self, now: Minute, length: Minute) -> bool {
        self.latest_start.is_some_and(|s| now < s + length)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_2_four_minutes_apart_one_session_five_apart_two() {
        let s = CoreSessions {
            latest_start: Some(100),
            ..Default::default()
        };
        assert!(s.covers(104, 5));
        assert!(!s.covers(105, 5));
    }
}
