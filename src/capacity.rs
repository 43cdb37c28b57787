//! Analyzer Capacity (CAP-1..3): minutes per calendar month, consumed in blocks for
//! active time only, capped by the quota plus overage.

use crate::scenario::{License, Overage};

/// One month's capacity figures.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MonthUsage {
    pub month: String,
    pub quota: i64,
    pub used: i64,
    pub overage: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapacityMeter {
    /// Licensed minutes per month: packs × 1000 (CAP-1).
    pub quota: i64,
    /// The most minutes a month may use (quota + overage); `None`: unlimited (CAP-3).
    pub cap: Option<i64>,
    /// Minutes consumed this month, overage included.
    pub used: i64,
    /// Whether the license has any capacity at all (NU-4's fallback).
    pub licensed: bool,
}

impl CapacityMeter {
    pub fn new(license: &License) -> Self {
        let quota = license.capacity_quota();
        let cap = match license.overage {
            Overage::None => Some(quota),
            Overage::Minutes(n) => Some(quota + n),
            Overage::Unlimited => None,
        };
        CapacityMeter {
            quota,
            cap,
            used: 0,
            licensed: license.analyzer_capacity_packs > 0,
        }
    }

    /// CAP-3: a block is consumed only if it fits under the cap.
    pub fn fits(&self, block: i64) -> bool {
        match self.cap {
            None => true,
            Some(cap) => self.used + block <= cap,
        }
    }

    pub fn consume(&mut self, block: i64) {
        self.used += block;
    }

    /// Minutes above the licensed quota this month (invoiced the following month).
    pub fn overage(&self) -> i64 {
        (self.used - self.quota).max(0)
    }

    /// CAP-1 / TIME-2: the month ends; returns the unused minutes forfeited.
    pub fn reset(&mut self) -> i64 {
        let forfeited = (self.quota - self.used).max(0);
        self.used = 0;
        forfeited
    }
}
