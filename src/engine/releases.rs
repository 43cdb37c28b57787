//! Releases (TIME-3 class 1): monthly resets (TIME-2, CAP-1, CORE-1), login pass
//! returns (LAP-7, LAP-9) and quarantine ends (UAP-3, NU-2).

use super::*;

impl Simulation {
    /// TIME-2, CAP-1, CORE-1: monthly quotas reset at 00:00 on the 1st.
    pub(super) fn monthly_reset(&mut self) {
        let previous = self.sc.clock.month_label(self.now - 1);
        self.capacity_months.push(MonthUsage {
            month: previous,
            quota: self.capacity.quota,
            used: self.capacity.used,
            overage: self.capacity.overage(),
        });
        let used = self.capacity.used + self.core.used;
        let capacity_forfeited = self.capacity.reset();
        let core_forfeited = self.core.reset();
        if self.capacity.quota > 0 || self.core.quota > 0 || used > 0 {
            let rule = if self.capacity.quota > 0 || self.core.quota == 0 {
                Rule::Cap1
            } else {
                Rule::Core1
            };
            self.emit(
                rule,
                None,
                What::MonthStarted {
                    capacity_forfeited,
                    core_forfeited,
                },
            );
        }
        let next = self.sc.clock.next_month_start(self.now);
        if next <= self.end {
            self.queue
                .push(next, Class::Release, 0, Timed::MonthlyReset);
        }
    }

    /// LAP-7, LAP-9: used passes return 28 days after consumption.
    pub(super) fn pass_returns(&mut self, g: GroupId) {
        let gi = g as usize;
        self.return_scheduled[gi] = false;
        let mut out = std::mem::take(&mut self.returned);
        out.clear();
        let ret = self.settings.login_pass_return;
        let before = self.groups[gi].used();
        self.groups[gi].return_due(self.now, ret, &mut out);
        self.used_total -= before - self.groups[gi].used();
        for r in &out {
            match *r {
                Returned::Available { consumed_at } => {
                    let (available, passes) = (self.groups[gi].available, self.groups[gi].passes());
                    self.emit(
                        Rule::Lap7,
                        None,
                        What::PassReturned {
                            group: g,
                            consumed_at,
                            available,
                            passes,
                        },
                    );
                }
                Returned::Retired { consumed_at, left } => {
                    self.emit(
                        Rule::Lap9,
                        None,
                        What::PassRetired {
                            group: g,
                            consumed_at,
                            left: i64::from(left),
                        },
                    );
                }
                Returned::BlockFreed => {
                    self.tokens.moved(Bucket::Pending, Bucket::Free, 1);
                    self.emit(Rule::Lap9, None, What::BlockFreed { group: g });
                }
            }
        }
        self.returned = out;
        self.schedule_return(g);
    }

    pub(super) fn schedule_return(&mut self, g: GroupId) {
        let gi = g as usize;
        if self.return_scheduled[gi] {
            return;
        }
        if let Some(at) = self.groups[gi].next_return(self.settings.login_pass_return) {
            if at <= self.end {
                self.queue.push(
                    at,
                    Class::Release,
                    u64::from(g) + 1,
                    Timed::PassReturn { group: g },
                );
                self.return_scheduled[gi] = true;
            }
        }
    }

    /// UAP-3, NU-2: a quarantine ends at 00:00; the token or seat is free again.
    pub(super) fn quarantine_end(&mut self, alloc: u32, generation: u32) {
        let a = &self.allocations[alloc as usize];
        if a.generation != generation || !matches!(a.status, Status::Quarantined { .. }) {
            return;
        }
        let (seat, user) = (a.seat, a.user);
        self.allocations[alloc as usize].status = Status::Released;
        self.users[user.index()].quarantined.retain(|x| *x != alloc);
        match seat {
            Seat::UserPass => {
                self.tokens.moved(Bucket::Pending, Bucket::Free, 1);
                self.uap_quarantined -= 1;
            }
            _ => self.seat_pools[seat.index() - 1].quarantined -= 1,
        }
        self.emit(removal_rule(seat), user, What::QuarantineEnded { seat });
    }
}
