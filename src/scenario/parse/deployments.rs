//! `[[deployment]]`: deployments sharing one license (QLS-1).

use toml::Spanned as S;

use super::ctx::Ctx;
use super::names::Names;
use super::raw::RawDeployment;
use crate::scenario::{limits, Deployment};

pub(super) fn read<'t>(
    cx: &mut Ctx,
    raw: &[S<RawDeployment<'t>>],
    names: &mut Names<'t>,
) -> Vec<Deployment> {
    let mut deployments = Vec::new();
    for d in raw.iter().take(limits::MAX_NODES) {
        let span = d.span();
        let Some(name) = cx.required(&d.get_ref().name, &span, "`name`") else {
            continue;
        };
        if names.add_deployment(name.get_ref()).is_none() {
            cx.err(
                name.span(),
                format!("duplicate deployment name `{}`", name.get_ref()),
            );
            continue;
        }
        deployments.push(Deployment {
            name: name.get_ref().to_string(),
        });
    }
    deployments
}
