//! The state at a moment: the counts of SCENARIOS.md's State JSON, plus the project's own
//! extra keys (`nodes`, `deployments`, `costs`) where the scenario uses them.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::engine::Simulation;
/// The running totals are the engine's own; the State shows them as they are.
pub use crate::engine::Totals;
use crate::rules::quarantine::SeatPool;
use crate::scenario::{DeploymentId, NodeRole, Seat, UserId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenCounts {
    pub total: i64,
    pub free: i64,
    pub user_passes: i64,
    pub login_groups: i64,
    pub pending: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPassCounts {
    pub allocated: i64,
    pub quarantined: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupCounts {
    pub passes: i64,
    pub available: i64,
    pub used: i64,
    pub retiring: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatCounts {
    pub total: i64,
    pub assigned: i64,
    pub quarantined: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacityCounts {
    pub month: String,
    pub quota: i64,
    pub used: i64,
    pub overage: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoreCounts {
    pub month: String,
    pub quota: i64,
    pub used: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeCounts {
    /// `central` or `rim`.
    pub role: String,
    pub engine: bool,
    pub cores: i64,
    pub connected: bool,
    pub accepting: bool,
    pub connections: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentCounts {
    pub professional: i64,
    pub analyzer: i64,
    pub unsynced: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Costs {
    pub currency: String,
    /// Licensed tokens × price per token.
    pub tokens: f64,
    pub professional: f64,
    pub analyzer: f64,
    pub capacity_packs: f64,
    /// This month's overage minutes × price per overage minute.
    pub overage: f64,
    pub total: f64,
}

/// A map serialised in a fixed order (file order of groups, nodes, deployments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Read back in document order (the app reads the State JSON the worker writes).
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Entries<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, T>()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(Entries(std::marker::PhantomData))
    }
}

impl<T> Ordered<T> {
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// The state after every event at `at` has been applied (TIME-3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub at: String,
    pub tokens: TokenCounts,
    pub user_passes: UserPassCounts,
    pub groups: Ordered<GroupCounts>,
    pub professional: SeatCounts,
    pub analyzer: SeatCounts,
    pub capacity: CapacityCounts,
    pub core: CoreCounts,
    pub connections: i64,
    pub totals: Totals,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nodes: Option<Ordered<NodeCounts>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployments: Option<Ordered<DeploymentCounts>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub costs: Option<Costs>,
}

impl State {
    /// The state of `sim` after every event at its current minute (SCENARIOS.md's State
    /// JSON).
    pub fn of(sim: &Simulation) -> State {
        let sc = sim.scenario();
        let clock = &sc.clock;
        let now = sim.now();
        let month = clock.month_label(now);
        let t = sim.tokens();
        let [professional, analyzer] = sim.seat_pools();
        let capacity = sim.capacity();
        let core = sim.core();
        State {
            at: clock.format(now),
            tokens: TokenCounts {
                total: t.total,
                free: t.free,
                user_passes: t.user_passes,
                login_groups: t.login_groups,
                pending: t.pending,
            },
            user_passes: UserPassCounts {
                allocated: t.user_passes,
                quarantined: sim.user_passes_quarantined(),
            },
            groups: groups(sim),
            professional: SeatCounts::of(professional),
            analyzer: SeatCounts::of(analyzer),
            capacity: CapacityCounts {
                month: month.clone(),
                quota: capacity.quota,
                used: capacity.used,
                overage: capacity.overage(),
            },
            core: CoreCounts {
                month,
                quota: core.quota,
                used: core.used,
            },
            connections: sim.open_connections(),
            totals: sim.totals().clone(),
            nodes: (!sc.nodes.is_empty()).then(|| nodes(sim)),
            deployments: (!sc.deployments.is_empty()).then(|| deployments(sim)),
            costs: sc.prices.any().then(|| costs(sim)),
        }
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The `run --format csv` header: one column per count, named by its JSON path.
    pub fn csv_header(&self) -> String {
        let mut cols: Vec<String> = vec![
            "at".into(),
            "tokens.total".into(),
            "tokens.free".into(),
            "tokens.user_passes".into(),
            "tokens.login_groups".into(),
            "tokens.pending".into(),
            "user_passes.allocated".into(),
            "user_passes.quarantined".into(),
        ];
        for (name, _) in &self.groups.0 {
            for f in ["passes", "available", "used", "retiring"] {
                cols.push(format!("groups.{}.{f}", csv_name(name)));
            }
        }
        for s in ["professional", "analyzer"] {
            for f in ["total", "assigned", "quarantined"] {
                cols.push(format!("{s}.{f}"));
            }
        }
        for f in ["month", "quota", "used", "overage"] {
            cols.push(format!("capacity.{f}"));
        }
        for f in ["month", "quota", "used"] {
            cols.push(format!("core.{f}"));
        }
        cols.push("connections".into());
        for f in ["passes_consumed", "denied", "discontinued"] {
            cols.push(format!("totals.{f}"));
        }
        if let Some(nodes) = &self.nodes {
            for (name, _) in &nodes.0 {
                for f in ["cores", "connected", "accepting", "connections"] {
                    cols.push(format!("nodes.{}.{f}", csv_name(name)));
                }
            }
        }
        if let Some(deps) = &self.deployments {
            for (name, _) in &deps.0 {
                for f in ["professional", "analyzer", "unsynced"] {
                    cols.push(format!("deployments.{}.{f}", csv_name(name)));
                }
            }
        }
        if self.costs.is_some() {
            for f in [
                "tokens",
                "professional",
                "analyzer",
                "capacity_packs",
                "overage",
                "total",
            ] {
                cols.push(format!("costs.{f}"));
            }
        }
        cols.join(",")
    }

    /// One `run --format csv` row, in the columns of [`State::csv_header`].
    pub fn csv_row(&self) -> String {
        let mut v: Vec<String> = Vec::with_capacity(40);
        let t = &self.tokens;
        v.push(self.at.clone());
        for n in [t.total, t.free, t.user_passes, t.login_groups, t.pending] {
            v.push(n.to_string());
        }
        v.push(self.user_passes.allocated.to_string());
        v.push(self.user_passes.quarantined.to_string());
        for (_, g) in &self.groups.0 {
            for n in [g.passes, g.available, g.used, g.retiring] {
                v.push(n.to_string());
            }
        }
        for s in [&self.professional, &self.analyzer] {
            for n in [s.total, s.assigned, s.quarantined] {
                v.push(n.to_string());
            }
        }
        v.push(self.capacity.month.clone());
        for n in [
            self.capacity.quota,
            self.capacity.used,
            self.capacity.overage,
        ] {
            v.push(n.to_string());
        }
        v.push(self.core.month.clone());
        v.push(self.core.quota.to_string());
        v.push(self.core.used.to_string());
        v.push(self.connections.to_string());
        let tt = &self.totals;
        for n in [tt.passes_consumed, tt.denied, tt.discontinued] {
            v.push(n.to_string());
        }
        if let Some(nodes) = &self.nodes {
            for (_, n) in &nodes.0 {
                v.push(n.cores.to_string());
                v.push(n.connected.to_string());
                v.push(n.accepting.to_string());
                v.push(n.connections.to_string());
            }
        }
        if let Some(deps) = &self.deployments {
            for (_, d) in &deps.0 {
                v.push(d.professional.to_string());
                v.push(d.analyzer.to_string());
                v.push(d.unsynced.to_string());
            }
        }
        if let Some(c) = &self.costs {
            for n in [
                c.tokens,
                c.professional,
                c.analyzer,
                c.capacity_packs,
                c.overage,
                c.total,
            ] {
                v.push(format!("{n:.2}"));
            }
        }
        v.join(",")
    }
}

impl SeatCounts {
    fn of(p: &SeatPool) -> SeatCounts {
        SeatCounts {
            total: p.total,
            assigned: p.assigned,
            quarantined: p.quarantined,
        }
    }
}

/// Each login access group's passes (LAP-1, LAP-9, LAP-10), in file order.
fn groups(sim: &Simulation) -> Ordered<GroupCounts> {
    Ordered(
        sim.scenario()
            .groups
            .iter()
            .zip(sim.group_pools())
            .map(|(g, p)| {
                (
                    g.name.clone(),
                    GroupCounts {
                        passes: p.passes(),
                        available: p.available,
                        used: p.used(),
                        retiring: p.retiring(),
                    },
                )
            })
            .collect(),
    )
}

/// Each node's cores, link and connections (NODE-1, NODE-2), in file order.
fn nodes(sim: &Simulation) -> Ordered<NodeCounts> {
    let per_node = sim.connections_per_node();
    Ordered(
        sim.scenario()
            .nodes
            .iter()
            .zip(sim.node_links())
            .zip(sim.node_cores())
            .zip(per_node)
            .map(|(((n, link), &cores), connections)| {
                (
                    n.name.clone(),
                    NodeCounts {
                        role: if n.role == NodeRole::Central {
                            "central"
                        } else {
                            "rim"
                        }
                        .to_string(),
                        engine: n.engine,
                        cores,
                        connected: link.disconnected_at.is_none(),
                        accepting: !link.cut_off,
                        connections,
                    },
                )
            })
            .collect(),
    )
}

/// Each deployment's Professional and Analyzer holders and its assignments not yet synced
/// (QLS-1), in file order.
fn deployments(sim: &Simulation) -> Ordered<DeploymentCounts> {
    let sc = sim.scenario();
    Ordered(
        sc.deployments
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let i = i as DeploymentId;
                let mut counts = DeploymentCounts {
                    professional: 0,
                    analyzer: 0,
                    unsynced: sim.unsynced_on(i),
                };
                for (ui, u) in sc.users.iter().enumerate() {
                    if u.deployment != i {
                        continue;
                    }
                    let ui = UserId::new(ui);
                    if sim.holds(ui, Seat::Professional) {
                        counts.professional += 1;
                    }
                    if sim.holds(ui, Seat::Analyzer) {
                        counts.analyzer += 1;
                    }
                }
                (d.name.clone(), counts)
            })
            .collect(),
    )
}

/// What the license costs at the scenario's prices, with this month's overage.
fn costs(sim: &Simulation) -> Costs {
    let sc = sim.scenario();
    let p = &sc.prices;
    let l = &sc.license;
    let tokens = p.token.unwrap_or(0.0) * sim.tokens().total as f64;
    let professional = p.professional.unwrap_or(0.0) * l.professional as f64;
    let analyzer = p.analyzer.unwrap_or(0.0) * l.analyzer as f64;
    let capacity_packs = p.capacity_pack.unwrap_or(0.0) * l.analyzer_capacity_packs as f64;
    let overage = p.overage_minute.unwrap_or(0.0) * sim.capacity().overage() as f64;
    Costs {
        currency: p.currency.clone(),
        tokens,
        professional,
        analyzer,
        capacity_packs,
        overage,
        total: tokens + professional + analyzer + capacity_packs + overage,
    }
}

/// A name made safe for a CSV header (no commas, quotes or line breaks).
fn csv_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if matches!(c, ',' | '"' | '\n' | '\r') {
                '_'
            } else {
                c
            }
        })
        .collect()
}
