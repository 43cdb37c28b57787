//! Connections (TIME-3 classes 3 and 4): what a visit may use (UAP-1, NU-1, NU-4), the
//! parallel cap and cool-down (UAP-2, LAP-5, NU-3, CONN-1), tabs of one browser (CONN-0),
//! opening, closing and discontinuing.

use super::*;

impl Simulation {
    pub(super) fn deny(&mut self, user: UserId, device: u32, rule: Rule, reason: Refusal) {
        self.totals.denied += 1;
        self.emit(rule, user, What::Denied { device, reason });
    }

    /// What a connection of `user` would use (UAP-1, UAP-2, NU-1, NU-4), or why it is
    /// refused.
    pub(super) fn plan(&self, user: UserId) -> Result<Plan, (Rule, Refusal)> {
        let u = &self.users[user.index()];
        // UAP-2: a holder of a User Access Pass, Professional or Analyzer allocation
        // connects on it whatever their `access`.
        for seat in [Seat::UserPass, Seat::Professional, Seat::Analyzer] {
            if let Some(a) = u.seats[seat.index()] {
                return Ok(Plan::Seat(seat, a));
            }
        }
        match u.access {
            Access::UserPass => Err((Rule::Uap1, Refusal::NoAccessPass)),
            Access::Professional | Access::Analyzer => Err((Rule::Nu1, Refusal::NoAccessPass)),
            Access::Login(g) => Ok(Plan::Login(g)),
            // NU-4: a license without `analyzer_capacity_packs` has no Analyzer Capacity
            // (`overage` alone grants none): no access pass.
            Access::Capacity if !self.capacity.licensed => Err((Rule::Nu4, Refusal::NoCapacity)),
            Access::Capacity => Ok(Plan::Capacity),
            Access::Core => Ok(Plan::Core),
            Access::Dynamic => {
                // UAP-1: NU-4 can only give an anonymous user Analyzer Capacity.
                let named = !u.anonymous;
                if named && self.seat_free_for(Seat::Professional, u.deployment) {
                    Ok(Plan::Dynamic(Seat::Professional))
                } else if named && self.seat_free_for(Seat::Analyzer, u.deployment) {
                    Ok(Plan::Dynamic(Seat::Analyzer))
                } else if self.capacity.licensed {
                    Ok(Plan::DynamicCapacity)
                } else {
                    Err((Rule::Nu4, Refusal::NoAccessPass))
                }
            }
        }
    }

    pub(super) fn seat_free_for(&self, seat: Seat, deployment: DeploymentId) -> bool {
        let pi = seat.index() - 1;
        let hidden = if self.sc.deployments.len() > 1 {
            self.unsynced
                .iter()
                .filter(|x| {
                    x.deployment != deployment && self.allocations[x.alloc as usize].seat == seat
                })
                .count() as i64
        } else {
            0
        };
        self.seat_pools[pi].free() + hidden > 0
    }

    /// The user's open connections whose path passes `on`.
    pub(super) fn user_conns(&self, user: UserId, on: impl Fn(Path) -> bool) -> Vec<u32> {
        self.users[user.index()]
            .conns
            .iter()
            .copied()
            .filter(|c| on(self.conns.get(*c).path))
            .collect()
    }

    /// A visit starts (class 4 of TIME-3).
    pub(super) fn start_visit(&mut self, v: Visit) {
        let ui = v.user.index();
        let anonymous = self.users[ui].anonymous;
        let timeout = if v.ends == Ends::Timeout {
            self.settings.inactivity_timeout
        } else {
            0
        };
        let conn_end = v.at + v.active + timeout;
        let active_until = v.at + v.active;

        // CONN-0: two overlapping visits of one identified user on the same device are
        // one connection (two tabs of one browser), ending at the later end.
        if !anonymous {
            let same_device = self.users[ui]
                .conns
                .iter()
                .copied()
                .find(|c| self.conns.get(*c).device == v.device);
            if let Some(c) = same_device {
                self.merge_visit(c, v, conn_end, active_until);
                return;
            }
        }

        // NODE-2: a node cut off from the central node admits no one.
        if self.nodes.get(v.node as usize).is_some_and(|n| n.cut_off) {
            self.deny(v.user, v.device, Rule::Node2, Refusal::NodeCutOff(v.node));
            return;
        }

        let plan = match self.plan(v.user) {
            Ok(p) => p,
            Err((rule, reason)) => {
                self.deny(v.user, v.device, rule, reason);
                return;
            }
        };

        // UAP-2, LAP-5, NU-3, CONN-1: the parallel cap and its cool-down apply to every
        // identified user whatever the access (Analyzer Capacity and a dynamic user on
        // what NU-4 gave too); not to anonymous users (CONN-0), nor to Qlik Core.
        let capped = !anonymous && plan != Plan::Core;
        if capped {
            if let Some((rule, reason)) = self.over_cap(v.user, plan) {
                self.deny(v.user, v.device, rule, reason);
                return;
            }
        }

        let base = Connection {
            user: v.user,
            device: v.device,
            node: v.node,
            path: Path::Capacity,
            end: conn_end,
            active_until,
            script: v.script,
            capped,
            anonymous,
            open: true,
            generation: 0,
            pass: 0,
            pass_consumed_at: 0,
            block_end: Minute::MIN,
            core_session: None,
            ends: v.ends,
        };

        self.connect(v, plan, base);
    }

    /// The parallel cap (UAP-2, LAP-5, NU-3) or its cool-down (CONN-1) refuses a new
    /// connection of `user` on `plan`, or None.
    fn over_cap(&mut self, user: UserId, plan: Plan) -> Option<(Rule, Refusal)> {
        let max = self.settings.max_connections as u32;
        let cooldown = self.settings.connection_cooldown;
        let now = self.now;
        let u = &mut self.users[user.index()];
        let open = u.conns.len() as u32;
        let cap_rule = match plan {
            Plan::Seat(Seat::UserPass, _) => Rule::Uap2,
            Plan::Login(_) => Rule::Lap5,
            Plan::Capacity | Plan::DynamicCapacity => Rule::Conn1,
            _ => Rule::Nu3,
        };
        if open >= max {
            return Some((cap_rule, Refusal::Parallel { open }));
        }
        let cooling = u.cooling.count(now, cooldown);
        if open + cooling >= max {
            return Some((Rule::Conn1, Refusal::Cooldown { open, cooling }));
        }
        None
    }

    /// An admitted visit opens its connection on what `plan` gives.
    fn connect(&mut self, v: Visit, plan: Plan, mut base: Connection) {
        let ui = v.user.index();
        match plan {
            Plan::Seat(seat, alloc) => {
                base.path = Path::Seat(seat, alloc);
                self.allocations[alloc as usize].last_use = Some(self.now);
                self.open_connection(base);
                let open = self.users[ui].conns.len() as u32;
                let rule = if seat == Seat::UserPass {
                    Rule::Uap2
                } else {
                    Rule::Nu3
                };
                self.emit(
                    rule,
                    v.user,
                    What::Connected {
                        device: v.device,
                        via: if seat == Seat::UserPass {
                            Via::UserPass
                        } else {
                            Via::Seat(seat)
                        },
                        open,
                    },
                );
            }
            Plan::Dynamic(seat) => {
                let dep = self.users[ui].deployment;
                let Some(alloc) = self.assign_seat(v.user, seat, dep, true) else {
                    self.deny(v.user, v.device, Rule::Nu4, Refusal::NoAccessPass);
                    return;
                };
                base.path = Path::Seat(seat, alloc);
                self.allocations[alloc as usize].last_use = Some(self.now);
                self.open_connection(base);
                let open = self.users[ui].conns.len() as u32;
                self.emit(
                    Rule::Nu3,
                    v.user,
                    What::Connected {
                        device: v.device,
                        via: Via::Seat(seat),
                        open,
                    },
                );
            }
            Plan::Login(g) => self.start_login(v, g, base),
            Plan::Capacity => self.start_capacity(v, base),
            Plan::DynamicCapacity => {
                self.emit(
                    Rule::Nu4,
                    v.user,
                    What::DynamicCapacity { device: v.device },
                );
                self.start_capacity(v, base);
            }
            Plan::Core => self.start_core(v, base),
        }
    }

    /// Another tab of an open connection (CONN-0).
    pub(super) fn merge_visit(&mut self, c: u32, v: Visit, conn_end: Minute, active_until: Minute) {
        let now = self.now;
        let conn = self.conns.get_mut(c);
        let extended = conn_end > conn.end;
        if extended {
            conn.end = conn_end;
            conn.ends = v.ends;
        }
        conn.active_until = conn.active_until.max(active_until);
        let (path, generation, script) = (conn.path, conn.generation, conn.script);
        if extended && conn_end <= self.end {
            self.queue.push(
                conn_end,
                Class::End,
                u64::from(script),
                Timed::ConnectionEnd {
                    conn: c,
                    generation,
                },
            );
        }
        if extended && matches!(path, Path::Login(_)) && !self.users[v.user.index()].anonymous {
            self.schedule_user_renewal(v.user);
        }
        self.emit(Rule::Conn0, v.user, What::TabMerged { device: v.device });
        self.link_last(c);
        // CAP-2: activity after an idle gap starts a new block if none is running.
        if path == Path::Capacity && v.active > 0 {
            let per_user = self.settings.capacity_parallel == CapacityParallel::PerUser;
            let (runner, running) = if per_user {
                (
                    Runner::User(v.user),
                    self.users[v.user.index()].block_end > now,
                )
            } else {
                (Runner::Connection(c), self.conns.get(c).block_end > now)
            };
            if !running {
                if self.capacity.fits(self.settings.capacity_block) {
                    self.consume_block(runner, v.user, v.device);
                } else {
                    let conns = match runner {
                        Runner::Connection(c) => vec![c],
                        Runner::User(u) => self.user_conns(u, |p| p == Path::Capacity),
                    };
                    self.discontinue(v.user, &conns, Rule::Cap3);
                }
            }
        }
    }

    pub(super) fn open_connection(&mut self, c: Connection) -> u32 {
        let (user, end, script, path, anonymous) = (c.user, c.end, c.script, c.path, c.anonymous);
        let id = self.conns.open_new(c);
        self.link_opened(id);
        let generation = self.conns.get(id).generation;
        let u = &mut self.users[user.index()];
        u.conns.push(id);
        if matches!(path, Path::Login(_)) && !anonymous {
            u.login_open += 1;
        }
        if end <= self.end {
            self.queue.push(
                end,
                Class::End,
                u64::from(script),
                Timed::ConnectionEnd {
                    conn: id,
                    generation,
                },
            );
        }
        id
    }

    /// Closes one connection; its end counts as a use of its allocation (UAP-3) and starts
    /// its cool-down (CONN-1).
    pub(super) fn close_connection(&mut self, c: u32, how: How) {
        let conn = self.conns.get(c);
        if !conn.open {
            return;
        }
        let (user, device, path, capped, anonymous, session) = (
            conn.user,
            conn.device,
            conn.path,
            conn.capped,
            conn.anonymous,
            conn.core_session,
        );
        self.conns.close(c);
        let now = self.now;
        let u = &mut self.users[user.index()];
        u.conns.retain(|x| *x != c);
        if matches!(path, Path::Login(_)) && !anonymous {
            u.login_open -= 1;
        }
        if capped {
            u.cooling.push(now, self.settings.connection_cooldown);
        }
        match path {
            Path::Seat(_, alloc) => self.allocations[alloc as usize].last_use = Some(now),
            Path::Core => {
                if let Some(s) = session.and_then(|k| self.core_sessions.get_mut(&k)) {
                    s.open.retain(|x| *x != c);
                }
            }
            _ => {}
        }
        self.link_next(c);
        self.emit(Rule::Conn0, user, What::Disconnected { device, how });
    }

    /// LAP-8, CAP-3, NODE-2: a session ends; all its connections close at this minute and
    /// it counts once as discontinued (CONN-0).
    pub(super) fn discontinue(&mut self, user: UserId, conns: &[u32], rule: Rule) {
        self.totals.discontinued += 1;
        self.emit(
            rule,
            user,
            What::Discontinued {
                connections: conns.len() as u32,
            },
        );
        for &c in conns {
            self.close_connection(c, How::Discontinued);
        }
    }
}
