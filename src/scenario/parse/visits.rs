//! `[[visit]]` tables, then the compact `visits` table (`visits_table`): every visit goes
//! into the builder, in script order.

use toml::Spanned as S;

use super::ctx::Ctx;
use super::names::Names;
use super::raw::{RawScenario, RawVisit};
use super::top::Top;
use super::values::{parse_ends, when_text};
use crate::base::time::MINUTES_PER_DAY;
use crate::scenario::builder::ScenarioBuilder;
use crate::scenario::visits_table::{self, TableContext};
use crate::scenario::{limits, Ends, Visit};

/// `None` when there are more `[[visit]]` tables than the limit.
pub(super) fn read(
    cx: &mut Ctx,
    raw: &RawScenario,
    top: &Top,
    names: &Names,
    builder: &mut ScenarioBuilder,
) -> Option<()> {
    if raw.visit.len() > limits::MAX_VISITS {
        cx.err(
            raw.visit[limits::MAX_VISITS].span(),
            format!("too many visits (the limit is {})", limits::MAX_VISITS),
        );
        return None;
    }
    for v in &raw.visit {
        if let Some(visit) = visit(cx, v, top, names, builder) {
            builder.push_visit(visit);
        }
    }
    if let Some(table) = &raw.visits {
        let table_cx = TableContext {
            text: cx.lines.file(),
            lines: &cx.lines,
            clock: top.clock.as_ref(),
            end: top.end,
            node: &|name| names.node_named(name),
            central: names.central(),
        };
        visits_table::read(
            table.get_ref(),
            table.span(),
            &table_cx,
            builder,
            &mut cx.errors,
        );
    }
    Some(())
}

/// One `[[visit]]`, checked; `None` after an error.
fn visit(
    cx: &mut Ctx,
    v: &S<RawVisit>,
    top: &Top,
    names: &Names,
    builder: &mut ScenarioBuilder,
) -> Option<Visit> {
    let span = v.span();
    let r = v.get_ref();
    let user = cx.required(&r.user, &span, "`user`");
    let at = cx.required(&r.at, &span, "`at`");
    let active = cx.required(&r.active, &span, "`active`");
    let (user, at_text, active) = (user?, at?, active?);
    let Some(uid) = builder.user_id(user.get_ref().trim()) else {
        cx.err(
            user.span(),
            format!(
                "unknown user `{}`: declare it with [[user]] or a [[cohort]]",
                user.get_ref()
            ),
        );
        return None;
    };
    let at = cx.when(top.clock.as_ref(), at_text, "`at`");
    let active = cx.duration(active, "`active`", 0);
    let ends = match &r.ends {
        None => Ends::Logout,
        Some(e) => parse_ends(e.get_ref())
            .map_err(|msg| cx.err(e.span(), msg))
            .ok()?,
    };
    let (at, active) = (at?, active?);
    if let Some(end) = top.end {
        if at < 0 || at >= end {
            cx.err(
                at_text.span(),
                format!(
                    "visit at `{}` is outside the simulated period (day 0 00:00 to day {} 00:00): a visit must start before the end",
                    when_text(at_text.get_ref()),
                    end / MINUTES_PER_DAY
                ),
            );
            return None;
        }
    }
    let device = match &r.device {
        None => 0,
        Some(d) => builder.device(d.get_ref().trim()),
    };
    let session = r.session_id.as_ref().map(|s| builder.session(s.get_ref()));
    let node = match &r.node {
        None => builder.users()[uid.index()].node,
        some => names.node(cx, some),
    };
    Some(Visit {
        user: uid,
        at,
        active,
        ends,
        device,
        session,
        node,
        script: 0,
    })
}
