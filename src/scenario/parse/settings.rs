//! `[settings]`: every duration of RULES.md, and the parallel connections (UAP-2) and
//! capacity blocks (CAP-2) settings. An absent key is its schema default, so the defaults
//! of [`Settings`] are the schema's, read here.

use super::ctx::Ctx;
use super::raw::{self, RawSettings};
use super::table::Row;
use super::values::choice;
use crate::base::time::Minute;
use crate::scenario::error::LineIndex;
use crate::scenario::schema::{self, Section::Settings as SETTINGS};
use crate::scenario::{CapacityParallel, Settings};

pub(super) fn read(cx: &mut Ctx, s: &RawSettings) -> Settings {
    let mut dur = |v: &Option<toml::Spanned<&str>>, key: &str| -> Minute {
        let (min, _) = schema::bounds(SETTINGS, key);
        v.as_ref()
            .and_then(|v| cx.duration(v, &format!("`{key}`"), min))
            .unwrap_or(0)
    };
    let mut settings = Settings {
        inactivity_timeout: dur(&s.inactivity_timeout, "inactivity_timeout"),
        login_pass_window: dur(&s.login_pass_window, "login_pass_window"),
        login_pass_return: dur(&s.login_pass_return, "login_pass_return"),
        quarantine: dur(&s.quarantine, "quarantine"),
        capacity_block: dur(&s.capacity_block, "capacity_block"),
        capacity_parallel: CapacityParallel::PerDevice,
        core_session: dur(&s.core_session, "core_session"),
        max_connections: 0,
        connection_cooldown: dur(&s.connection_cooldown, "connection_cooldown"),
        node_grace: dur(&s.node_grace, "node_grace"),
        sync_interval: dur(&s.sync_interval, "sync_interval"),
    };
    if let Some(p) = &s.capacity_parallel {
        match choice(&schema::PARALLEL_WORDS, p.get_ref(), "`capacity_parallel`") {
            Ok(parallel) => settings.capacity_parallel = parallel,
            Err(e) => cx.err(p.span(), format!("{e} (CAP-2)")),
        }
    }
    // 0 is valid: every capped connection is refused (CONN-1).
    if let Some(m) = &s.max_connections {
        settings.max_connections = cx.bounded(m, SETTINGS, "max_connections").unwrap_or(0);
    }
    settings
}

/// The schema's defaults, as the parser reads an empty `[settings]`.
impl Default for Settings {
    fn default() -> Self {
        let mut cx = Ctx::new(LineIndex::new(""));
        let row = Row::new(&mut cx, SETTINGS, None, 0..0);
        let raw = raw::settings(&mut cx, &row);
        let settings = read(&mut cx, &raw);
        debug_assert!(
            cx.errors.is_empty(),
            "the schema's [settings] defaults parse"
        );
        settings
    }
}
