//! `[[cohort]]`: scripted populations, their members into the builder's user index (the
//! visits are drawn from the seed by `finish`, see `cohort`).

use toml::Spanned as S;

use super::ctx::Ctx;
use super::names::Names;
use super::raw::RawCohort;
use super::values::{access_and_identity, parse_end_shares, parse_hours};
use crate::base::time::{Minute, MINUTES_PER_DAY};
use crate::scenario::builder::ScenarioBuilder;
use crate::scenario::schema::{self, Section::Cohort as COHORT};
use crate::scenario::{limits, Cohort, EndShares, User, UserId};

pub(super) fn read(
    cx: &mut Ctx,
    raw: &[S<RawCohort>],
    names: &Names,
    builder: &mut ScenarioBuilder,
) -> Vec<Cohort> {
    let mut cohorts = Vec::new();
    for c in raw {
        let Some(mut cohort) = habits(cx, c, names, builder.users().len()) else {
            continue;
        };
        cohort.first_user = UserId::new(builder.users().len());
        let index = cohorts.len() as u32;
        if add_members(cx, c, &cohort, index, builder) {
            cohorts.push(cohort);
        }
    }
    cohorts
}

/// The cohort as written, checked (`first_user` is set by the caller); `None` after an
/// error. `users`: how many users there are before it.
fn habits(cx: &mut Ctx, c: &S<RawCohort>, names: &Names, users: usize) -> Option<Cohort> {
    let span = c.span();
    let r = c.get_ref();
    let name = cx.required(&r.name, &span, "`name`");
    let count = cx.required(&r.count, &span, "`count`");
    let access = cx.required(&r.access, &span, "`access`");
    let vpm = cx.required(&r.visits_per_month, &span, "`visits_per_month`");
    let length = cx.required(&r.visit_length, &span, "`visit_length`");
    let (name, count, access_text, vpm, length) = (name?, count?, access?, vpm?, length?);
    let cname = name.get_ref().trim().to_string();
    if cname.is_empty() {
        cx.err(name.span(), "a cohort needs a name");
        return None;
    }
    let count_n = cx.bounded(count, COHORT, "count")?;
    if users + count_n as usize > limits::MAX_USERS {
        cx.err(
            count.span(),
            format!("too many users in all (the limit is {})", limits::MAX_USERS),
        );
        return None;
    }
    let (access, identity) =
        access_and_identity(cx, access_text, &r.identity, names, "an anonymous cohort")?;
    let v = visiting(cx, r, vpm, length)?;
    Some(Cohort {
        name: cname,
        count: count_n as u32,
        access,
        identity,
        visits_per_month: v.visits_per_month,
        visit_length: v.visit_length,
        visit_length_spread: v.visit_length_spread,
        hours: v.hours,
        weekdays: r.weekdays.as_ref().is_some_and(|w| *w.get_ref()),
        devices: v.devices,
        ends: v.ends,
        node: names.node(cx, &r.node),
        deployment: names.deployment(cx, &r.deployment),
        first_user: UserId::new(0),
        rights: r.rights.rights(),
    })
}

/// How a cohort's members visit.
struct Visiting {
    visits_per_month: f64,
    visit_length: Minute,
    visit_length_spread: Minute,
    hours: (Minute, Minute),
    devices: u32,
    ends: EndShares,
}

/// `visits_per_month` (`vpm`), `visit_length` (`length`) and the keys of how a visit
/// goes, checked; `None` after an error.
fn visiting(
    cx: &mut Ctx,
    r: &RawCohort,
    vpm: &S<toml::Value>,
    length: &S<&str>,
) -> Option<Visiting> {
    let visits_per_month = cx.number(vpm, "`visits_per_month`")?;
    let (_, max_visits) = schema::bounds(COHORT, "visits_per_month");
    if visits_per_month > max_visits as f64 {
        cx.err(
            vpm.span(),
            format!("`visits_per_month` is too large (the limit is {max_visits})"),
        );
        return None;
    }
    let visit_length = cx.duration(length, "`visit_length`", 0)?;
    let visit_length_spread = match &r.visit_length_spread {
        None => 0,
        Some(s) => cx.duration(s, "`visit_length_spread`", 0)?,
    };
    let hours = match &r.hours {
        None => (0, MINUTES_PER_DAY),
        Some(h) => parse_hours(h.get_ref())
            .map_err(|e| cx.err(h.span(), e))
            .ok()?,
    };
    let devices = match &r.devices {
        None => 1,
        Some(d) => {
            let (min, _) = schema::bounds(COHORT, "devices");
            match cx.bounded(d, COHORT, "devices")? {
                n if n < min => {
                    cx.err(d.span(), format!("`devices` must be at least {min}"));
                    return None;
                }
                n => n as u32,
            }
        }
    };
    let ends = match &r.ends {
        None => EndShares {
            logout: 1.0,
            close: 0.0,
            timeout: 0.0,
        },
        Some(e) => parse_end_shares(e.get_ref())
            .map_err(|msg| cx.err(e.span(), msg))
            .ok()?,
    };
    Some(Visiting {
        visits_per_month,
        visit_length,
        visit_length_spread,
        hours,
        devices,
        ends,
    })
}

/// Adds the members `NAME-1` … `NAME-count` as users; `false` when a name is taken.
fn add_members(
    cx: &mut Ctx,
    c: &S<RawCohort>,
    cohort: &Cohort,
    index: u32,
    builder: &mut ScenarioBuilder,
) -> bool {
    for i in 1..=cohort.count {
        let member = User {
            name: format!("{}-{i}", cohort.name),
            access: cohort.access,
            identity: cohort.identity,
            node: cohort.node,
            deployment: cohort.deployment,
            cohort: Some(index),
            rights: cohort.rights,
        };
        // `None`: the name is taken (the count was checked against the users' limit).
        if builder.add_user(member).is_none() {
            let span = c.get_ref().name.as_ref().map_or(c.span(), |n| n.span());
            cx.err(
                span,
                format!(
                    "cohort member `{}-{i}` has the name of another user",
                    cohort.name
                ),
            );
            return false;
        }
    }
    true
}
