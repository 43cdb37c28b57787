//! A login access group's pool of passes (LAP-1, LAP-7, LAP-9, LAP-10).
//!
//! Used passes return in the order they were consumed (every pass returns the same
//! `login_pass_return` after its consumption), so the pool keeps them in a queue and
//! needs no general priority queue. Retired passes (LAP-9) are always a prefix of that
//! queue: retirement takes the blocks that free soonest, which are the all-available
//! blocks and then the oldest used ones.

use std::collections::VecDeque;

use crate::base::time::Minute;

/// Passes per token (TOK-2).
pub const PASSES_PER_TOKEN: i64 = 10;

#[derive(Debug, Clone, Default)]
pub struct GroupPool {
    /// Tokens the group holds now; `passes = 10 × tokens` (LAP-1).
    pub tokens: i64,
    /// Passes that can be consumed.
    pub available: i64,
    /// Consumption minute of every used pass, oldest first (retiring ones included).
    used: VecDeque<Minute>,
    /// The first `retiring` used passes retire when they return (LAP-9).
    retiring: usize,
    /// Used passes still out, per retiring block, oldest block first.
    retiring_blocks: VecDeque<u32>,
}

/// What a pass return did (LAP-7, LAP-9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returned {
    /// The pass is available again.
    Available { consumed_at: Minute },
    /// The pass belonged to a retiring block: it retires; `left` of its block are still out.
    Retired { consumed_at: Minute, left: u32 },
    /// The last used pass of a retiring block returned: its token is free.
    BlockFreed,
}

/// The outcome of a reduction (LAP-9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shrink {
    /// Blocks with no used pass: their tokens are free at once.
    pub freed_now: i64,
    /// Blocks holding used passes: their tokens are pending until the last one returns.
    pub retiring_blocks: i64,
}

impl GroupPool {
    pub fn passes(&self) -> i64 {
        self.tokens * PASSES_PER_TOKEN
    }

    /// Consumed passes not yet returned (the state's `used`).
    pub fn used(&self) -> i64 {
        self.used.len() as i64
    }

    /// Used passes that retire on return (the state's `retiring`).
    pub fn retiring(&self) -> i64 {
        self.retiring as i64
    }

    /// Used passes that will come back to the group.
    pub fn in_use(&self) -> i64 {
        (self.used.len() - self.retiring) as i64
    }

    /// The group pass identity: available + used − retiring = passes.
    pub fn holds(&self) -> bool {
        self.available + self.used() - self.retiring() == self.passes()
            && self
                .retiring_blocks
                .iter()
                .map(|b| *b as usize)
                .sum::<usize>()
                == self.retiring
    }

    /// [`GroupPool::holds`] and no negative count (outside unlimited sizing runs).
    pub fn holds_strictly(&self) -> bool {
        self.available >= 0 && self.holds()
    }

    /// LAP-10: k more tokens add 10k available passes at once.
    pub fn grow(&mut self, k: i64) {
        self.tokens += k;
        self.available += k * PASSES_PER_TOKEN;
        debug_assert!(self.holds(), "LAP-10 broke the pass identity: {self:?}");
    }

    /// LAP-2: consumes one available pass at `now`; returns the number of passes now
    /// in use, or `None` when none is available (LAP-8).
    pub fn consume(&mut self, now: Minute) -> Option<i64> {
        if self.available <= 0 {
            return None;
        }
        self.available -= 1;
        self.used.push_back(now);
        debug_assert!(
            self.holds_strictly(),
            "LAP-2 broke the pass identity: {self:?}"
        );
        Some(self.in_use())
    }

    /// Consumes a pass even when none is available (`available` goes below zero): the
    /// sizing runs use it to measure how many passes a population needs.
    pub fn consume_unlimited(&mut self, now: Minute) -> i64 {
        self.available -= 1;
        self.used.push_back(now);
        self.in_use()
    }

    /// When the oldest used pass returns (LAP-7), if any is out.
    pub fn next_return(&self, return_after: Minute) -> Option<Minute> {
        self.used.front().map(|c| c + return_after)
    }

    /// Returns every pass due at or before `now`, oldest first.
    pub fn return_due(&mut self, now: Minute, return_after: Minute, out: &mut Vec<Returned>) {
        while let Some(&consumed_at) = self.used.front() {
            if consumed_at + return_after > now {
                break;
            }
            self.used.pop_front();
            if self.retiring > 0 {
                self.retiring -= 1;
                let last = match self.retiring_blocks.front_mut() {
                    Some(b) => {
                        *b -= 1;
                        *b == 0
                    }
                    None => false,
                };
                if last {
                    self.retiring_blocks.pop_front();
                    out.push(Returned::BlockFreed);
                } else {
                    let left = self.retiring_blocks.front().copied().unwrap_or(0);
                    out.push(Returned::Retired { consumed_at, left });
                }
            } else {
                self.available += 1;
                out.push(Returned::Available { consumed_at });
            }
        }
        debug_assert!(self.holds(), "LAP-7 broke the pass identity: {self:?}");
    }

    /// LAP-9: reduces the group by `k` tokens (k ≤ tokens). The group's passes are lined
    /// up in order of use (used, oldest first, then available) and cut into blocks of 10
    /// from the oldest end; the k blocks that free soonest retire: blocks with no used
    /// pass free their token at once, the others when their last used pass returns.
    pub fn shrink(&mut self, k: i64) -> Shrink {
        let k = k.clamp(0, self.tokens);
        let u = self.in_use();
        let full_used_blocks = u / PASSES_PER_TOKEN;
        let rem = u % PASSES_PER_TOKEN;
        let available_in_boundary = if rem > 0 { PASSES_PER_TOKEN - rem } else { 0 };
        let all_available_blocks =
            ((self.available - available_in_boundary) / PASSES_PER_TOKEN).max(0);
        let freed_now = k.min(all_available_blocks);
        self.available -= freed_now * PASSES_PER_TOKEN;
        self.tokens -= freed_now;
        let mut retiring_blocks = 0;
        for i in 0..(k - freed_now) {
            let block = if i < full_used_blocks {
                PASSES_PER_TOKEN
            } else {
                self.available -= available_in_boundary;
                rem
            };
            self.retiring += block as usize;
            self.retiring_blocks.push_back(block as u32);
            self.tokens -= 1;
            retiring_blocks += 1;
        }
        debug_assert!(self.holds(), "LAP-9 broke the pass identity: {self:?}");
        Shrink {
            freed_now,
            retiring_blocks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RET: Minute = 28 * 24 * 60;

    fn pool(tokens: i64, used: i64) -> GroupPool {
        let mut p = GroupPool::default();
        p.grow(tokens);
        for i in 0..used {
            p.consume(i * 60).unwrap();
        }
        p
    }

    #[test]
    fn lap_9_qlik_example_delete_three_tokens_with_eleven_used() {
        let mut p = pool(3, 11);
        let s = p.shrink(3);
        assert_eq!(
            s,
            Shrink {
                freed_now: 1,
                retiring_blocks: 2
            }
        );
        assert_eq!(
            (p.passes(), p.available, p.used(), p.retiring()),
            (0, 0, 11, 11)
        );
        let mut out = Vec::new();
        // The 10th used pass (consumed at minute 9 × 60) frees the second token ...
        p.return_due(9 * 60 + RET - 1, RET, &mut out);
        assert!(!out.contains(&Returned::BlockFreed));
        assert_eq!(out.len(), 9);
        assert!(matches!(out[8], Returned::Retired { left: 1, .. }));
        p.return_due(9 * 60 + RET, RET, &mut out);
        assert_eq!(
            out.iter().filter(|r| **r == Returned::BlockFreed).count(),
            1
        );
        // ... and the 11th frees the third.
        out.clear();
        p.return_due(10 * 60 + RET, RET, &mut out);
        assert_eq!(out, vec![Returned::BlockFreed]);
        assert!(p.holds());
    }

    #[test]
    fn lap_9_reduction_takes_unused_blocks_first_then_the_oldest() {
        let mut p = pool(3, 11);
        assert_eq!(
            p.shrink(1),
            Shrink {
                freed_now: 1,
                retiring_blocks: 0
            }
        );
        assert_eq!(
            (p.passes(), p.available, p.used(), p.retiring()),
            (20, 9, 11, 0)
        );
        assert_eq!(
            p.shrink(1),
            Shrink {
                freed_now: 0,
                retiring_blocks: 1
            }
        );
        assert_eq!(
            (p.passes(), p.available, p.used(), p.retiring()),
            (10, 9, 11, 10)
        );
    }

    #[test]
    fn lap_7_passes_return_in_consumption_order() {
        let mut p = pool(1, 3);
        let mut out = Vec::new();
        p.return_due(RET + 60, RET, &mut out);
        assert_eq!(
            out,
            vec![
                Returned::Available { consumed_at: 0 },
                Returned::Available { consumed_at: 60 }
            ]
        );
        assert_eq!(p.available, 9);
        assert_eq!(p.next_return(RET), Some(120 + RET));
    }
}
