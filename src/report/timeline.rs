//! Runs a scenario through time: the `run` timeline (one state per step) and the
//! recorded run the app scrubs through (event log, sampled states and checkpoints for
//! the exact state at any minute).

use std::sync::Arc;

use crate::base::time::Minute;
use crate::engine::events::Event;
use crate::engine::{Link, Simulation};
use crate::report::state::State;
use crate::scenario::Scenario;

/// The states at day 0 00:00, `every`, 2 × `every`, … up to and including the end.
pub fn run(sc: &Arc<Scenario>, every: Minute) -> Vec<State> {
    let mut sim = Simulation::new(sc.clone(), false);
    let mut out = Vec::new();
    let every = every.max(1);
    let mut t = 0;
    while t <= sim.end() {
        sim.advance_to(t);
        out.push(State::of(&sim));
        t += every;
    }
    out
}

/// The state at minute `at` (after every event at `at`).
pub fn state_at(sc: &Arc<Scenario>, at: Minute) -> State {
    let mut sim = Simulation::new(sc.clone(), false);
    sim.advance_to(at);
    State::of(&sim)
}

/// The whole event log of a run.
pub fn events(sc: &Arc<Scenario>) -> Vec<Event> {
    let mut sim = Simulation::new(sc.clone(), true);
    sim.advance_to(sim.end());
    sim.take_log()
}

/// The key figures of a run, for comparing two runs side by side.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    /// The most login passes in use at once, across all groups.
    pub peak_used_passes: i64,
    pub passes_consumed: i64,
    pub denied: i64,
    pub discontinued: i64,
    /// Tokens pending (quarantine or retiring passes) at the end.
    pub pending_at_end: i64,
    pub free_at_end: i64,
    pub peak_connections: i64,
    /// Capacity overage minutes, all months together.
    pub overage_minutes: i64,
}

impl Summary {
    pub fn of(sim: &Simulation) -> Summary {
        let st = State::of(sim);
        Summary {
            peak_used_passes: sim.peak_used_passes(),
            passes_consumed: st.totals.passes_consumed,
            denied: st.totals.denied,
            discontinued: st.totals.discontinued,
            pending_at_end: st.tokens.pending,
            free_at_end: st.tokens.free,
            peak_connections: sim.peak_connections(),
            overage_minutes: sim.capacity_months().iter().map(|m| m.overage).sum(),
        }
    }
}

/// Two runs' key figures side by side (`license-lab compare`).
pub fn compare_text(a: (&str, &Summary), b: (&str, &Summary)) -> String {
    let rows: [(&str, i64, i64); 8] = [
        (
            "peak used passes",
            a.1.peak_used_passes,
            b.1.peak_used_passes,
        ),
        ("passes consumed", a.1.passes_consumed, b.1.passes_consumed),
        ("denied", a.1.denied, b.1.denied),
        ("discontinued", a.1.discontinued, b.1.discontinued),
        (
            "tokens pending at the end",
            a.1.pending_at_end,
            b.1.pending_at_end,
        ),
        ("tokens free at the end", a.1.free_at_end, b.1.free_at_end),
        (
            "peak connections",
            a.1.peak_connections,
            b.1.peak_connections,
        ),
        (
            "capacity overage minutes",
            a.1.overage_minutes,
            b.1.overage_minutes,
        ),
    ];
    let wa = a.0.chars().count().clamp(6, 40);
    let wb = b.0.chars().count().clamp(6, 40);
    let mut s = format!("{:<28} {:>wa$} {:>wb$}\n", "", a.0, b.0);
    for (label, x, y) in rows {
        s.push_str(&format!("{label:<28} {x:>wa$} {y:>wb$}\n"));
    }
    s
}

/// A complete recorded run: the event log plus checkpoints from which the exact state
/// at any minute is recomputed quickly.
pub struct Recording {
    pub scenario: Arc<Scenario>,
    pub events: Vec<Event>,
    /// Which connection each connection event concerns (`report::lives`).
    pub links: Vec<Link>,
    checkpoints: Vec<Simulation>,
    pub final_state: State,
    pub summary: Summary,
    pub events_processed: u64,
}

/// How often a [`Recording`] keeps a checkpoint, in simulated minutes.
fn checkpoint_every(sc: &Scenario) -> Minute {
    let end = sc.end().max(1);
    (end / 64).max(crate::base::time::MINUTES_PER_DAY)
}

/// Runs a scenario in slices, so a caller (the app's worker) can report progress and
/// stop between slices.
pub struct Recorder {
    sim: Simulation,
    checkpoints: Vec<Simulation>,
    every: Minute,
    next_checkpoint: Minute,
}

impl Recorder {
    pub fn new(sc: Arc<Scenario>) -> Self {
        let every = checkpoint_every(&sc);
        let mut sim = Simulation::new(sc, true);
        sim.keep_links();
        Recorder {
            checkpoints: vec![sim.checkpoint()],
            sim,
            every,
            next_checkpoint: every,
        }
    }

    /// Simulated minutes done, of [`Recorder::end`].
    pub fn now(&self) -> Minute {
        self.sim.now()
    }

    pub fn end(&self) -> Minute {
        self.sim.end()
    }

    pub fn done(&self) -> bool {
        self.sim.now() >= self.sim.end()
            && self.sim.next_key().is_none_or(|k| k.at > self.sim.end())
    }

    /// Advances by at most `max_events` events; returns true when the run is complete.
    pub fn work(&mut self, max_events: u64) -> bool {
        let start = self.sim.events_processed();
        let end = self.sim.end();
        loop {
            if self.sim.events_processed() - start >= max_events {
                return false;
            }
            let target = self.next_checkpoint.min(end);
            if !self.sim.step(target) {
                // Nothing more before the checkpoint: take it and move on.
                self.sim.advance_to(target);
                if target >= end {
                    return true;
                }
                self.checkpoints.push(self.sim.checkpoint());
                self.next_checkpoint += self.every;
            }
        }
    }

    pub fn finish(mut self) -> Recording {
        while !self.work(u64::MAX) {}
        let final_state = State::of(&self.sim);
        let summary = Summary::of(&self.sim);
        let events_processed = self.sim.events_processed();
        Recording {
            scenario: self.sim.scenario().clone(),
            events: self.sim.take_log(),
            links: self.sim.take_links(),
            checkpoints: self.checkpoints,
            final_state,
            summary,
            events_processed,
        }
    }
}

impl Recording {
    pub fn new(sc: Arc<Scenario>) -> Self {
        Recorder::new(sc).finish()
    }

    /// The exact state at minute `at`: replayed from the nearest checkpoint before it.
    pub fn state_at(&self, at: Minute) -> State {
        let at = at.clamp(0, self.scenario.end());
        // The first checkpoint is the simulation before any event; every later one was
        // taken at a minute after all of that minute's events, so advancing from the
        // latest one not after `at` is exact.
        let i = self.checkpoints[1..].partition_point(|c| c.now() <= at);
        let mut sim = self.checkpoints[i].checkpoint();
        sim.advance_to(at);
        State::of(&sim)
    }

    /// States every `every` minutes from day 0, for charts.
    pub fn sample(&self, every: Minute) -> Vec<State> {
        let every = every.max(1);
        let mut out = Vec::new();
        let mut ci = 0;
        let mut sim = self.checkpoints[0].checkpoint();
        let mut t = 0;
        while t <= self.scenario.end() {
            // Jump ahead to the latest checkpoint not after t.
            while ci + 1 < self.checkpoints.len() && self.checkpoints[ci + 1].now() <= t {
                ci += 1;
            }
            if ci > 0 && self.checkpoints[ci].now() > sim.now() {
                sim = self.checkpoints[ci].checkpoint();
            }
            sim.advance_to(t);
            out.push(State::of(&sim));
            t += every;
        }
        out
    }
}
