//! Use rights, checked: the scenario against the license metrics' use rights (LM II.A,
//! II.B, IV.A, IV.E, IV.F; the run's checks of LM IV.C and the cores of LM I.D are in
//! `report::use_rights`). Every breach is a [`Warning`] citing its LM section and located
//! at the key or table it concerns; a warning never rejects the file, and the engine does
//! not read the use rights (RULES.md: "shown, not simulated").
//!
//! The keys: `external`, `service_account`, `display`, `interactive` on `[[user]]` and
//! `[[cohort]]`, `multiplexed_users` on `[[user]]` (the model's [`Rights`]) and
//! `qap_edition` on `[license]`. Where the LM text leaves a choice, the decision is
//! written at the check.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Access, Identity, LicenseKind, QapEdition, Rights, Scenario, Seat, User, UserId};
use crate::base::time::{Clock, Minute};

/// The most warnings of one [`Check`]; the rest are counted in one more warning.
pub const MAX_PER_CHECK: usize = 20;

/// LM IV.C: the quarantine of a named license (Professional, Analyzer, User Access Pass),
/// 7 days from its last use, whatever the scenario's `quarantine` setting.
pub const LM_QUARANTINE: Minute = 7 * crate::base::time::MINUTES_PER_DAY;

/// LM II.A: the minimum configuration of both QAP editions.
pub const QAP_MINIMUM_CORES: i64 = 4;

/// A line and column of the scenario text (both 1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };
}

impl Default for Pos {
    fn default() -> Self {
        Pos::START
    }
}

/// Where a `[[user]]` or `[[cohort]]` row and its use-rights keys are (a key only when
/// it is set: `true`, or a number above 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowPlaces {
    pub table: Pos,
    pub external: Option<Pos>,
    pub service_account: Option<Pos>,
    pub display: Option<Pos>,
    pub interactive: Option<Pos>,
    pub multiplexed_users: Option<Pos>,
}

/// Where the file states what the use rights concern, made by
/// [`crate::scenario::parse_for_check`]; a warning is located at one of these.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places {
    /// The `[license]` table (line 1 when there is none).
    pub license: Pos,
    pub kind: Option<Pos>,
    pub cores: Option<Pos>,
    pub qap_edition: Option<Pos>,
    /// `quarantine` of `[settings]` (or its table when not written).
    pub quarantine: Option<Pos>,
    /// The `[[user]]` rows with a use-rights key set, by user id.
    pub users: Vec<(UserId, RowPlaces)>,
    /// Every `[[cohort]]`, in file order.
    pub cohorts: Vec<RowPlaces>,
    /// Every `[[action]]`, in file order (its `script`).
    pub actions: Vec<Pos>,
    /// Every `[[node]]`, in file order.
    pub nodes: Vec<Pos>,
}

impl Places {
    /// The places of a user's row: its own `[[user]]` if it has a use-rights key set,
    /// else its cohort's.
    pub fn row_of(&self, sc: &Scenario, user: UserId) -> Option<RowPlaces> {
        if let Ok(i) = self.users.binary_search_by_key(&user, |(u, _)| *u) {
            return Some(self.users[i].1);
        }
        let cohort = sc.users.get(user.index())?.cohort?;
        self.cohorts.get(cohort as usize).copied()
    }

    pub fn action(&self, script: u32) -> Pos {
        self.actions
            .get(script as usize)
            .copied()
            .unwrap_or(self.license)
    }
}

/// Which use right a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// LM IV.A: a Professional user (or cohort, or assignment) marked external.
    ExternalProfessional,
    /// LM II.B: an identified user of a QAP license not marked external.
    QapInternalUse,
    /// LM II.A: QAP without cores, or below its minimum configuration of 4.
    QapMinimumCores,
    /// LM II.A: QAP for OEM on a perpetual license (it is a subscription).
    QapLicenseModel,
    /// LM I.D (QSE) or II.A (QAP): a node with an engine and no licensed core.
    NodeWithoutCores,
    /// LM IV.E: a Display with parallel connections.
    DisplayParallel,
    /// LM IV.E: an interactive Display.
    DisplayInteractive,
    /// LM IV.E: a service account on a license shared with other users.
    ServiceAccountShared,
    /// LM IV.F: a multiplexing front end without a license for each actual user.
    Multiplexing,
    /// LM IV.C: a named license taken from a user, given to another and back.
    Recycled,
    /// LM IV.C: more users on a kind of named license within its 7-day quarantine than
    /// there are licenses.
    QuarantineDefeated,
}

impl Check {
    /// The section of the license metrics (for [`Check::NodeWithoutCores`], the QSE one;
    /// a QAP license cites II.A).
    pub fn lm(self) -> &'static str {
        match self {
            Check::ExternalProfessional => "IV.A",
            Check::QapInternalUse => "II.B",
            Check::QapMinimumCores | Check::QapLicenseModel => "II.A",
            Check::NodeWithoutCores => "I.D",
            Check::DisplayParallel | Check::DisplayInteractive | Check::ServiceAccountShared => {
                "IV.E"
            }
            Check::Multiplexing => "IV.F",
            Check::Recycled | Check::QuarantineDefeated => "IV.C",
        }
    }
}

/// One breach of a use right: where, which section of the license metrics, what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub line: usize,
    pub column: usize,
    /// The section of the license metrics, like `"IV.A"`.
    pub lm: String,
    pub check: Check,
    pub message: String,
}

impl Warning {
    pub fn new(at: Pos, check: Check, message: impl Into<String>) -> Self {
        Warning {
            line: at.line,
            column: at.column,
            lm: check.lm().to_string(),
            check,
            message: message.into(),
        }
    }

    /// The same warning citing another section (a QAP license's cores: LM II.A).
    pub fn citing(mut self, lm: &str) -> Self {
        self.lm = lm.to_string();
        self
    }
}

/// `line L, column C: warning (LM IV.A): …`, as `license-lab check` prints it after the
/// file's name.
impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: warning (LM {}): {}",
            self.line, self.column, self.lm, self.message
        )
    }
}

/// The warnings in file order, at most [`MAX_PER_CHECK`] of each check: the rest are
/// counted in one warning at the first one left out.
pub fn finish(mut warnings: Vec<Warning>) -> Vec<Warning> {
    warnings.sort_by_key(|w| (w.line, w.column, w.check));
    let mut shown: std::collections::BTreeMap<Check, usize> = Default::default();
    let mut left: Vec<(Warning, usize)> = Vec::new();
    let mut out = Vec::with_capacity(warnings.len());
    for w in warnings {
        let n = shown.entry(w.check).or_default();
        *n += 1;
        if *n <= MAX_PER_CHECK {
            out.push(w);
        } else if let Some(l) = left.iter_mut().find(|(first, _)| first.check == w.check) {
            l.1 += 1;
        } else {
            left.push((w, 1));
        }
    }
    for (first, n) in left {
        let more = if n == 1 {
            "1 more warning".to_string()
        } else {
            format!("{n} more warnings")
        };
        out.push(Warning {
            message: format!("{more} like the ones above, from here on"),
            ..first
        });
    }
    out.sort_by_key(|w| (w.line, w.column));
    out
}

/// The checks that read the scenario alone, in file order ([`finish`]ed).
/// `report::use_rights::check` adds the cores of the nodes and the run's checks.
pub fn check(sc: &Scenario, places: &Places) -> Vec<Warning> {
    finish(checks(sc, places))
}

/// [`check`]'s warnings, not yet in order.
pub fn checks(sc: &Scenario, places: &Places) -> Vec<Warning> {
    let mut out = Vec::new();
    external_professional(sc, places, &mut out);
    qap(sc, places, &mut out);
    displays(sc, places, &mut out);
    service_accounts(sc, places, &mut out);
    multiplexing(sc, places, &mut out);
    out
}

/// A row of the file that states use rights: a `[[user]]` (with a key set) or a
/// `[[cohort]]`.
struct Row {
    rights: Rights,
    access: Access,
    places: RowPlaces,
    /// `` `ann` `` or `` cohort `partners` (12 people) ``.
    who: String,
    /// Its users: one, or the cohort's members.
    users: std::ops::Range<usize>,
}

fn rows<'a>(sc: &'a Scenario, places: &'a Places) -> impl Iterator<Item = Row> + 'a {
    let users = places.users.iter().filter_map(|(id, p)| {
        let u = sc.users.get(id.index())?;
        Some(Row {
            rights: u.rights,
            access: u.access,
            places: *p,
            who: format!("`{}`", u.name),
            users: id.index()..id.index() + 1,
        })
    });
    let cohorts = sc.cohorts.iter().zip(&places.cohorts).map(|(c, p)| Row {
        rights: c.rights,
        access: c.access,
        places: *p,
        who: format!(
            "cohort `{}` ({})",
            c.name,
            plural(c.count as usize, "person", "people")
        ),
        users: c.first_user.index()..c.first_user.index() + c.count as usize,
    });
    users.chain(cohorts)
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

const PROFESSIONAL_NOT_EXTERNAL: &str = "Professional users are not available for external use by third parties (also LM I.A.1); external users may have an Analyzer allocation, Analyzer Capacity or a token's access pass";

/// LM IV.A (and I.A.1): "Professional Users are not available for external use by third
/// parties". A user or cohort marked `external` with `access = "professional"`, and an
/// `assign` of a Professional allocation to an external user. (Dynamic assignment giving
/// one to an external user is seen in the run: `report::use_rights`.)
fn external_professional(sc: &Scenario, places: &Places, out: &mut Vec<Warning>) {
    for r in rows(sc, places) {
        if r.rights.external && r.access == Access::Professional {
            let at = r.places.external.unwrap_or(r.places.table);
            let message = format!(
                "{} is external and has `access = \"professional\"`: {PROFESSIONAL_NOT_EXTERNAL}",
                r.who
            );
            out.push(Warning::new(at, Check::ExternalProfessional, message));
        }
    }
    for a in &sc.actions {
        if let super::ActionKind::Assign(u, Seat::Professional, _) = a.kind {
            let Some(user) = sc.users.get(u.index()) else {
                continue;
            };
            if user.rights.external {
                let message = format!(
                    "this assigns a Professional allocation to external `{}` at {}: {PROFESSIONAL_NOT_EXTERNAL}",
                    user.name,
                    Clock::format_relative(a.at)
                );
                out.push(Warning::new(
                    places.action(a.script),
                    Check::ExternalProfessional,
                    message,
                ));
            }
        }
    }
}

/// LM II.A and II.B, for a license with `qap_edition`:
///
/// - QAP is licensed by cores, with a minimum configuration of 4 (II.A): no `cores`, or
///   fewer than 4.
/// - QAP for OEM is a subscription (II.A): `kind = "perpetual"` (the default).
/// - "The right to access and view a QAP Application is restricted to external third
///   parties" (II.B; IV.A's table: internal use N, "except for purposes of Application
///   testing and validation"): identified users not marked `external`. Anonymous users
///   are permitted: "where access to a QAP Application is both publically available and
///   no user authentication or login is required … such use is permitted regardless of
///   whether the end user is internal or external". **Decision:** the file cannot say
///   that a user only tests, so the warning names the exception. Explicit users are
///   counted in one warning at `qap_edition`; each cohort has its own.
fn qap(sc: &Scenario, places: &Places, out: &mut Vec<Warning>) {
    let Some(edition) = sc.license.qap_edition else {
        return;
    };
    let at = places.qap_edition.unwrap_or(places.license);
    let name = match edition {
        QapEdition::Oem => "Qlik Analytics Platform for OEM",
        QapEdition::External => "Qlik Analytics Platform External Edition",
    };
    match sc.license.cores {
        None => out.push(Warning::new(
            at,
            Check::QapMinimumCores,
            format!("{name} is licensed by cores, at least {QAP_MINIMUM_CORES}: set `cores` in [license]"),
        )),
        Some(n) if n < QAP_MINIMUM_CORES => out.push(Warning::new(
            places.cores.unwrap_or(at),
            Check::QapMinimumCores,
            format!("{name} has a minimum configuration of {QAP_MINIMUM_CORES} cores; the license has {n}"),
        )),
        Some(_) => {}
    }
    if edition == QapEdition::Oem && sc.license.kind == LicenseKind::Perpetual {
        let message = format!("{name} is licensed as a subscription only, and this license is perpetual: set kind = \"subscription\"");
        out.push(Warning::new(
            places.kind.unwrap_or(at),
            Check::QapLicenseModel,
            message,
        ));
    }
    let internal =
        |identity: Identity, rights: Rights| identity == Identity::Identified && !rights.external;
    let exception = "access to a QAP application is for external third parties only (also LM IV.A), except to test and validate it, or when it is public and needs no login (anonymous users)";
    let users: Vec<&User> = sc
        .users
        .iter()
        .filter(|u| u.cohort.is_none() && internal(u.identity, u.rights))
        .collect();
    if !users.is_empty() {
        let message = format!(
            "{} not marked `external = true`: {exception}",
            names_of(&users, "identified user is", "identified users are")
        );
        out.push(Warning::new(at, Check::QapInternalUse, message));
    }
    for (c, p) in sc.cohorts.iter().zip(&places.cohorts) {
        if c.count > 0 && internal(c.identity, c.rights) {
            let message = format!(
                "cohort `{}` ({} identified) is not marked `external = true`: {exception}",
                c.name,
                plural(c.count as usize, "person", "people")
            );
            out.push(Warning::new(p.table, Check::QapInternalUse, message));
        }
    }
}

/// "`ann`, `bob` and 3 more identified users are", up to 3 names.
fn names_of(users: &[&User], one: &str, many: &str) -> String {
    let names: Vec<String> = users
        .iter()
        .take(3)
        .map(|u| format!("`{}`", u.name))
        .collect();
    match users.len() {
        0 => String::new(),
        1 => format!("{} {one}", names[0]),
        n if n <= 3 => format!("{} and {} {many}", names[..n - 1].join(", "), names[n - 1]),
        n => format!("{} and {} more {many}", names.join(", "), n - 3),
    }
}

/// LM IV.E, Displays: "A user license may also be designated for a … Display …, provided
/// the Display is not interactive. … A single user license may not be used to create
/// parallel connections for multiple Displays."
///
/// - `interactive = true` on a Display (**Decision:** `interactive` alone, without
///   `display`, states nothing: the LM speaks of interactive Displays only).
/// - A Display with two connections open at once: overlapping visits on different
///   devices (two visits of an identified user on one device are one connection,
///   CONN-0; every anonymous visit is its own). The visits are read as the scenario
///   states them, a connection from `at` to `at + active` (plus `inactivity_timeout` for
///   `ends = "timeout"`), whether or not the engine admits them. One warning per row,
///   at the first moment.
fn displays(sc: &Scenario, places: &Places, out: &mut Vec<Warning>) {
    for r in rows(sc, places) {
        if r.rights.interactive && r.rights.display {
            let at = r.places.interactive.unwrap_or(r.places.table);
            let message = format!(
                "{} is an interactive Display: a user license may be designated for a Display only if it is not interactive, and a Display may not be used to circumvent user licensing; the people who use it need licenses of their own",
                r.who
            );
            out.push(Warning::new(at, Check::DisplayInteractive, message));
        }
    }
    let displays: Vec<Row> = rows(sc, places).filter(|r| r.rights.display).collect();
    if displays.is_empty() {
        return;
    }
    // Each display user's connections: (start, end, device).
    let mut of_user: std::collections::HashMap<UserId, Vec<(Minute, Minute, u32)>> =
        Default::default();
    let timeout = sc.settings.inactivity_timeout;
    for v in &sc.visits {
        if sc
            .users
            .get(v.user.index())
            .is_some_and(|u| u.rights.display)
        {
            let end = v.at
                + v.active
                + if v.ends == super::Ends::Timeout {
                    timeout
                } else {
                    0
                };
            of_user
                .entry(v.user)
                .or_default()
                .push((v.at, end, v.device));
        }
    }
    for r in displays {
        let found = r.users.clone().find_map(|u| {
            let u = UserId::new(u);
            let anonymous = sc.users[u.index()].is_anonymous();
            parallel(of_user.get(&u)?, anonymous).map(|p| (u, p))
        });
        let Some((u, (at, a, b))) = found else {
            continue;
        };
        let name = sc.user_name(u);
        let whom = if r.users.len() == 1 {
            format!("Display {}", r.who)
        } else {
            format!("Display `{name}` of {}", r.who)
        };
        let devices = if a == b {
            format!("two anonymous connections on `{}`", sc.device_name(a))
        } else {
            format!(
                "devices `{}` and `{}`",
                sc.device_name(a),
                sc.device_name(b)
            )
        };
        let message = format!(
            "{whom} has two connections at once at {} ({devices}): a single user license may not be used to create parallel connections for multiple Displays; one user license for each Display",
            Clock::format_relative(at)
        );
        let pos = r.places.display.unwrap_or(r.places.table);
        out.push(Warning::new(pos, Check::DisplayParallel, message));
    }
}

/// The first moment two of the connections are open at once: (the minute, the devices).
/// A connection ending at a minute is closed before one starting then (TIME-3).
fn parallel(visits: &[(Minute, Minute, u32)], anonymous: bool) -> Option<(Minute, u32, u32)> {
    let mut visits = visits.to_vec();
    visits.sort_unstable();
    let mut open: Vec<(Minute, u32)> = Vec::new();
    for (start, end, device) in visits {
        open.retain(|(e, _)| *e > start);
        if let Some((_, other)) = open.iter().find(|(_, d)| anonymous || *d != device) {
            return Some((start, *other, device));
        }
        open.push((end, device));
    }
    None
}

/// LM IV.E, service accounts: "One user license should be assigned to one service
/// account". **Decision:** a service account shares a license when it connects on
/// passes or minutes other users draw on too: a login access group's passes
/// (`login:GROUP`) or Analyzer Capacity (`capacity`, and `dynamic` users who may fall
/// back on it), with other users of the same. A User Access Pass, a Professional or an
/// Analyzer allocation is the service account's own; `dynamic` (which NU-4 gives one
/// when free) and `core` (Qlik Core, outside LM IV) are not warned about.
fn service_accounts(sc: &Scenario, places: &Places, out: &mut Vec<Warning>) {
    for r in rows(sc, places).filter(|r| r.rights.service_account) {
        let (what, others) = match r.access {
            Access::Login(g) => (
                format!("login access group `{}`'s passes", sc.group_name(g)),
                sc.users.iter().filter(|u| u.access == r.access).count(),
            ),
            Access::Capacity => (
                "Analyzer Capacity".to_string(),
                sc.users
                    .iter()
                    .filter(|u| matches!(u.access, Access::Capacity | Access::Dynamic))
                    .count(),
            ),
            _ => continue,
        };
        let mine = r.users.len();
        let others = others.saturating_sub(mine);
        if others == 0 && mine == 1 {
            continue;
        }
        let with = match (mine, others) {
            (1, n) => format!("shared with {}", plural(n, "other user", "other users")),
            (m, 0) => format!("shared by its {m} service accounts"),
            (m, n) => format!(
                "shared by its {m} service accounts and {}",
                plural(n, "other user", "other users")
            ),
        };
        let message = format!(
            "service account {} connects on {what}, {with}: one user license should be assigned to one service account; give it a User Access Pass or an allocation of its own",
            r.who
        );
        let at = r.places.service_account.unwrap_or(r.places.table);
        out.push(Warning::new(at, Check::ServiceAccountShared, message));
    }
}

/// LM IV.F: "If Qlik Sense software is utilized with an interface that permits
/// multiplexing to occur, customer is required to license a quantity of use licenses
/// equivalent to the total number of actual users at the multiplexing front end."
///
/// **Decision:** a `[[user]]` with `multiplexed_users = N` (N ≥ 2) is a shared interface
/// in front of N actual users, who need N use licenses of the interface's kind (its own
/// included). On a User Access Pass, a Professional or an Analyzer allocation, the
/// license must hold enough of that kind for every user of it, each interface counting
/// N (User Access Passes: the tokens not given to login access groups at the start).
/// On login passes, Analyzer Capacity or dynamic assignment, no quantity is licensed per
/// user: always a warning. Qlik Core (`core`) is outside LM IV.
fn multiplexing(sc: &Scenario, places: &Places, out: &mut Vec<Warning>) {
    let fronts: Vec<(UserId, RowPlaces)> = places
        .users
        .iter()
        .filter(|(u, _)| {
            sc.users
                .get(u.index())
                .is_some_and(|u| u.rights.multiplexed_users >= 2)
        })
        .copied()
        .collect();
    if fronts.is_empty() {
        return;
    }
    // Users needing a license of each named kind, an interface counting its N.
    let mut needed = [0u64; 3];
    for u in &sc.users {
        if let Some(seat) = seat_of(u.access) {
            needed[seat.index()] += u64::from(u.rights.multiplexed_users.max(1));
        }
    }
    let groups: i64 = sc.groups.iter().map(|g| g.tokens).sum();
    let licensed = |seat: Seat| match seat {
        Seat::UserPass => (sc.license.tokens - groups).max(0),
        Seat::Professional => sc.license.professional,
        Seat::Analyzer => sc.license.analyzer,
    };
    for (id, p) in fronts {
        let u = &sc.users[id.index()];
        let n = u.rights.multiplexed_users;
        let front = format!(
            "`{}` is a shared interface for {n} actual users (multiplexing)",
            u.name
        );
        let rule = "a use license is required for each actual user at the multiplexing front end";
        let message = match u.access {
            Access::Core => continue,
            Access::Login(g) => format!(
                "{front} on login access group `{}`'s passes: {rule}, not one user's passes",
                sc.group_name(g)
            ),
            Access::Capacity => {
                format!("{front} on Analyzer Capacity, metered as one user: {rule}")
            }
            Access::Dynamic => format!(
                "{front} with dynamic assignment, which gives it one allocation (NU-4): {rule}"
            ),
            Access::UserPass | Access::Professional | Access::Analyzer => {
                let Some(seat) = seat_of(u.access) else {
                    continue;
                };
                let have = licensed(seat);
                let need = needed[seat.index()];
                if need <= have as u64 {
                    continue;
                }
                let holds = match seat {
                    Seat::UserPass if groups > 0 => format!(
                        "{have} tokens for User Access Passes beside the login access groups' {groups}"
                    ),
                    Seat::UserPass => plural(have as usize, "token", "tokens"),
                    Seat::Professional => plural(have as usize, "Professional allocation", "Professional allocations"),
                    Seat::Analyzer => plural(have as usize, "Analyzer allocation", "Analyzer allocations"),
                };
                format!(
                    "{front}: {rule}; the license has {holds} for {need} users of them, counting these {n}"
                )
            }
        };
        let at = p.multiplexed_users.unwrap_or(p.table);
        out.push(Warning::new(at, Check::Multiplexing, message));
    }
}

/// The named license an access allocates at the start (UAP-1, NU-1).
pub fn seat_of(access: Access) -> Option<Seat> {
    match access {
        Access::UserPass => Some(Seat::UserPass),
        Access::Professional => Some(Seat::Professional),
        Access::Analyzer => Some(Seat::Analyzer),
        _ => None,
    }
}
