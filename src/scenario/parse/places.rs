//! Where the file states what the use rights concern ([`Places`]): the line and column of
//! the `[license]` keys, the `quarantine` setting, every `[[cohort]]`, `[[action]]` and
//! `[[node]]`, and of each `[[user]]` that has a use-rights key set. Read from the raw
//! structs of a valid file, whose rows are the scenario's in file order.

use std::ops::Range;

use toml::Spanned as S;

use super::raw::{RawRights, RawScenario};
use crate::scenario::error::LineIndex;
use crate::scenario::use_rights::{Places, Pos, RowPlaces};
use crate::scenario::{Scenario, UserId};

pub(super) fn of(lines: &LineIndex, raw: &RawScenario, sc: &Scenario) -> Places {
    let at = |span: Range<usize>| {
        let (line, column) = lines.position(span.start);
        Pos { line, column }
    };
    let key = |v: &Option<S<&str>>| v.as_ref().map(|v| at(v.span()));
    let l = &raw.license;
    // Without a `[license]` table: line 1, column 1.
    let license = at(l.table.clone());
    let on = |b: &Option<S<bool>>| b.as_ref().filter(|b| *b.get_ref()).map(|b| at(b.span()));
    let row = |table: Range<usize>, r: &RawRights| RowPlaces {
        table: at(table),
        external: on(&r.external),
        service_account: on(&r.service_account),
        display: on(&r.display),
        interactive: on(&r.interactive),
        multiplexed_users: None,
    };
    let mut users = Vec::new();
    for (i, u) in raw.user.iter().enumerate() {
        let Some(user) = sc.users.get(i) else { break };
        let r = &user.rights;
        if r == &Default::default() {
            continue;
        }
        let mut places = row(u.span(), &u.get_ref().rights);
        places.multiplexed_users = u
            .get_ref()
            .multiplexed_users
            .as_ref()
            .filter(|_| r.multiplexed_users > 0)
            .map(|m| at(m.span()));
        users.push((UserId::new(i), places));
    }
    Places {
        license,
        kind: key(&l.kind),
        cores: l.cores.as_ref().map(|c| at(c.span())),
        qap_edition: key(&l.qap_edition),
        quarantine: key(&raw.settings.quarantine),
        users,
        cohorts: raw
            .cohort
            .iter()
            .map(|c| row(c.span(), &c.get_ref().rights))
            .collect(),
        actions: raw.action.iter().map(|a| at(a.span())).collect(),
        nodes: raw.node.iter().map(|n| at(n.span())).collect(),
    }
}
