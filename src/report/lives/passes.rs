//! The passes of one login access group as lanes (LAP-1, LAP-2, LAP-7, LAP-9, LAP-10):
//! the pass identity of the module's documentation, replayed from the log.

use std::collections::{BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use super::{Run, Window, NONE};
use crate::base::time::{Minute, MINUTES_PER_DAY};
use crate::engine::events::{Consume, What};
use crate::rules::login_pass::PASSES_PER_TOKEN;
use crate::scenario::{GroupId, UserId};

/// A group with more passes than this is drawn in blocks of 10 passes by default.
pub const PASS_LANES: u32 = 100;

/// How a pass came to be consumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// A connection with no live pass (LAP-2).
    Start,
    /// The session outlived its pass (LAP-3).
    Renewal,
    /// Every anonymous connection takes a new pass (LAP-6).
    Anonymous,
}

impl From<Consume> for Why {
    fn from(c: Consume) -> Why {
        match c {
            Consume::Start => Why::Start,
            Consume::Renewal => Why::Renewal,
            Consume::Anonymous => Why::Anonymous,
        }
    }
}

/// One consumption of one pass: from its consumption to its return 28 days later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassUse {
    /// The pass (lane number in its group).
    pub lane: u32,
    /// The `PassConsumed` event.
    pub event: u32,
    pub at: Minute,
    pub user: UserId,
    pub why: Why,
    /// The return (`PassReturned`, `PassRetired` or `BlockFreed`); [`NONE`]: still out
    /// at the end.
    pub returned: u32,
    /// The reduction (`GroupResized`) that retired its block (LAP-9); [`NONE`]: none.
    pub retiring: u32,
}

/// How a pass left its group (LAP-9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftHow {
    /// In a block of 10 unused passes: its token was free at once.
    FreedAtOnce,
    /// Unused, in a block that still had used passes: retired at once; the block's token
    /// stays pending until they return.
    RetiredUnused,
    /// Used, in a retired block: it retired when it returned.
    RetiredOnReturn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaving {
    pub event: u32,
    pub at: Minute,
    pub how: LeftHow,
}

/// A LAP-9 block retired with used passes in it: its token is pending until the last
/// of them returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetiringBlock {
    /// The reduction (`GroupResized`).
    pub resized: u32,
    /// Used passes in the block when it retired.
    pub passes: u32,
    /// The `BlockFreed` event; [`NONE`]: still pending at the end.
    pub freed: u32,
    /// When its last used pass returns (LAP-7), in the run or after it.
    pub frees_at: Minute,
}

/// The passes of one group over the run.
#[derive(Debug, Clone, Default)]
pub struct GroupLives {
    pub group: GroupId,
    /// Per lane: the event that brought the pass into the group.
    pub joined: Vec<u32>,
    /// Per lane: how and when the pass left the group (LAP-9).
    pub left: Vec<Option<Leaving>>,
    /// Every consumption, in order (= event order).
    pub uses: Vec<PassUse>,
    /// Retired blocks with used passes, in order of retirement.
    pub blocks: Vec<RetiringBlock>,
    /// Every change of the group's tokens: (event, tokens after).
    pub sizes: Vec<(u32, i64)>,
    /// The uses of each lane in time order, CSR over `uses`.
    lane_start: Vec<u32>,
    lane_uses: Vec<u32>,
    replay: Replay,
}

/// The pool while the log is read.
#[derive(Debug, Clone, Default)]
struct Replay {
    available: BTreeSet<u32>,
    /// Uses not yet returned, in order of consumption; the first `retiring` retire.
    used: VecDeque<u32>,
    retiring: usize,
    /// Retiring blocks (indices into `blocks`) and their passes still out, oldest first.
    open_blocks: VecDeque<(u32, u32)>,
}

impl GroupLives {
    pub(super) fn new(group: GroupId) -> Self {
        GroupLives {
            group,
            ..Default::default()
        }
    }

    /// How many lanes (pass numbers) the group had over the run.
    pub fn lanes(&self) -> u32 {
        self.joined.len() as u32
    }

    /// LAP-1, LAP-9, LAP-10: the group's tokens go from `from` to `to`.
    pub(super) fn resize(&mut self, event: u32, from: i64, to: i64, freed_now: i64, retiring: i64) {
        self.sizes.push((event, to));
        if to > from {
            for _ in 0..(to - from) * PASSES_PER_TOKEN {
                let lane = self.joined.len() as u32;
                self.joined.push(event);
                self.left.push(None);
                self.replay.available.insert(lane);
            }
            return;
        }
        // LAP-9, as `GroupPool::shrink`: the in-use passes lined up oldest first, cut
        // into blocks of 10; all-available blocks free at once, then the oldest used
        // blocks (with the available rest of the boundary block) retire.
        let r = &mut self.replay;
        let in_use = (r.used.len() - r.retiring) as i64;
        let full = in_use / PASSES_PER_TOKEN;
        let rem = in_use % PASSES_PER_TOKEN;
        let boundary_available = if rem > 0 { PASSES_PER_TOKEN - rem } else { 0 };
        self.retire_available(event, freed_now * PASSES_PER_TOKEN, LeftHow::FreedAtOnce);
        for i in 0..retiring {
            let n = if i < full {
                PASSES_PER_TOKEN
            } else {
                self.retire_available(event, boundary_available, LeftHow::RetiredUnused);
                rem
            };
            let r = &mut self.replay;
            let mut last_at = 0;
            for k in r.retiring..r.retiring + n as usize {
                if let Some(&u) = r.used.get(k) {
                    self.uses[u as usize].retiring = event;
                    last_at = self.uses[u as usize].at;
                }
            }
            r.retiring += n as usize;
            r.open_blocks
                .push_back((self.blocks.len() as u32, n as u32));
            self.blocks.push(RetiringBlock {
                resized: event,
                passes: n as u32,
                freed: NONE,
                frees_at: last_at,
            });
        }
    }

    /// Retires `n` available passes, the highest-numbered first.
    fn retire_available(&mut self, event: u32, n: i64, how: LeftHow) {
        for _ in 0..n {
            let Some(lane) = self.replay.available.pop_last() else {
                return;
            };
            self.left[lane as usize] = Some(Leaving { event, at: 0, how });
        }
    }

    /// LAP-2: a consumption takes the lowest-numbered available pass.
    pub(super) fn consume(&mut self, event: u32, at: Minute, user: UserId, why: Why) {
        let lane = match self.replay.available.pop_first() {
            Some(l) => l,
            None => {
                // Never in a recorded run (the engine refuses, LAP-8); a lane of its own
                // keeps the replay going should the log say otherwise.
                let l = self.joined.len() as u32;
                self.joined.push(event);
                self.left.push(None);
                l
            }
        };
        self.replay.used.push_back(self.uses.len() as u32);
        self.uses.push(PassUse {
            lane,
            event,
            at,
            user,
            why,
            returned: NONE,
            retiring: NONE,
        });
    }

    /// LAP-7, LAP-9: the oldest used pass returns (to its lane, or retires).
    pub(super) fn pass_returns(&mut self, event: u32, what: &What) {
        let r = &mut self.replay;
        let Some(u) = r.used.pop_front() else { return };
        let pass = &mut self.uses[u as usize];
        pass.returned = event;
        debug_assert_eq!(
            r.retiring > 0,
            !matches!(what, What::PassReturned { .. }),
            "the lanes disagree with the log on a return"
        );
        if r.retiring > 0 {
            r.retiring -= 1;
            self.left[pass.lane as usize] = Some(Leaving {
                event,
                at: 0,
                how: LeftHow::RetiredOnReturn,
            });
            if let Some(front) = r.open_blocks.front_mut() {
                front.1 -= 1;
                if front.1 == 0 {
                    self.blocks[front.0 as usize].freed = event;
                    r.open_blocks.pop_front();
                }
            }
        } else {
            r.available.insert(pass.lane);
        }
    }

    pub(super) fn finish(&mut self) {
        self.replay = Replay::default();
        let n = self.joined.len();
        let mut start = vec![0u32; n + 1];
        for u in &self.uses {
            start[u.lane as usize + 1] += 1;
        }
        for k in 0..n {
            start[k + 1] += start[k];
        }
        let mut fill = start.clone();
        let mut items = vec![0u32; self.uses.len()];
        for (i, u) in self.uses.iter().enumerate() {
            let slot = &mut fill[u.lane as usize];
            items[*slot as usize] = i as u32;
            *slot += 1;
        }
        self.lane_start = start;
        self.lane_uses = items;
    }

    /// Fills in the minutes the replay left out (it reads events, not their times).
    pub(super) fn times(&mut self, run: &Run, return_after: Minute) {
        for l in self.left.iter_mut().flatten() {
            l.at = run.at(l.event);
        }
        for b in &mut self.blocks {
            b.frees_at += return_after;
        }
    }

    /// The uses of lane `lane`, in time order.
    pub fn uses_of(&self, lane: u32) -> impl Iterator<Item = &PassUse> {
        let l = lane as usize;
        let range = match (self.lane_start.get(l), self.lane_start.get(l + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        };
        self.lane_uses[range]
            .iter()
            .map(|&i| &self.uses[i as usize])
    }

    /// The group's tokens after the first `bound` events.
    pub fn tokens_at(&self, bound: u32) -> i64 {
        let i = self.sizes.partition_point(|(e, _)| *e < bound);
        if i == 0 {
            0
        } else {
            self.sizes[i - 1].1
        }
    }

    /// The uses out (consumed, not yet returned) after the first `bound` events.
    pub fn used_at(&self, bound: u32) -> impl Iterator<Item = (u32, &PassUse)> {
        let n = self.uses.partition_point(|u| u.event < bound);
        self.uses[..n]
            .iter()
            .enumerate()
            .filter(move |(_, u)| u.returned == NONE || u.returned >= bound)
            .map(|(i, u)| (i as u32, u))
    }

    /// The number of the use that was consumed by event `event`.
    pub fn use_of_event(&self, event: u32) -> Option<u32> {
        let i = self.uses.partition_point(|u| u.event < event);
        (self.uses.get(i)?.event == event).then_some(i as u32)
    }

    /// Rows of `block` passes by default for this group.
    pub fn default_block(&self) -> u32 {
        if self.lanes() > PASS_LANES {
            10
        } else {
            1
        }
    }

    /// The lanes in a window: one per pass (`block == 1`) or aggregated in rows of
    /// `block` consecutive passes.
    pub fn view(&self, run: &Run, q: Window) -> PassLanes {
        let sc = run.scenario;
        let q = q.clamp(sc.end());
        let block = if q.block == 0 {
            self.default_block()
        } else {
            q.block
        };
        let lanes = self.lanes();
        let rows_total = lanes.div_ceil(block);
        let first = q.first.min(rows_total);
        let last = first.saturating_add(q.count).min(rows_total);
        let mut view = PassLanes {
            group: sc.group_name(self.group).to_string(),
            from: q.from,
            to: q.to,
            window: sc.settings.login_pass_window,
            return_after: sc.settings.login_pass_return,
            passes: lanes,
            block,
            first,
            rows_total,
            lanes: Vec::new(),
            blocks: Vec::new(),
            bucket: 0,
        };
        if block == 1 {
            view.lanes = (first..last).map(|l| self.lane_view(run, l, &q)).collect();
        } else {
            // Buckets of equal width over [from, to); the last minute joins the last one.
            let span = (q.to - q.from).max(1);
            let buckets = if q.buckets == 0 {
                ceil_div(span, MINUTES_PER_DAY).clamp(1, i64::from(super::MAX_BUCKETS))
            } else {
                i64::from(q.buckets)
            };
            let width = ceil_div(span, buckets).max(1);
            view.bucket = width;
            let n = ceil_div(span, width) as usize;
            view.blocks = (first..last)
                .map(|row| self.block_view(run, row, block, &q, width, n))
                .collect();
        }
        view
    }

    fn lane_view(&self, run: &Run, lane: u32, q: &Window) -> PassLane {
        let sc = run.scenario;
        let ret = sc.settings.login_pass_return;
        let window = sc.settings.login_pass_window;
        let uses = self
            .uses_of(lane)
            .filter(|u| q.meets(u.at, Some(u.at + ret)))
            .map(|u| PassBar {
                event: u.event,
                user: run.user_name(u.user),
                why: u.why,
                consumed: u.at,
                live_until: (u.at + window).min(u.at + ret),
                returns: u.at + ret,
                returned: u.returned != NONE,
                retiring: run.at_opt(u.retiring),
            })
            .collect();
        PassLane {
            pass: lane + 1,
            joined: run.at(self.joined[lane as usize]),
            left: self.left[lane as usize],
            uses,
        }
    }

    fn block_view(
        &self,
        run: &Run,
        row: u32,
        block: u32,
        q: &Window,
        width: Minute,
        n: usize,
    ) -> BlockLane {
        let ret = run.scenario.settings.login_pass_return;
        let lo = row * block;
        let hi = (lo + block).min(self.lanes());
        // Passes in use at some minute of each bucket: a difference array per row, each
        // lane's uses merged so a lane counts once per bucket.
        let mut diff = vec![0i64; n + 1];
        let mut consumed = vec![0u32; n];
        let mut gone = 0;
        let bucket_of = |m: Minute| ((((m - q.from).max(0)) / width) as usize).min(n - 1);
        for lane in lo..hi {
            if self.left[lane as usize].is_some_and(|l| run.at(l.event) <= q.to) {
                gone += 1;
            }
            let mut marked_to: Option<usize> = None;
            for u in self.uses_of(lane) {
                let end = u.at + ret - 1;
                if u.at > q.to || end < q.from {
                    continue;
                }
                let b0 = bucket_of(u.at.max(q.from));
                let b1 = bucket_of(end.min(q.to));
                if u.at >= q.from {
                    consumed[b0] += 1;
                }
                let start = match marked_to {
                    Some(m) if m >= b0 => m + 1,
                    _ => b0,
                };
                if start <= b1 {
                    diff[start] += 1;
                    diff[b1 + 1] -= 1;
                    marked_to = Some(b1);
                }
            }
        }
        let mut used = Vec::with_capacity(n);
        let mut running = 0i64;
        for d in diff.iter().take(n) {
            running += d;
            used.push(running as u32);
        }
        BlockLane {
            first_pass: lo + 1,
            passes: hi - lo,
            used,
            consumed,
            gone,
        }
    }
}

/// The passes of a group in a window (`license-lab lanes FILE --group NAME`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassLanes {
    pub group: String,
    pub from: Minute,
    pub to: Minute,
    /// LAP-2: a pass is live this long after its consumption.
    pub window: Minute,
    /// LAP-7: a pass returns this long after its consumption.
    pub return_after: Minute,
    /// Passes (lane numbers) the group had over the run.
    pub passes: u32,
    /// Passes per row.
    pub block: u32,
    /// The first row shown, of `rows_total`.
    pub first: u32,
    pub rows_total: u32,
    /// One row per pass (`block == 1`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub lanes: Vec<PassLane>,
    /// One row per `block` passes (`block > 1`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub blocks: Vec<BlockLane>,
    /// Minutes per bucket of `blocks`.
    #[serde(skip_serializing_if = "is_zero", default)]
    pub bucket: Minute,
}

/// `a / b` rounded up, for positive numbers.
fn ceil_div(a: i64, b: i64) -> i64 {
    (a + b - 1) / b.max(1)
}

fn is_zero(m: &Minute) -> bool {
    *m == 0
}

/// One pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassLane {
    /// 1-based: "pass 3".
    pub pass: u32,
    /// When the pass came into the group.
    pub joined: Minute,
    /// When and how it left (LAP-9), if it did.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub left: Option<Leaving>,
    /// Its consumptions that meet the window.
    pub uses: Vec<PassBar>,
}

/// One consumption of a pass: live from `consumed` to `live_until` (LAP-2), then
/// waiting until `returns` (LAP-7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassBar {
    /// The `PassConsumed` event.
    pub event: u32,
    pub user: String,
    pub why: Why,
    pub consumed: Minute,
    pub live_until: Minute,
    pub returns: Minute,
    /// False: still out at the end of the run (`returns` is after it).
    pub returned: bool,
    /// When its block retired (LAP-9): it leaves the group when it returns.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub retiring: Option<Minute>,
}

/// `passes` consecutive passes from `first_pass`, over the window's buckets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockLane {
    pub first_pass: u32,
    pub passes: u32,
    /// Passes of the row in use at some minute of each bucket.
    pub used: Vec<u32>,
    /// Passes of the row consumed in each bucket.
    pub consumed: Vec<u32>,
    /// Passes of the row that left the group (LAP-9) by the window's end.
    pub gone: u32,
}
