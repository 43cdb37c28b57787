//! Login access passes on the connection side (LAP-2..6, LAP-8): consumption, reuse
//! within the hour, anonymous connections and the hourly renewal.

use super::*;

impl Simulation {
    /// LAP-2, LAP-4, LAP-5, LAP-6, LAP-8: a connection on a login access group.
    pub(super) fn start_login(&mut self, v: Visit, g: GroupId, mut base: Connection) {
        let ui = v.user.index();
        let window = self.settings.login_pass_window;
        base.path = Path::Login(g);
        if base.anonymous {
            // LAP-6: every anonymous connection consumes a new pass.
            let Some(used) = self.consume_pass(g, v.user) else {
                self.count_group_refusal(g, false);
                self.deny(v.user, v.device, Rule::Lap8, Refusal::NoLoginPass);
                return;
            };
            base.pass = 1;
            base.pass_consumed_at = self.now;
            let c = self.open_connection(base);
            self.schedule_conn_renewal(c);
            let passes = self.groups[g as usize].passes();
            self.emit(
                Rule::Lap6,
                v.user,
                What::PassConsumed {
                    group: g,
                    used,
                    passes,
                    why: Consume::Anonymous,
                    device: v.device,
                },
            );
            return;
        }
        let u = &self.users[ui];
        if u.has_pass && self.now < u.pass_consumed_at + window {
            // LAP-4 (reconnect in the same hour) or LAP-5 (parallel device): one pass.
            let parallel = u.login_open > 0;
            let consumed_at = u.pass_consumed_at;
            self.open_connection(base);
            self.schedule_user_renewal(v.user);
            self.emit(
                if parallel { Rule::Lap5 } else { Rule::Lap4 },
                v.user,
                What::PassReused {
                    group: g,
                    device: v.device,
                    parallel,
                    consumed_at,
                },
            );
            return;
        }
        let Some(used) = self.consume_pass(g, v.user) else {
            self.count_group_refusal(g, false);
            self.deny(v.user, v.device, Rule::Lap8, Refusal::NoLoginPass);
            return;
        };
        let u = &mut self.users[ui];
        u.pass = u.pass.wrapping_add(1);
        u.has_pass = true;
        u.renewal_scheduled = false;
        u.pass_consumed_at = self.now;
        self.open_connection(base);
        self.schedule_user_renewal(v.user);
        let passes = self.groups[g as usize].passes();
        self.emit(
            Rule::Lap2,
            v.user,
            What::PassConsumed {
                group: g,
                used,
                passes,
                why: Consume::Start,
                device: v.device,
            },
        );
    }

    /// LAP-2: consumes one pass of group `g` for `user`, or `None` when none is available
    /// (LAP-8). Keeps the totals and the sizing figures.
    pub(super) fn consume_pass(&mut self, g: GroupId, user: UserId) -> Option<i64> {
        let gi = g as usize;
        let used = if self.unlimited_passes {
            Some(self.groups[gi].consume_unlimited(self.now))
        } else {
            self.groups[gi].consume(self.now)
        }?;
        self.totals.passes_consumed += 1;
        self.used_total += 1;
        self.peak_used_total = self.peak_used_total.max(self.used_total);
        self.schedule_return(g);
        let stats = &mut self.group_stats[gi];
        stats.peak_used = stats.peak_used.max(self.groups[gi].used());
        stats.min_available = stats.min_available.min(self.groups[gi].available);
        if let Some(c) = self.user_passes_consumed.get_mut(user.index()) {
            *c += 1;
        }
        if let Some(log) = &mut self.consumptions {
            log.push(Consumption {
                at: self.now,
                user,
                group: g,
            });
        }
        Some(used)
    }

    /// A connection or a session of group `g` was refused (for the sizing figures).
    pub(super) fn count_group_refusal(&mut self, g: GroupId, discontinued: bool) {
        let month = (self.sc.clock.month_index(self.now) - self.first_month).max(0) as usize;
        let stats = &mut self.group_stats[g as usize];
        if discontinued {
            stats.discontinued += 1;
        } else {
            stats.denied += 1;
        }
        if stats.refused_by_month.len() <= month {
            stats.refused_by_month.resize(month + 1, 0);
        }
        stats.refused_by_month[month] += 1;
    }

    /// LAP-3: the identified user's pass runs out while the session is alive.
    pub(super) fn user_renewal(&mut self, user: UserId, pass: u32) {
        let ui = user.index();
        let u = &mut self.users[ui];
        if u.pass != pass {
            return;
        }
        u.renewal_scheduled = false;
        if u.login_open == 0 {
            return;
        }
        let g = match u.access {
            Access::Login(g) => g,
            _ => match u.conns.iter().find_map(|c| match self.conns.get(*c).path {
                Path::Login(g) => Some(g),
                _ => None,
            }) {
                Some(g) => g,
                None => return,
            },
        };
        if self.renew_pass(g, user) {
            let u = &mut self.users[ui];
            u.pass = u.pass.wrapping_add(1);
            u.pass_consumed_at = self.now;
            self.schedule_user_renewal(user);
        } else {
            let conns = self.user_conns(user, |p| matches!(p, Path::Login(_)));
            self.discontinue(user, &conns, Rule::Lap8);
        }
    }

    /// LAP-3 for one anonymous connection.
    pub(super) fn conn_renewal(&mut self, c: u32, generation: u32, pass: u32) {
        if !self.conns.is_live(c, generation) || self.conns.get(c).pass != pass {
            return;
        }
        let (user, path) = {
            let conn = self.conns.get(c);
            (conn.user, conn.path)
        };
        let Path::Login(g) = path else { return };
        if self.renew_pass(g, user) {
            self.link_last(c);
            let conn = self.conns.get_mut(c);
            conn.pass += 1;
            conn.pass_consumed_at = self.now;
            self.schedule_conn_renewal(c);
        } else {
            self.discontinue(user, &[c], Rule::Lap8);
        }
    }

    /// LAP-3: the pass of a renewal, or false when none is left (LAP-8: the caller
    /// discontinues the session).
    fn renew_pass(&mut self, g: GroupId, user: UserId) -> bool {
        let Some(used) = self.consume_pass(g, user) else {
            self.count_group_refusal(g, true);
            return false;
        };
        let passes = self.groups[g as usize].passes();
        self.emit(
            Rule::Lap3,
            user,
            What::PassConsumed {
                group: g,
                used,
                passes,
                why: Consume::Renewal,
                device: 0,
            },
        );
        true
    }

    /// LAP-3: schedules the identified user's renewal when the session will still be alive
    /// as the current pass runs out (a connection ends after that minute). Called whenever
    /// a pass is consumed or a login connection opens or lasts longer; a renewal that
    /// finds the session over, or a newer pass, does nothing.
    pub(super) fn schedule_user_renewal(&mut self, user: UserId) {
        let u = &self.users[user.index()];
        if !u.has_pass || u.renewal_scheduled {
            return;
        }
        let due = u.pass_consumed_at + self.settings.login_pass_window;
        let alive_then = u.conns.iter().any(|c| {
            let conn = self.conns.get(*c);
            matches!(conn.path, Path::Login(_)) && conn.end > due
        });
        if alive_then && due <= self.end {
            let pass = u.pass;
            self.users[user.index()].renewal_scheduled = true;
            self.queue.push(
                due,
                Class::Renewal,
                u64::from(user.get()) << USER_ORDER_SHIFT,
                Timed::UserRenewal { user, pass },
            );
        }
    }

    /// LAP-3, LAP-6: schedules an anonymous connection's renewal if it outlives its pass.
    pub(super) fn schedule_conn_renewal(&mut self, c: u32) {
        let conn = self.conns.get(c);
        let due = conn.pass_consumed_at + self.settings.login_pass_window;
        if conn.end > due && due <= self.end {
            let (generation, pass, order) = (
                conn.generation,
                conn.pass,
                connection_renewal_order(conn.user, conn.script),
            );
            self.queue.push(
                due,
                Class::Renewal,
                order,
                Timed::ConnRenewal {
                    conn: c,
                    generation,
                    pass,
                },
            );
        }
    }
}
