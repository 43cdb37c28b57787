//! Cores and nodes (NODE-1, NODE-2).

use crate::base::time::Minute;
use crate::scenario::{Node, NodeRole};

/// NODE-1: the cores each node may use. Nodes with a manual `allocated_cores` keep it;
/// the rest of the licensed cores are split evenly across the other nodes that run an
/// engine, with the remainder going to the central node (LM II.D: 4 cores, central +
/// user rim + scheduler without engine → 2 and 2).
pub fn allocate_cores(licensed: i64, nodes: &[Node]) -> Vec<i64> {
    let manual: i64 = nodes.iter().filter_map(|n| n.allocated_cores).sum();
    let auto: Vec<usize> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.engine && n.allocated_cores.is_none())
        .map(|(i, _)| i)
        .collect();
    let mut out: Vec<i64> = nodes
        .iter()
        .map(|n| n.allocated_cores.unwrap_or(0))
        .collect();
    let rest = (licensed - manual).max(0);
    if !auto.is_empty() {
        let share = rest / auto.len() as i64;
        let remainder = rest % auto.len() as i64;
        for &i in &auto {
            out[i] = share;
        }
        let central = auto
            .iter()
            .copied()
            .find(|&i| nodes[i].role == NodeRole::Central)
            .unwrap_or(auto[0]);
        out[central] += remainder;
    }
    out
}

/// A node's link to the central node (NODE-2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeLink {
    /// When the node lost the central node; `None` while connected.
    pub disconnected_at: Option<Minute>,
    /// Past the grace: no user access at all until it reconnects.
    pub cut_off: bool,
    pub generation: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, role: NodeRole, engine: bool) -> Node {
        Node {
            name: name.into(),
            role,
            engine,
            physical_cores: Some(16),
            allocated_cores: None,
        }
    }

    #[test]
    fn node_1_lm_example_four_cores_give_two_and_two() {
        let nodes = vec![
            node("central", NodeRole::Central, true),
            node("users", NodeRole::Rim, true),
            node("scheduler", NodeRole::Rim, false),
        ];
        assert_eq!(allocate_cores(4, &nodes), vec![2, 2, 0]);
    }

    #[test]
    fn node_1_remainder_goes_to_the_central_node() {
        let nodes = vec![
            node("a", NodeRole::Rim, true),
            node("central", NodeRole::Central, true),
            node("b", NodeRole::Rim, true),
        ];
        assert_eq!(allocate_cores(8, &nodes), vec![2, 4, 2]);
    }
}
