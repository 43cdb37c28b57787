//! `[[user]]`: named and anonymous users (UAP-1), into the builder's user index.

use toml::Spanned as S;

use super::ctx::Ctx;
use super::names::Names;
use super::raw::RawUser;
use super::values::access_and_identity;
use crate::scenario::builder::ScenarioBuilder;
use crate::scenario::schema::Section::User as USER;
use crate::scenario::{limits, User};

/// `None` when there are more users than the limit (nothing else is checked then).
pub(super) fn read(
    cx: &mut Ctx,
    raw: &[S<RawUser>],
    names: &Names,
    builder: &mut ScenarioBuilder,
) -> Option<()> {
    if raw.len() > limits::MAX_USERS {
        cx.err(
            raw[limits::MAX_USERS].span(),
            format!("too many users (the limit is {})", limits::MAX_USERS),
        );
        return None;
    }
    for u in raw {
        let span = u.span();
        let r = u.get_ref();
        let name = cx.required(&r.name, &span, "`name`");
        let access = cx.required(&r.access, &span, "`access`");
        let (Some(name), Some(access_text)) = (name, access) else {
            continue;
        };
        let n = name.get_ref().trim();
        if n.is_empty() {
            cx.err(name.span(), "a user needs a name");
            continue;
        }
        if builder.user_id(n).is_some() {
            cx.err(name.span(), format!("duplicate user name `{n}`"));
            continue;
        }
        let who = format!("anonymous user `{n}`");
        let Some((access, identity)) =
            access_and_identity(cx, access_text, &r.identity, names, &who)
        else {
            continue;
        };
        let user = User {
            name: n.to_string(),
            access,
            identity,
            node: names.node(cx, &r.node),
            deployment: names.deployment(cx, &r.deployment),
            cohort: None,
            rights: crate::scenario::Rights {
                multiplexed_users: cx.opt_bounded(&r.multiplexed_users, USER, "multiplexed_users")
                    as u32,
                ..r.rights.rights()
            },
        };
        builder.add_user(user);
    }
    Some(())
}
