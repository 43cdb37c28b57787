//! `[[group]]`: login access groups and their tokens (LAP-1, TOK-5).

use toml::Spanned as S;

use super::ctx::Ctx;
use super::names::Names;
use super::raw::RawGroup;
use crate::scenario::schema::Section;
use crate::scenario::{limits, Group, License, LicenseKind};

pub(super) fn read<'t>(
    cx: &mut Ctx,
    raw: &[S<RawGroup<'t>>],
    license: &License,
    names: &mut Names<'t>,
) -> Vec<Group> {
    if raw.len() > limits::MAX_GROUPS {
        cx.err(
            raw[limits::MAX_GROUPS].span(),
            format!("too many groups (the limit is {})", limits::MAX_GROUPS),
        );
    }
    let mut groups = Vec::new();
    for g in raw.iter().take(limits::MAX_GROUPS) {
        let span = g.span();
        let r = g.get_ref();
        let Some(name) = cx.required(&r.name, &span, "`name`") else {
            continue;
        };
        if name.get_ref().trim().is_empty() {
            cx.err(name.span(), "a group needs a name");
            continue;
        }
        if names.add_group(name.get_ref()).is_none() {
            cx.err(
                name.span(),
                format!("duplicate group name `{}`", name.get_ref()),
            );
            continue;
        }
        if license.kind == LicenseKind::Subscription {
            cx.err(
                span.clone(),
                format!(
                    "login access group `{}` on a subscription license: Login Access Passes exist only on perpetual licenses (TOK-5)",
                    name.get_ref()
                ),
            );
        }
        groups.push(Group {
            name: name.get_ref().to_string(),
            tokens: cx.opt_bounded(&r.tokens, Section::Group, "tokens"),
        });
    }
    groups
}
