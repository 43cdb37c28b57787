//! [`Names`]: the nodes, deployments and login access groups declared so far, by name, for
//! the sections that refer to them. Users are looked up in the [`ScenarioBuilder`], which
//! owns the one user index.
//!
//! [`ScenarioBuilder`]: crate::scenario::builder::ScenarioBuilder

use std::collections::HashMap;

use toml::Spanned as S;

use super::ctx::Ctx;
use crate::scenario::{DeploymentId, GroupId, NodeId};

#[derive(Default)]
pub(super) struct Names<'t> {
    nodes: HashMap<&'t str, NodeId>,
    /// NODE-1's central node; node 0 when no nodes are declared.
    central: NodeId,
    deployments: HashMap<&'t str, DeploymentId>,
    groups: HashMap<&'t str, GroupId>,
}

/// Gives `name` the next id; `None` when it is taken.
fn add<'t>(index: &mut HashMap<&'t str, u32>, name: &'t str) -> Option<u32> {
    if index.contains_key(name) {
        return None;
    }
    let id = index.len() as u32;
    index.insert(name, id);
    Some(id)
}

impl<'t> Names<'t> {
    pub fn add_node(&mut self, name: &'t str) -> Option<NodeId> {
        add(&mut self.nodes, name)
    }

    pub fn set_central(&mut self, id: NodeId) {
        self.central = id;
    }

    pub fn central(&self) -> NodeId {
        self.central
    }

    pub fn add_deployment(&mut self, name: &'t str) -> Option<DeploymentId> {
        add(&mut self.deployments, name)
    }

    pub fn add_group(&mut self, name: &'t str) -> Option<GroupId> {
        add(&mut self.groups, name)
    }

    pub fn node_named(&self, name: &str) -> Option<NodeId> {
        self.nodes.get(name).copied()
    }

    pub fn deployment_named(&self, name: &str) -> Option<DeploymentId> {
        self.deployments.get(name).copied()
    }

    pub fn group(&self, name: &str) -> Option<GroupId> {
        self.groups.get(name).copied()
    }

    /// The node a `node` key names: the central node when absent; an unknown name is an
    /// error (and the central node stands in).
    pub fn node(&self, cx: &mut Ctx, v: &Option<S<&str>>) -> NodeId {
        let Some(n) = v else {
            return self.central;
        };
        self.node_named(n.get_ref()).unwrap_or_else(|| {
            cx.err(
                n.span(),
                format!("unknown node `{}`: declare it with [[node]]", n.get_ref()),
            );
            self.central
        })
    }

    /// The deployment a `deployment` key names: the first when absent; an unknown name is
    /// an error (and the first stands in).
    pub fn deployment(&self, cx: &mut Ctx, v: &Option<S<&str>>) -> DeploymentId {
        let Some(d) = v else {
            return 0;
        };
        self.deployment_named(d.get_ref()).unwrap_or_else(|| {
            cx.err(
                d.span(),
                format!(
                    "unknown deployment `{}`: declare it with [[deployment]]",
                    d.get_ref()
                ),
            );
            0
        })
    }
}
