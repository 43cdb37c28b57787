//! `[[action]]`: administrative changes at a moment. The verb (`do`) is a
//! [`Verb`] of the schema, which says which keys each one takes.

use std::ops::Range;

use toml::Spanned as S;

use super::ctx::Ctx;
use super::names::Names;
use super::raw::RawAction;
use super::top::Top;
use super::values::{choice, when_text};
use crate::base::time::MINUTES_PER_DAY;
use crate::scenario::builder::ScenarioBuilder;
use crate::scenario::schema::{self, Section, Verb};
use crate::scenario::{Action, ActionKind, Seat, UserId};

pub(super) fn read(
    cx: &mut Ctx,
    raw: &[S<RawAction>],
    top: &Top,
    names: &Names,
    users: &ScenarioBuilder,
) -> Vec<Action> {
    let mut actions = Vec::new();
    for (i, a) in raw.iter().enumerate() {
        let span = a.span();
        let r = a.get_ref();
        let at = cx.required(&r.at, &span, "`at`");
        let what = cx.required(&r.what, &span, "`do`");
        let (Some(at_text), Some(what)) = (at, what) else {
            continue;
        };
        let at = cx.when(top.clock.as_ref(), at_text, "`at`");
        if let (Some(at), Some(end)) = (at, top.end) {
            check_period(cx, at_text, at, end);
        }
        let kind = Change {
            cx,
            r,
            span,
            names,
            users,
        }
        .kind(what);
        if let (Some(at), Some(kind)) = (at, kind) {
            actions.push(Action {
                at,
                kind,
                script: i as u32,
            });
        }
    }
    actions
}

/// Before the start is an error; at or after the end is valid, never applied, and noted
/// (SCENARIOS.md).
fn check_period(cx: &mut Ctx, at_text: &S<toml::Value>, at: i64, end: i64) {
    if at < 0 {
        cx.err(
            at_text.span(),
            format!(
                "action at `{}` is outside the simulated period: it comes before the start (day 0 00:00)",
                when_text(at_text.get_ref()),
            ),
        );
    } else if at >= end {
        cx.note(
            at_text.span(),
            format!(
                "the action at `{}` is at or after the end of the simulation (day {} 00:00): it is never applied",
                when_text(at_text.get_ref()),
                end / MINUTES_PER_DAY
            ),
        );
    }
}

/// One action's keys, read for its verb.
struct Change<'c, 'a, 'r, 't> {
    cx: &'c mut Ctx<'a>,
    r: &'r RawAction<'t>,
    span: Range<usize>,
    names: &'r Names<'t>,
    users: &'r ScenarioBuilder,
}

impl Change<'_, '_, '_, '_> {
    /// The change `do` names, with the keys it takes; `None` after an error.
    fn kind(mut self, what: &S<&str>) -> Option<ActionKind> {
        let Some(verb) = Verb::from_word(what.get_ref()) else {
            self.cx.err(
                what.span(),
                format!(
                    "unknown action `{}`: expected {}",
                    what.get_ref(),
                    schema::ACTION_VERBS.join(", ")
                ),
            );
            return None;
        };
        let only_its_keys = self.only_its_keys(verb);
        let kind = match verb {
            Verb::AllocateUserPass => ActionKind::AllocateUserPass(self.user(verb)?),
            Verb::RemoveUserPass => ActionKind::RemoveUserPass(self.user(verb)?),
            Verb::ReinstateUserPass => ActionKind::ReinstateUserPass(self.user(verb)?),
            Verb::Assign => {
                let (u, seat) = self.user_and_seat(verb)?;
                ActionKind::Assign(u, seat, self.assigning_deployment(u)?)
            }
            Verb::Unassign => {
                let (u, seat) = self.user_and_seat(verb)?;
                ActionKind::Unassign(u, seat)
            }
            Verb::Reinstate => {
                let (u, seat) = self.user_and_seat(verb)?;
                ActionKind::Reinstate(u, seat)
            }
            Verb::SetGroupTokens => self.set_group_tokens()?,
            Verb::SetTokens => {
                let t = self.cx.required(&self.r.tokens, &self.span, "`tokens`")?;
                ActionKind::SetTokens(self.cx.bounded(t, Section::Action, "tokens")?)
            }
            Verb::DisconnectNode => ActionKind::DisconnectNode(self.node(true)?),
            Verb::ReconnectNode => ActionKind::ReconnectNode(self.node(false)?),
        };
        only_its_keys.then_some(kind)
    }

    /// Every key present that the verb does not take is an error; `false` if there is one.
    fn only_its_keys(&mut self, verb: Verb) -> bool {
        let r = self.r;
        let present: [(&str, Option<Range<usize>>); 6] = [
            ("user", r.user.as_ref().map(|v| v.span())),
            ("group", r.group.as_ref().map(|v| v.span())),
            ("tokens", r.tokens.as_ref().map(|v| v.span())),
            ("kind", r.kind.as_ref().map(|v| v.span())),
            ("node", r.node.as_ref().map(|v| v.span())),
            ("deployment", r.deployment.as_ref().map(|v| v.span())),
        ];
        let mut ok = true;
        for (key, span) in present {
            if let (Some(span), false) = (span, verb.keys().contains(&key)) {
                self.cx.err(
                    span,
                    format!("key `{key}` does not apply to `{}`", verb.word()),
                );
                ok = false;
            }
        }
        ok
    }

    /// `user`: a known user, who may hold a named access if the verb gives one (UAP-1: an
    /// action that gives or gives back a named access to an anonymous user rejects the
    /// file; taking one away gives nothing and is valid, the engine finds nothing held).
    fn user(&mut self, verb: Verb) -> Option<UserId> {
        let u = self.cx.required(&self.r.user, &self.span, "`user`")?;
        let Some(id) = self.users.user_id(u.get_ref().trim()) else {
            self.cx
                .err(u.span(), format!("unknown user `{}`", u.get_ref()));
            return None;
        };
        if verb.gives_named_access() && self.users.users()[id.index()].is_anonymous() {
            self.cx.err(
                u.span(),
                format!(
                    "`{}` is anonymous and cannot hold a named access (UAP-1)",
                    u.get_ref()
                ),
            );
            return None;
        }
        Some(id)
    }

    /// `user` and `kind` (`"professional"` or `"analyzer"`) of an assignment.
    fn user_and_seat(&mut self, verb: Verb) -> Option<(UserId, Seat)> {
        let u = self.user(verb);
        let k = self.cx.required(
            &self.r.kind,
            &self.span,
            "`kind` (\"professional\" or \"analyzer\")",
        )?;
        let seat = choice(&schema::SEAT_WORDS, k.get_ref(), "kind")
            .map_err(|e| self.cx.err(k.span(), e))
            .ok()?;
        Some((u?, seat))
    }

    /// `deployment` of an `assign`: the user's own when absent (QLS-1).
    fn assigning_deployment(&mut self, u: UserId) -> Option<u32> {
        let Some(d) = &self.r.deployment else {
            return Some(self.users.users()[u.index()].deployment);
        };
        let id = self.names.deployment_named(d.get_ref());
        if id.is_none() {
            self.cx
                .err(d.span(), format!("unknown deployment `{}`", d.get_ref()));
        }
        id
    }

    fn set_group_tokens(&mut self) -> Option<ActionKind> {
        let g = self.cx.required(&self.r.group, &self.span, "`group`");
        let t = self.cx.required(&self.r.tokens, &self.span, "`tokens`");
        let (g, t) = (g?, t?);
        let Some(gid) = self.names.group(g.get_ref()) else {
            self.cx
                .err(g.span(), format!("unknown group `{}`", g.get_ref()));
            return None;
        };
        let tokens = self.cx.bounded(t, Section::Action, "tokens")?;
        Some(ActionKind::SetGroupTokens(gid, tokens))
    }

    /// `node`: a known node; the central node cannot lose itself (NODE-2).
    fn node(&mut self, disconnect: bool) -> Option<u32> {
        let n = self.cx.required(&self.r.node, &self.span, "`node`")?;
        let Some(nid) = self.names.node_named(n.get_ref()) else {
            self.cx.err(
                n.span(),
                format!("unknown node `{}`: declare it with [[node]]", n.get_ref()),
            );
            return None;
        };
        if disconnect && nid == self.names.central() {
            self.cx.err(
                n.span(),
                format!(
                    "`{}` is the central node: only other nodes can lose it (NODE-2)",
                    n.get_ref()
                ),
            );
            return None;
        }
        Some(nid)
    }
}
