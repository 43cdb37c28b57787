//! Administrative changes (TIME-3 class 2): allocations and removals of passes and
//! seats (UAP-1, UAP-3, UAP-4, NU-1, NU-2, TOK-3, TOK-4), group sizes (LAP-9, LAP-10),
//! nodes (NODE-2) and the license-service sync (QLS-1).

use super::*;

impl Simulation {
    pub(super) fn administer(&mut self, what: Admin) {
        match what {
            Admin::Group(g) => {
                let k = self.sc.groups[g as usize].tokens;
                match self.tokens.allocate(k, Bucket::LoginGroups) {
                    Ok(()) => {
                        self.groups[g as usize].grow(k);
                        self.emit(
                            Rule::Lap1,
                            None,
                            What::GroupAllocated {
                                group: g,
                                tokens: k,
                            },
                        );
                    }
                    Err(s) => self.emit(
                        Rule::Tok3,
                        None,
                        What::GroupRefused {
                            group: g,
                            tokens: k,
                            needed: s.needed,
                            free: s.free,
                        },
                    ),
                }
            }
            Admin::Seat(u, seat) => {
                let dep = self.users[u.index()].deployment;
                self.assign_seat(u, seat, dep, false);
            }
            Admin::Action(i) => {
                let action = self.sc.actions[i as usize];
                match action.kind {
                    ActionKind::AllocateUserPass(u) => {
                        let dep = self.users[u.index()].deployment;
                        self.assign_seat(u, Seat::UserPass, dep, false);
                    }
                    ActionKind::RemoveUserPass(u) => self.remove_seat(u, Seat::UserPass),
                    ActionKind::ReinstateUserPass(u) => self.reinstate_seat(u, Seat::UserPass),
                    ActionKind::Assign(u, seat, dep) => {
                        self.assign_seat(u, seat, dep, false);
                    }
                    ActionKind::Unassign(u, seat) => self.remove_seat(u, seat),
                    ActionKind::Reinstate(u, seat) => self.reinstate_seat(u, seat),
                    ActionKind::SetGroupTokens(g, n) => self.set_group_tokens(g, n),
                    ActionKind::SetTokens(n) => {
                        let from = self.tokens.total;
                        match self.tokens.set_total(n) {
                            Ok(()) => self.emit(Rule::Tok4, None, What::TokensSet { from, to: n }),
                            Err(committed) => self.emit(
                                Rule::Tok4,
                                None,
                                What::TokensSetRefused { to: n, committed },
                            ),
                        }
                    }
                    ActionKind::DisconnectNode(n) => self.disconnect_node(n),
                    ActionKind::ReconnectNode(n) => self.reconnect_node(n),
                }
            }
        }
    }

    /// UAP-1, NU-1, TOK-3 (and NU-4 when `dynamic`): gives `user` an allocation of `seat`.
    /// Returns the allocation, or `None` when refused (with an event).
    pub(super) fn assign_seat(
        &mut self,
        user: UserId,
        seat: Seat,
        deployment: DeploymentId,
        dynamic: bool,
    ) -> Option<u32> {
        let u = user.index();
        if self.users[u].seats[seat.index()].is_some() {
            self.emit(seat_rule(seat), user, What::SeatAlreadyHeld { seat });
            return None;
        }
        let multi = self.sc.deployments.len() > 1;
        match seat {
            Seat::UserPass => {
                if let Err(s) = self.tokens.allocate(1, Bucket::UserPasses) {
                    self.emit(
                        Rule::Tok3,
                        user,
                        What::SeatRefused {
                            seat,
                            needed: s.needed,
                            free: s.free,
                        },
                    );
                    return None;
                }
            }
            _ => {
                let pi = seat.index() - 1;
                // QLS-1: a deployment sees the others' assignments only after a sync.
                let hidden = if multi {
                    self.unsynced
                        .iter()
                        .filter(|x| {
                            x.deployment != deployment
                                && self.allocations[x.alloc as usize].seat == seat
                        })
                        .count() as i64
                } else {
                    0
                };
                let free = self.seat_pools[pi].free() + hidden;
                if free <= 0 {
                    self.emit(
                        if dynamic { Rule::Nu4 } else { Rule::Nu1 },
                        user,
                        What::SeatRefused {
                            seat,
                            needed: 1,
                            free: free.max(0),
                        },
                    );
                    return None;
                }
                self.seat_pools[pi].assigned += 1;
            }
        }
        let id = self.allocations.len() as u32;
        self.allocations.push(Allocation {
            seat,
            user,
            status: Status::Allocated,
            last_use: None,
            generation: 0,
        });
        self.users[u].seats[seat.index()] = Some(id);
        if multi && seat != Seat::UserPass {
            self.unsynced.push(Unsynced {
                alloc: id,
                deployment,
            });
            self.emit(Rule::Qls1, user, What::AssignPending { seat, deployment });
        }
        if dynamic {
            self.emit(Rule::Nu4, user, What::SeatAllocated { seat, dynamic });
        } else {
            self.emit(seat_rule(seat), user, What::SeatAllocated { seat, dynamic });
        }
        Some(id)
    }

    /// UAP-3, NU-2: removes a user's allocation; quarantined from its last use.
    pub(super) fn remove_seat(&mut self, user: UserId, seat: Seat) {
        let u = user.index();
        let Some(alloc) = self.users[u].seats[seat.index()] else {
            self.emit(removal_rule(seat), user, What::SeatNotHeld { seat });
            return;
        };
        // Removal closes the holder's open connections; that moment counts as a use.
        let open = self.user_conns(user, |p| p == Path::Seat(seat, alloc));
        for c in open {
            self.close_connection(c, How::Removed);
        }
        self.users[u].seats[seat.index()] = None;
        self.unsynced.retain(|x| x.alloc != alloc);
        let release = quarantine::release(
            self.allocations[alloc as usize].last_use,
            self.settings.quarantine,
            self.now,
        );
        let a = &mut self.allocations[alloc as usize];
        match release {
            Removal::NeverUsed | Removal::LongAgo { .. } => {
                a.status = Status::Released;
                match seat {
                    Seat::UserPass => self.tokens.moved(Bucket::UserPasses, Bucket::Free, 1),
                    _ => self.seat_pools[seat.index() - 1].assigned -= 1,
                }
            }
            Removal::Quarantined { until, .. } => {
                a.status = Status::Quarantined { until };
                a.generation = a.generation.wrapping_add(1);
                let generation = a.generation;
                self.users[u].quarantined.push(alloc);
                match seat {
                    Seat::UserPass => {
                        self.tokens.moved(Bucket::UserPasses, Bucket::Pending, 1);
                        self.uap_quarantined += 1;
                    }
                    _ => {
                        let p = &mut self.seat_pools[seat.index() - 1];
                        p.assigned -= 1;
                        p.quarantined += 1;
                    }
                }
                if until <= self.end {
                    self.queue.push(
                        until,
                        Class::Release,
                        (1 << 40) + u64::from(alloc),
                        Timed::QuarantineEnd { alloc, generation },
                    );
                }
            }
        }
        self.emit(
            removal_rule(seat),
            user,
            What::SeatRemoved {
                seat,
                release: release.into(),
            },
        );
    }

    /// UAP-4, NU-2: reinstating the same user during quarantine ends the quarantine.
    pub(super) fn reinstate_seat(&mut self, user: UserId, seat: Seat) {
        let u = user.index();
        if self.users[u].seats[seat.index()].is_some() {
            self.emit(
                reinstate_rule(seat),
                user,
                What::ReinstateRefused {
                    seat,
                    holds_one: true,
                },
            );
            return;
        }
        let found = self.users[u]
            .quarantined
            .iter()
            .rev()
            .copied()
            .find(|a| self.allocations[*a as usize].seat == seat);
        let Some(alloc) = found else {
            self.emit(
                reinstate_rule(seat),
                user,
                What::ReinstateRefused {
                    seat,
                    holds_one: false,
                },
            );
            return;
        };
        self.users[u].quarantined.retain(|x| *x != alloc);
        let a = &mut self.allocations[alloc as usize];
        a.status = Status::Allocated;
        a.generation = a.generation.wrapping_add(1);
        self.users[u].seats[seat.index()] = Some(alloc);
        match seat {
            Seat::UserPass => {
                self.tokens.moved(Bucket::Pending, Bucket::UserPasses, 1);
                self.uap_quarantined -= 1;
            }
            _ => {
                let p = &mut self.seat_pools[seat.index() - 1];
                p.quarantined -= 1;
                p.assigned += 1;
            }
        }
        self.emit(reinstate_rule(seat), user, What::Reinstated { seat });
    }

    /// LAP-9, LAP-10, TOK-3: a group's tokens change.
    pub(super) fn set_group_tokens(&mut self, g: GroupId, to: i64) {
        let gi = g as usize;
        let from = self.groups[gi].tokens;
        if to > from {
            if let Err(s) = self.tokens.allocate(to - from, Bucket::LoginGroups) {
                self.emit(
                    Rule::Tok3,
                    None,
                    What::GroupRefused {
                        group: g,
                        tokens: to - from,
                        needed: s.needed,
                        free: s.free,
                    },
                );
                return;
            }
            self.groups[gi].grow(to - from);
            self.emit(
                Rule::Lap10,
                None,
                What::GroupResized {
                    group: g,
                    from,
                    to,
                    freed_now: 0,
                    retiring: 0,
                },
            );
        } else {
            let s = self.groups[gi].shrink(from - to);
            self.tokens
                .moved(Bucket::LoginGroups, Bucket::Free, s.freed_now);
            self.tokens
                .moved(Bucket::LoginGroups, Bucket::Pending, s.retiring_blocks);
            self.emit(
                Rule::Lap9,
                None,
                What::GroupResized {
                    group: g,
                    from,
                    to,
                    freed_now: s.freed_now,
                    retiring: s.retiring_blocks,
                },
            );
        }
    }

    /// NODE-2: a node loses its central node; after the grace it is cut off.
    pub(super) fn disconnect_node(&mut self, n: NodeId) {
        let grace = self.settings.node_grace;
        let link = &mut self.nodes[n as usize];
        let at = match link.disconnected_at {
            Some(since) => since + grace,
            None => {
                link.disconnected_at = Some(self.now);
                link.generation = link.generation.wrapping_add(1);
                let generation = link.generation;
                let at = self.now + grace;
                if at <= self.end {
                    self.queue.push(
                        at,
                        Class::Admin,
                        0,
                        Timed::NodeCutOff {
                            node: n,
                            generation,
                        },
                    );
                }
                at
            }
        };
        self.emit(
            Rule::Node2,
            None,
            What::NodeDisconnected {
                node: n,
                cut_off_at: at,
            },
        );
    }

    pub(super) fn node_cut_off(&mut self, n: NodeId, generation: u32) {
        let link = &mut self.nodes[n as usize];
        if link.generation != generation || link.disconnected_at.is_none() {
            return;
        }
        link.cut_off = true;
        // All user access to the node is denied: its open connections close.
        let mut affected: Vec<UserId> = Vec::new();
        let mut closing: Vec<u32> = Vec::new();
        for (ui, u) in self.users.iter().enumerate() {
            for &c in &u.conns {
                if self.conns.get(c).node == n {
                    closing.push(c);
                    if affected.last() != Some(&UserId::new(ui)) {
                        affected.push(UserId::new(ui));
                    }
                }
            }
        }
        self.emit(
            Rule::Node2,
            None,
            What::NodeCutOff {
                node: n,
                closed: closing.len() as u32,
            },
        );
        for &user in &affected {
            let mine: Vec<u32> = closing
                .iter()
                .copied()
                .filter(|c| self.conns.get(*c).user == user)
                .collect();
            self.discontinue(user, &mine, Rule::Node2);
        }
    }

    pub(super) fn reconnect_node(&mut self, n: NodeId) {
        let link = &mut self.nodes[n as usize];
        if link.disconnected_at.is_none() {
            self.emit(Rule::Node2, None, What::NodeNotDisconnected { node: n });
            return;
        }
        link.disconnected_at = None;
        link.cut_off = false;
        link.generation = link.generation.wrapping_add(1);
        self.emit(Rule::Node2, None, What::NodeReconnected { node: n });
    }

    /// QLS-1: deployments sharing a license sync assignments every `sync_interval`; when
    /// two took the last free allocation within one interval, the later one is rejected.
    pub(super) fn sync(&mut self) {
        let pending = std::mem::take(&mut self.unsynced);
        for seat in [Seat::Professional, Seat::Analyzer] {
            let pi = seat.index() - 1;
            let mine: Vec<Unsynced> = pending
                .iter()
                .copied()
                .filter(|x| self.allocations[x.alloc as usize].seat == seat)
                .collect();
            // The excess over the license, rejected from the latest assignment back.
            let excess = (-self.seat_pools[pi].free()).max(0) as usize;
            let keep = mine.len().saturating_sub(excess);
            for (i, x) in mine.iter().enumerate() {
                let user = self.allocations[x.alloc as usize].user;
                if i < keep {
                    self.emit(
                        Rule::Qls1,
                        user,
                        What::SyncAccepted {
                            seat,
                            deployment: x.deployment,
                        },
                    );
                } else {
                    let winner = mine
                        .get(keep.saturating_sub(1))
                        .map(|w| self.allocations[w.alloc as usize].user)
                        .unwrap_or(user);
                    self.emit(
                        Rule::Qls1,
                        user,
                        What::SyncRejected {
                            seat,
                            deployment: x.deployment,
                            winner,
                        },
                    );
                    self.void_assignment(x.alloc, Rule::Qls1);
                }
            }
        }
        let next = self.now + self.settings.sync_interval;
        if next <= self.end {
            self.queue.push(next, Class::Admin, 0, Timed::Sync);
        }
    }

    /// A rejected assignment never existed: its seat returns at once and the user's
    /// connections on it close.
    pub(super) fn void_assignment(&mut self, alloc: u32, rule: Rule) {
        let (seat, user) = {
            let a = &self.allocations[alloc as usize];
            (a.seat, a.user)
        };
        let u = user.index();
        let open = self.user_conns(user, |p| p == Path::Seat(seat, alloc));
        if !open.is_empty() {
            self.discontinue(user, &open, rule);
        }
        if self.users[u].seats[seat.index()] == Some(alloc) {
            self.users[u].seats[seat.index()] = None;
        }
        self.allocations[alloc as usize].status = Status::Released;
        self.seat_pools[seat.index() - 1].assigned -= 1;
    }
}
