//! `[[node]]`: a site's nodes, one of them central, and their cores (NODE-1).

use toml::Spanned as S;

use super::ctx::Ctx;
use super::names::Names;
use super::raw::RawNode;
use super::values::choice;
use crate::scenario::schema::{self, Section::Node as NODE};
use crate::scenario::{limits, License, Node, NodeRole};

pub(super) fn read<'t>(
    cx: &mut Ctx,
    raw: &[S<RawNode<'t>>],
    license: &License,
    names: &mut Names<'t>,
) -> Vec<Node> {
    if raw.len() > limits::MAX_NODES {
        cx.err(
            raw[limits::MAX_NODES].span(),
            format!("too many nodes (the limit is {})", limits::MAX_NODES),
        );
    }
    let mut nodes = Vec::new();
    for n in raw.iter().take(limits::MAX_NODES) {
        let span = n.span();
        let r = n.get_ref();
        let Some(name) = cx.required(&r.name, &span, "`name`") else {
            continue;
        };
        if names.add_node(name.get_ref()).is_none() {
            cx.err(
                name.span(),
                format!("duplicate node name `{}`", name.get_ref()),
            );
            continue;
        }
        let role = match &r.role {
            None => NodeRole::Rim,
            Some(role) => {
                choice(&schema::ROLE_WORDS, role.get_ref(), "node role").unwrap_or_else(|e| {
                    cx.err(role.span(), e);
                    NodeRole::Rim
                })
            }
        };
        nodes.push(Node {
            name: name.get_ref().to_string(),
            role,
            engine: r.engine.as_ref().is_none_or(|e| *e.get_ref()),
            physical_cores: r.cores.as_ref().and_then(|c| cx.bounded(c, NODE, "cores")),
            allocated_cores: r
                .allocated_cores
                .as_ref()
                .and_then(|c| cx.bounded(c, NODE, "allocated_cores")),
        });
    }
    if let Some(first) = raw.first() {
        check_site(cx, first.span(), &nodes, license);
    }
    let central = nodes.iter().position(|n| n.role == NodeRole::Central);
    names.set_central(central.unwrap_or(0) as u32);
    nodes
}

/// One central node, and manual core allocations within the licensed cores (NODE-1).
fn check_site(cx: &mut Ctx, span: std::ops::Range<usize>, nodes: &[Node], license: &License) {
    let centrals = nodes.iter().filter(|n| n.role == NodeRole::Central).count();
    if centrals != 1 {
        cx.err(
            span.clone(),
            format!("a site has exactly one central node (found {centrals}); set role = \"central\" on one [[node]]"),
        );
    }
    let manual: i64 = nodes.iter().filter_map(|n| n.allocated_cores).sum();
    if let Some(lic) = license.cores {
        if manual > lic {
            cx.err(
                span,
                format!("the nodes' allocated_cores add up to {manual}, more than the {lic} licensed cores (NODE-1)"),
            );
        }
    } else if manual > 0 {
        cx.err(span, "allocated_cores needs `cores` in [license] (NODE-1)");
    }
}
