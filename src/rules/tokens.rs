//! The token ledger (TOK-1..4): every token is free, allocated to a User Access Pass,
//! allocated to a login access group, or pending.

/// Where a token is (TOK-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Free,
    UserPasses,
    LoginGroups,
    /// Held back by a quarantine (UAP-3) or by passes still being retired (LAP-9).
    Pending,
}

/// Not enough free tokens for an allocation (TOK-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortage {
    pub needed: i64,
    pub free: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenLedger {
    pub total: i64,
    pub free: i64,
    pub user_passes: i64,
    pub login_groups: i64,
    pub pending: i64,
}

impl TokenLedger {
    pub fn new(total: i64) -> Self {
        TokenLedger {
            total,
            free: total,
            ..Default::default()
        }
    }

    fn slot(&mut self, b: Bucket) -> &mut i64 {
        match b {
            Bucket::Free => &mut self.free,
            Bucket::UserPasses => &mut self.user_passes,
            Bucket::LoginGroups => &mut self.login_groups,
            Bucket::Pending => &mut self.pending,
        }
    }

    /// TOK-3: allocates `n` free tokens to `to`, or refuses with what was needed and free.
    pub fn allocate(&mut self, n: i64, to: Bucket) -> Result<(), Shortage> {
        if n > self.free {
            return Err(Shortage {
                needed: n,
                free: self.free,
            });
        }
        self.moved(Bucket::Free, to, n);
        Ok(())
    }

    /// Moves `n` tokens between states; the caller guarantees `from` holds them.
    pub fn moved(&mut self, from: Bucket, to: Bucket, n: i64) {
        debug_assert!(n >= 0);
        *self.slot(from) -= n;
        *self.slot(to) += n;
        debug_assert!(self.holds(), "TOK-1 broken: {self:?}");
    }

    /// TOK-4: tokens may be added at any time; the total may not drop below what is
    /// allocated or pending. On refusal, returns how many tokens are committed.
    pub fn set_total(&mut self, total: i64) -> Result<(), i64> {
        let committed = self.total - self.free;
        if total < committed {
            return Err(committed);
        }
        self.free = total - committed;
        self.total = total;
        Ok(())
    }

    /// TOK-1: free + user_passes + login_groups + pending = total, and nothing negative.
    pub fn holds(&self) -> bool {
        self.free >= 0
            && self.user_passes >= 0
            && self.login_groups >= 0
            && self.pending >= 0
            && self.free + self.user_passes + self.login_groups + self.pending == self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tok_3_refusal_says_needed_and_free_and_changes_nothing() {
        let mut l = TokenLedger::new(2);
        l.allocate(2, Bucket::LoginGroups).unwrap();
        let before = l.clone();
        assert_eq!(
            l.allocate(1, Bucket::UserPasses),
            Err(Shortage { needed: 1, free: 0 })
        );
        assert_eq!(l, before);
    }

    #[test]
    fn tok_4_total_cannot_drop_below_allocated_plus_pending() {
        let mut l = TokenLedger::new(5);
        l.allocate(2, Bucket::UserPasses).unwrap();
        l.moved(Bucket::UserPasses, Bucket::Pending, 1);
        assert_eq!(l.set_total(1), Err(2));
        assert_eq!(l.set_total(2), Ok(()));
        assert_eq!(l.free, 0);
        assert_eq!(l.set_total(10), Ok(()));
        assert_eq!(l.free, 8);
        assert!(l.holds());
    }
}
