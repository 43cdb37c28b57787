//! The raw structs: the file's values by section and key, typed as TOML wrote them, each
//! with its span, before any meaning is checked. An absent key holds its schema default
//! (or `None` when it has none); a wrong one is `None`, its error already reported.

use toml::de::DeTable;
use toml::Spanned as S;

use super::ctx::Ctx;
use super::table::{list, single, Row};
use crate::scenario::schema::Section;

type Text<'t> = Option<S<&'t str>>;
type Int = Option<S<i64>>;
type Value = Option<S<toml::Value>>;

pub(super) struct RawScenario<'t> {
    pub name: Text<'t>,
    pub description: Text<'t>,
    /// A quoted `"YYYY-MM-DD"` or TOML's own local date (`start = 2026-03-01`).
    pub start: Value,
    pub days: Int,
    pub seed: Int,
    pub visits: Text<'t>,
    pub license: RawLicense<'t>,
    pub settings: RawSettings<'t>,
    pub prices: RawPrices<'t>,
    pub group: Vec<S<RawGroup<'t>>>,
    pub user: Vec<S<RawUser<'t>>>,
    pub cohort: Vec<S<RawCohort<'t>>>,
    pub visit: Vec<S<RawVisit<'t>>>,
    pub action: Vec<S<RawAction<'t>>>,
    pub node: Vec<S<RawNode<'t>>>,
    pub deployment: Vec<S<RawDeployment<'t>>>,
}

pub(super) struct RawLicense<'t> {
    pub kind: Text<'t>,
    pub tokens: Int,
    pub professional: Int,
    pub analyzer: Int,
    pub analyzer_capacity_packs: Int,
    pub overage: Value,
    pub core_minutes: Int,
    pub cores: Int,
    pub qap_edition: Text<'t>,
    /// The `[license]` table (`0..0` when there is none).
    pub table: std::ops::Range<usize>,
}

/// The use-rights keys of a `[[user]]` or `[[cohort]]` (LM IV), as written.
pub(super) struct RawRights {
    pub external: Option<S<bool>>,
    pub service_account: Option<S<bool>>,
    pub display: Option<S<bool>>,
    pub interactive: Option<S<bool>>,
}

impl RawRights {
    /// The rights the keys state (`multiplexed_users` is the caller's).
    pub fn rights(&self) -> crate::scenario::Rights {
        let on = |b: &Option<S<bool>>| b.as_ref().is_some_and(|b| *b.get_ref());
        crate::scenario::Rights {
            external: on(&self.external),
            service_account: on(&self.service_account),
            display: on(&self.display),
            interactive: on(&self.interactive),
            multiplexed_users: 0,
        }
    }
}

pub(super) struct RawSettings<'t> {
    pub inactivity_timeout: Text<'t>,
    pub login_pass_window: Text<'t>,
    pub login_pass_return: Text<'t>,
    pub quarantine: Text<'t>,
    pub capacity_block: Text<'t>,
    pub capacity_parallel: Text<'t>,
    pub core_session: Text<'t>,
    pub max_connections: Int,
    pub connection_cooldown: Text<'t>,
    pub node_grace: Text<'t>,
    pub sync_interval: Text<'t>,
}

pub(super) struct RawPrices<'t> {
    pub token: Value,
    pub professional: Value,
    pub analyzer: Value,
    pub capacity_pack: Value,
    pub overage_minute: Value,
    pub currency: Text<'t>,
}

pub(super) struct RawGroup<'t> {
    pub name: Text<'t>,
    pub tokens: Int,
}

pub(super) struct RawUser<'t> {
    pub name: Text<'t>,
    pub access: Text<'t>,
    pub identity: Text<'t>,
    pub node: Text<'t>,
    pub deployment: Text<'t>,
    pub rights: RawRights,
    pub multiplexed_users: Int,
}

pub(super) struct RawCohort<'t> {
    pub name: Text<'t>,
    pub count: Int,
    pub access: Text<'t>,
    pub identity: Text<'t>,
    pub visits_per_month: Value,
    pub visit_length: Text<'t>,
    pub visit_length_spread: Text<'t>,
    pub hours: Text<'t>,
    pub weekdays: Option<S<bool>>,
    pub devices: Int,
    pub ends: Value,
    pub node: Text<'t>,
    pub deployment: Text<'t>,
    pub rights: RawRights,
}

pub(super) struct RawVisit<'t> {
    pub user: Text<'t>,
    /// Quoted text or TOML's own local date-time (see [`Ctx::when`]).
    pub at: Value,
    pub active: Text<'t>,
    pub ends: Text<'t>,
    pub device: Text<'t>,
    pub session_id: Text<'t>,
    pub node: Text<'t>,
}

pub(super) struct RawAction<'t> {
    pub at: Value,
    /// `do`.
    pub what: Text<'t>,
    pub user: Text<'t>,
    pub group: Text<'t>,
    pub tokens: Int,
    pub kind: Text<'t>,
    pub node: Text<'t>,
    pub deployment: Text<'t>,
}

pub(super) struct RawNode<'t> {
    pub name: Text<'t>,
    pub role: Text<'t>,
    pub engine: Option<S<bool>>,
    pub cores: Int,
    pub allocated_cores: Int,
}

pub(super) struct RawDeployment<'t> {
    pub name: Text<'t>,
}

/// The whole file's raw structs; every unknown key and wrong type goes to `cx`.
pub(super) fn read<'t>(cx: &mut Ctx, tree: &'t S<DeTable<'_>>) -> RawScenario<'t> {
    let root = tree.get_ref();
    let top = Row::new(cx, Section::Scenario, Some(root), tree.span());
    let license_row = single(cx, root, Section::License);
    let settings_row = single(cx, root, Section::Settings);
    let prices_row = single(cx, root, Section::Prices);
    RawScenario {
        name: top.text(cx, "name"),
        description: top.text(cx, "description"),
        start: top.value(cx, "start"),
        days: top.int(cx, "days"),
        seed: top.int(cx, "seed"),
        visits: top.text(cx, "visits"),
        license: license(cx, &license_row),
        settings: settings(cx, &settings_row),
        prices: prices(cx, &prices_row),
        group: list(cx, root, Section::Group, group),
        user: list(cx, root, Section::User, user),
        cohort: list(cx, root, Section::Cohort, cohort),
        visit: list(cx, root, Section::Visit, visit),
        action: list(cx, root, Section::Action, action),
        node: list(cx, root, Section::Node, node),
        deployment: list(cx, root, Section::Deployment, deployment),
    }
}

fn license<'t>(cx: &mut Ctx, r: &Row<'t, '_>) -> RawLicense<'t> {
    RawLicense {
        kind: r.text(cx, "kind"),
        tokens: r.int(cx, "tokens"),
        professional: r.int(cx, "professional"),
        analyzer: r.int(cx, "analyzer"),
        analyzer_capacity_packs: r.int(cx, "analyzer_capacity_packs"),
        overage: r.value(cx, "overage"),
        core_minutes: r.int(cx, "core_minutes"),
        cores: r.int(cx, "cores"),
        qap_edition: r.text(cx, "qap_edition"),
        table: r.span(),
    }
}

pub(super) fn settings<'t>(cx: &mut Ctx, r: &Row<'t, '_>) -> RawSettings<'t> {
    RawSettings {
        inactivity_timeout: r.text(cx, "inactivity_timeout"),
        login_pass_window: r.text(cx, "login_pass_window"),
        login_pass_return: r.text(cx, "login_pass_return"),
        quarantine: r.text(cx, "quarantine"),
        capacity_block: r.text(cx, "capacity_block"),
        capacity_parallel: r.text(cx, "capacity_parallel"),
        core_session: r.text(cx, "core_session"),
        max_connections: r.int(cx, "max_connections"),
        connection_cooldown: r.text(cx, "connection_cooldown"),
        node_grace: r.text(cx, "node_grace"),
        sync_interval: r.text(cx, "sync_interval"),
    }
}

fn prices<'t>(cx: &mut Ctx, r: &Row<'t, '_>) -> RawPrices<'t> {
    RawPrices {
        token: r.value(cx, "token"),
        professional: r.value(cx, "professional"),
        analyzer: r.value(cx, "analyzer"),
        capacity_pack: r.value(cx, "capacity_pack"),
        overage_minute: r.value(cx, "overage_minute"),
        currency: r.text(cx, "currency"),
    }
}

fn group<'t>(cx: &mut Ctx, r: &Row<'t, '_>) -> RawGroup<'t> {
    RawGroup {
        name: r.text(cx, "name"),
        tokens: r.int(cx, "tokens"),
    }
}

fn user<'t>(cx: &mut Ctx, r: &Row<'t, '_>) -> RawUser<'t> {
    RawUser {
        name: r.text(cx, "name"),
        access: r.text(cx, "access"),
        identity: r.text(cx, "identity"),
        node: r.text(cx, "node"),
        deployment: r.text(cx, "deployment"),
        rights: rights(cx, r),
        multiplexed_users: r.int(cx, "multiplexed_users"),
    }
}

fn rights(cx: &mut Ctx, r: &Row<'_, '_>) -> RawRights {
    RawRights {
        external: r.bool(cx, "external"),
        service_account: r.bool(cx, "service_account"),
        display: r.bool(cx, "display"),
        interactive: r.bool(cx, "interactive"),
    }
}

fn cohort<'t>(cx: &mut Ctx, r: &Row<'t, '_>) -> RawCohort<'t> {
    RawCohort {
        name: r.text(cx, "name"),
        count: r.int(cx, "count"),
        access: r.text(cx, "access"),
        identity: r.text(cx, "identity"),
        visits_per_month: r.value(cx, "visits_per_month"),
        visit_length: r.text(cx, "visit_length"),
        visit_length_spread: r.text(cx, "visit_length_spread"),
        hours: r.text(cx, "hours"),
        weekdays: r.bool(cx, "weekdays"),
        devices: r.int(cx, "devices"),
        ends: r.value(cx, "ends"),
        node: r.text(cx, "node"),
        deployment: r.text(cx, "deployment"),
        rights: rights(cx, r),
    }
}

fn visit<'t>(cx: &mut Ctx, r: &Row<'t, '_>) -> RawVisit<'t> {
    RawVisit {
        user: r.text(cx, "user"),
        at: r.value(cx, "at"),
        active: r.text(cx, "active"),
        ends: r.text(cx, "ends"),
        device: r.text(cx, "device"),
        session_id: r.text(cx, "session_id"),
        node: r.text(cx, "node"),
    }
}

fn action<'t>(cx: &mut Ctx, r: &Row<'t, '_>) -> RawAction<'t> {
    RawAction {
        at: r.value(cx, "at"),
        what: r.text(cx, "do"),
        user: r.text(cx, "user"),
        group: r.text(cx, "group"),
        tokens: r.int(cx, "tokens"),
        kind: r.text(cx, "kind"),
        node: r.text(cx, "node"),
        deployment: r.text(cx, "deployment"),
    }
}

fn node<'t>(cx: &mut Ctx, r: &Row<'t, '_>) -> RawNode<'t> {
    RawNode {
        name: r.text(cx, "name"),
        role: r.text(cx, "role"),
        engine: r.bool(cx, "engine"),
        cores: r.int(cx, "cores"),
        allocated_cores: r.int(cx, "allocated_cores"),
    }
}

fn deployment<'t>(cx: &mut Ctx, r: &Row<'t, '_>) -> RawDeployment<'t> {
    RawDeployment {
        name: r.text(cx, "name"),
    }
}
