//! Metered access: Analyzer Capacity blocks (CAP-2, CAP-3) and Qlik Core Sessions
//! (CORE-2, CORE-3).

use super::*;

impl Simulation {
    /// CAP-2, CAP-3: a connection on Analyzer Capacity.
    pub(super) fn start_capacity(&mut self, v: Visit, mut base: Connection) {
        let ui = v.user.index();
        let block = self.settings.capacity_block;
        // CAP-2: `per_user` shares one run of blocks across an identified user's devices;
        // an anonymous user's visits cannot be linked, so each runs its own blocks.
        let per_user =
            self.settings.capacity_parallel == CapacityParallel::PerUser && !base.anonymous;
        base.path = Path::Capacity;
        // CAP-2: a visit with no active time costs no block, and a device joining the
        // user's running block (`per_user`) costs nothing: neither needs the month to fit.
        let needs_block = v.active > 0 && (!per_user || self.users[ui].block_end <= self.now);
        if needs_block && !self.capacity.fits(block) {
            self.deny(v.user, v.device, Rule::Cap3, Refusal::CapacitySpent);
            return;
        }
        let c = self.open_connection(base);
        let open = self.users[ui].conns.len() as u32;
        self.emit(
            Rule::Cap2,
            v.user,
            What::Connected {
                device: v.device,
                via: Via::Capacity,
                open,
            },
        );
        if needs_block {
            let runner = if per_user {
                Runner::User(v.user)
            } else {
                Runner::Connection(c)
            };
            self.consume_block(runner, v.user, v.device);
        }
    }

    /// Consumes one capacity block for `runner` at now (the caller checked it fits).
    pub(super) fn consume_block(&mut self, runner: Runner, user: UserId, device: u32) {
        let block = self.settings.capacity_block;
        self.capacity.consume(block);
        let block_end = self.now + block;
        let (generation, order) = match runner {
            Runner::Connection(c) => {
                let conn = self.conns.get_mut(c);
                conn.block_end = block_end;
                (conn.generation, connection_renewal_order(user, conn.script))
            }
            Runner::User(u) => {
                let rt = &mut self.users[u.index()];
                rt.block_end = block_end;
                rt.block_generation = rt.block_generation.wrapping_add(1);
                (rt.block_generation, u64::from(u.get()) << USER_ORDER_SHIFT)
            }
        };
        if block_end <= self.end {
            self.queue.push(
                block_end,
                Class::Renewal,
                order,
                Timed::CapacityBlockEnd { runner, generation },
            );
        }
        let (used, cap, quota) = (self.capacity.used, self.capacity.cap, self.capacity.quota);
        self.emit(
            Rule::Cap2,
            user,
            What::CapacityBlock {
                minutes: block,
                used,
                cap,
                quota,
                device,
            },
        );
        if let Runner::Connection(c) = runner {
            self.link_last(c);
        }
    }

    /// CAP-2: a block ends; the next starts at once if the user is still active.
    pub(super) fn capacity_block_end(&mut self, runner: Runner, generation: u32) {
        let now = self.now;
        let (user, device, active, conns) = match runner {
            Runner::Connection(c) => {
                if !self.conns.is_live(c, generation) || self.conns.get(c).block_end != now {
                    return;
                }
                let conn = self.conns.get(c);
                (conn.user, conn.device, conn.active_until > now, vec![c])
            }
            Runner::User(u) => {
                let rt = &self.users[u.index()];
                if rt.block_generation != generation || rt.block_end != now {
                    return;
                }
                let mine = self.user_conns(u, |p| p == Path::Capacity);
                let active = mine.iter().any(|c| self.conns.get(*c).active_until > now);
                let device = mine.first().map(|c| self.conns.get(*c).device).unwrap_or(0);
                (u, device, active, mine)
            }
        };
        if !active {
            return;
        }
        if self.capacity.fits(self.settings.capacity_block) {
            self.consume_block(runner, user, device);
        } else {
            self.discontinue(user, &conns, Rule::Cap3);
        }
    }

    /// CORE-2, CORE-3: a connection on Qlik Core.
    pub(super) fn start_core(&mut self, v: Visit, mut base: Connection) {
        let key = CoreKey::of(v.user, v.session);
        let length = self.settings.core_session;
        base.path = Path::Core;
        base.core_session = Some(key);
        let covered = self
            .core_sessions
            .get(&key)
            .and_then(|s| s.covers(self.now, length).then_some(s.latest_start))
            .flatten();
        if let Some(started) = covered {
            // CORE-3: joining a running Core Session needs no new one, so it is admitted
            // even when the month's minutes are spent.
            let c = self.open_connection(base);
            self.core_sessions.entry(key).or_default().open.push(c);
            self.emit(
                Rule::Core2,
                v.user,
                What::CoreJoined {
                    session: key,
                    started,
                },
            );
            return;
        }
        if !self.core.fits(length) {
            self.deny(v.user, v.device, Rule::Core3, Refusal::CoreSpent);
            return;
        }
        let c = self.open_connection(base);
        self.core_sessions.entry(key).or_default().open.push(c);
        self.new_core_session(key, v.user, v.script);
    }

    /// CORE-2: a Core Session of id `key` starts now, triggered by a connection of `user`
    /// opened by visit `script`; its renewal goes in that user's place (TIME-3 Decision).
    pub(super) fn new_core_session(&mut self, key: CoreKey, user: UserId, script: u32) {
        let length = self.settings.core_session;
        self.core.used += length;
        let s = self.core_sessions.entry(key).or_default();
        s.latest_start = Some(self.now);
        s.generation = s.generation.wrapping_add(1);
        let generation = s.generation;
        let at = self.now + length;
        if at <= self.end {
            self.queue.push(
                at,
                Class::Renewal,
                connection_renewal_order(user, script),
                Timed::CoreSessionEnd {
                    session: key,
                    generation,
                },
            );
        }
        let (used, quota) = (self.core.used, self.core.quota);
        self.emit(
            Rule::Core2,
            user,
            What::CoreSession {
                session: key,
                minutes: length,
                used,
                quota,
            },
        );
    }

    /// CORE-2 Decision: a connection still open past its Core Session triggers a new one.
    pub(super) fn core_session_end(&mut self, key: CoreKey, generation: u32) {
        let Some(s) = self.core_sessions.get(&key) else {
            return;
        };
        if s.generation != generation || s.open.is_empty() {
            return;
        }
        let open = s.open.clone();
        // The connection open longest triggers the next Core Session.
        let (user, script) = {
            let first = self.conns.get(open[0]);
            (first.user, first.script)
        };
        if self.core.fits(self.settings.core_session) {
            self.new_core_session(key, user, script);
        } else {
            // CORE-3: discontinued, once per session id.
            self.totals.discontinued += 1;
            self.emit(
                Rule::Core3,
                user,
                What::Discontinued {
                    connections: open.len() as u32,
                },
            );
            for c in open {
                self.close_connection(c, How::Discontinued);
            }
        }
    }
}
