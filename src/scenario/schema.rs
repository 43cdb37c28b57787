//! The scenario format as data, described once: every section and key with its kind,
//! default, bounds and meaning, and every choice's words with what each means in the
//! model. The parser reads the keys, their types, defaults, bounds and words from here;
//! the form draws its inputs from it; the editor (`edit`) checks typed values with it.

use super::{
    limits, Access, CapacityParallel, Ends, Identity, LicenseKind, NodeRole, Overage, QapEdition,
    Seat,
};

/// A part of the scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    /// The top-level keys (`name`, `start`, `days`, …).
    Scenario,
    License,
    Settings,
    Prices,
    Group,
    User,
    Cohort,
    Visit,
    Action,
    Node,
    Deployment,
}

impl Section {
    pub const ALL: [Section; 11] = [
        Section::Scenario,
        Section::License,
        Section::Settings,
        Section::Prices,
        Section::Group,
        Section::User,
        Section::Cohort,
        Section::Visit,
        Section::Action,
        Section::Node,
        Section::Deployment,
    ];

    /// The TOML table name (`None` for the top level).
    pub fn table(self) -> Option<&'static str> {
        Some(match self {
            Section::Scenario => return None,
            Section::License => "license",
            Section::Settings => "settings",
            Section::Prices => "prices",
            Section::Group => "group",
            Section::User => "user",
            Section::Cohort => "cohort",
            Section::Visit => "visit",
            Section::Action => "action",
            Section::Node => "node",
            Section::Deployment => "deployment",
        })
    }

    pub fn from_table(name: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.table() == Some(name))
    }

    /// Sections written `[[name]]`: a list of rows.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Section::Group
                | Section::User
                | Section::Cohort
                | Section::Visit
                | Section::Action
                | Section::Node
                | Section::Deployment
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            Section::Scenario => "Scenario",
            Section::License => "License",
            Section::Settings => "Settings",
            Section::Prices => "Prices",
            Section::Group => "Login access groups",
            Section::User => "Users",
            Section::Cohort => "Cohorts",
            Section::Visit => "Visits",
            Section::Action => "Administrative changes",
            Section::Node => "Nodes",
            Section::Deployment => "Deployments",
        }
    }
}

/// What kind of value a key holds, for the form's input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A whole number of zero or more.
    Count,
    /// Any 64-bit whole number, negative too (`seed`).
    Integer,
    /// A number of zero or more (decimals allowed).
    Number,
    /// `YYYY-MM-DD`.
    Date,
    /// `day N HH:MM` or `YYYY-MM-DDTHH:MM`.
    Time,
    /// `90m`, `2h`, `7d`, `1h30m`.
    Duration,
    Bool,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// `user_pass`, `login:GROUP`, `professional`, …
    Access,
    /// The name of a user (or cohort member).
    UserRef,
    GroupRef,
    NodeRef,
    DeploymentRef,
    /// `"logout"`, or shares like `{ logout = 0.6, timeout = 0.4 }` (cohorts).
    EndShares,
    /// `"none"`, `"unlimited"` or a number of minutes.
    Overage,
    /// `"08:00-18:00"`.
    Hours,
    /// The compact visits table: CSV rows of `[[visit]]` keys in one string.
    VisitsTable,
}

/// The TOML type a key's value has in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TomlType {
    /// A string.
    Text,
    /// An integer.
    Integer,
    Bool,
    /// Several TOML types (a date or a string, a number or a word, …): the parser checks it.
    Any,
}

impl Kind {
    pub fn toml_type(self) -> TomlType {
        match self {
            Kind::Text
            | Kind::Duration
            | Kind::Choice(_)
            | Kind::Access
            | Kind::UserRef
            | Kind::GroupRef
            | Kind::NodeRef
            | Kind::DeploymentRef
            | Kind::Hours
            | Kind::VisitsTable => TomlType::Text,
            Kind::Count | Kind::Integer => TomlType::Integer,
            Kind::Bool => TomlType::Bool,
            Kind::Number | Kind::Date | Kind::Time | Kind::EndShares | Kind::Overage => {
                TomlType::Any
            }
        }
    }
}

/// One key of the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub section: Section,
    pub key: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// The default when the key is absent (as written in a file), "" if none: the parser
    /// reads an absent key as this text.
    pub default: &'static str,
    pub help: &'static str,
    /// The smallest value (a count, a number, or a duration in minutes).
    pub min: i64,
    /// The largest value (a count or a number).
    pub max: i64,
    /// A License Lab extension of SCENARIOS.md (the README lists every one).
    pub extension: bool,
}

impl Field {
    const fn range(self, min: i64, max: i64) -> Field {
        Field { min, max, ..self }
    }

    const fn at_least(self, min: i64) -> Field {
        Field { min, ..self }
    }

    const fn extension(self) -> Field {
        Field {
            extension: true,
            ..self
        }
    }
}

const fn f(
    section: Section,
    key: &'static str,
    kind: Kind,
    required: bool,
    default: &'static str,
    help: &'static str,
) -> Field {
    Field {
        section,
        key,
        kind,
        required,
        default,
        help,
        min: 0,
        max: i64::MAX,
        extension: false,
    }
}

/// A choice's words with what each means, in the order the format lists them.
pub type Words<T> = [(&'static str, T)];

pub const LICENSE_KIND_WORDS: [(&str, LicenseKind); 2] = [
    ("perpetual", LicenseKind::Perpetual),
    ("subscription", LicenseKind::Subscription),
];
pub const IDENTITY_WORDS: [(&str, Identity); 2] = [
    ("identified", Identity::Identified),
    ("anonymous", Identity::Anonymous),
];
pub const END_WORDS: [(&str, Ends); 3] = [
    ("logout", Ends::Logout),
    ("close", Ends::Close),
    ("timeout", Ends::Timeout),
];
/// The `kind` of an `assign`, `unassign` or `reinstate` action.
pub const SEAT_WORDS: [(&str, Seat); 2] = [
    ("professional", Seat::Professional),
    ("analyzer", Seat::Analyzer),
];
pub const PARALLEL_WORDS: [(&str, CapacityParallel); 2] = [
    ("per_device", CapacityParallel::PerDevice),
    ("per_user", CapacityParallel::PerUser),
];
/// `qap_edition` of `[license]` (LM II.A).
pub const QAP_EDITION_WORDS: [(&str, QapEdition); 2] =
    [("oem", QapEdition::Oem), ("external", QapEdition::External)];
pub const ROLE_WORDS: [(&str, NodeRole); 2] =
    [("central", NodeRole::Central), ("rim", NodeRole::Rim)];
/// The words of `overage`; otherwise it is a number of minutes (CAP-3).
pub const OVERAGE_WORDS: [(&str, Overage); 2] =
    [("none", Overage::None), ("unlimited", Overage::Unlimited)];
/// `login:` and a group's name: a login access group (LAP-1).
pub const LOGIN_PREFIX: &str = "login:";
/// The accesses of a user or cohort; `login:GROUP` (no value here) names a group after
/// [`LOGIN_PREFIX`].
pub const ACCESS_WORDS: [(&str, Option<Access>); 7] = [
    ("user_pass", Some(Access::UserPass)),
    ("login:GROUP", None),
    ("professional", Some(Access::Professional)),
    ("analyzer", Some(Access::Analyzer)),
    ("capacity", Some(Access::Capacity)),
    ("dynamic", Some(Access::Dynamic)),
    ("core", Some(Access::Core)),
];

/// The `do` of an `[[action]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    AllocateUserPass,
    RemoveUserPass,
    ReinstateUserPass,
    SetGroupTokens,
    SetTokens,
    Assign,
    Unassign,
    Reinstate,
    DisconnectNode,
    ReconnectNode,
}

pub const VERBS: [(&str, Verb); 10] = [
    ("allocate_user_pass", Verb::AllocateUserPass),
    ("remove_user_pass", Verb::RemoveUserPass),
    ("reinstate_user_pass", Verb::ReinstateUserPass),
    ("set_group_tokens", Verb::SetGroupTokens),
    ("set_tokens", Verb::SetTokens),
    ("assign", Verb::Assign),
    ("unassign", Verb::Unassign),
    ("reinstate", Verb::Reinstate),
    ("disconnect_node", Verb::DisconnectNode),
    ("reconnect_node", Verb::ReconnectNode),
];

impl Verb {
    pub fn from_word(word: &str) -> Option<Verb> {
        from_word(&VERBS, word)
    }

    pub fn word(self) -> &'static str {
        word_for(&VERBS, &self).unwrap_or("")
    }

    /// The keys the action takes besides `at` and `do`.
    pub const fn keys(self) -> &'static [&'static str] {
        match self {
            Verb::AllocateUserPass | Verb::RemoveUserPass | Verb::ReinstateUserPass => &["user"],
            Verb::SetGroupTokens => &["group", "tokens"],
            Verb::SetTokens => &["tokens"],
            Verb::Assign => &["user", "kind", "deployment"],
            Verb::Unassign | Verb::Reinstate => &["user", "kind"],
            Verb::DisconnectNode | Verb::ReconnectNode => &["node"],
        }
    }

    /// UAP-1: whether the action gives (or gives back) a named access; taking one away
    /// (`remove_user_pass`, `unassign`) gives nothing.
    pub const fn gives_named_access(self) -> bool {
        match self {
            Verb::AllocateUserPass | Verb::ReinstateUserPass | Verb::Assign | Verb::Reinstate => {
                true
            }
            Verb::RemoveUserPass
            | Verb::Unassign
            | Verb::SetGroupTokens
            | Verb::SetTokens
            | Verb::DisconnectNode
            | Verb::ReconnectNode => false,
        }
    }
}

/// The words of a choice table, for [`Kind::Choice`].
const fn words<T, const N: usize>(table: &[(&'static str, T); N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = table[i].0;
        i += 1;
    }
    out
}

pub const ENDS: &[&str] = &words(&END_WORDS);
pub const IDENTITIES: &[&str] = &words(&IDENTITY_WORDS);
pub const SEAT_KINDS: &[&str] = &words(&SEAT_WORDS);
pub const LICENSE_KINDS: &[&str] = &words(&LICENSE_KIND_WORDS);
pub const PARALLEL: &[&str] = &words(&PARALLEL_WORDS);
pub const ROLES: &[&str] = &words(&ROLE_WORDS);
pub const QAP_EDITIONS: &[&str] = &words(&QAP_EDITION_WORDS);
pub const ACTION_VERBS: &[&str] = &words(&VERBS);

/// The value a word means in a choice table.
pub fn from_word<T: Copy>(table: &Words<T>, word: &str) -> Option<T> {
    table.iter().find(|(w, _)| *w == word).map(|(_, v)| *v)
}

/// The word of a value in a choice table.
pub fn word_for<T: PartialEq>(table: &Words<T>, value: &T) -> Option<&'static str> {
    table.iter().find(|(_, v)| v == value).map(|(w, _)| *w)
}

/// `"a", "b" or "c"`: a choice's words for a message.
pub fn quoted(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The accesses written as a plain word (every one but `login:GROUP`).
pub fn plain_accesses() -> impl Iterator<Item = (&'static str, Access)> {
    ACCESS_WORDS.iter().filter_map(|(w, a)| a.map(|a| (*w, a)))
}

/// The keys an action takes besides `at` and `do`; `None` for an unknown verb.
pub fn action_keys(verb: &str) -> Option<&'static [&'static str]> {
    Verb::from_word(verb).map(Verb::keys)
}

use Kind::*;
use Section::*;

/// Every key of the format, in the order a form shows them.
pub const FIELDS: &[Field] = &[
    f(
        Scenario,
        "name",
        Text,
        false,
        "Untitled scenario",
        "title shown in the app",
    ),
    f(Scenario, "description", Text, false, "", "shown in the app"),
    f(Scenario, "start", Date, true, "", "day 0, 00:00"),
    f(Scenario, "days", Count, true, "", "how long to simulate").range(1, limits::MAX_DAYS),
    f(
        Scenario,
        "seed",
        Integer,
        false,
        "0",
        "seed for cohorts; same seed, same result; any whole number, negative too",
    )
    .range(i64::MIN, i64::MAX),
    f(
        Scenario,
        "visits",
        VisitsTable,
        false,
        "",
        "the compact visits table: [[visit]] rows as CSV, after every [[visit]] table",
    ),
    f(
        License,
        "kind",
        Choice(LICENSE_KINDS),
        false,
        "perpetual",
        "perpetual or subscription (TOK-5)",
    ),
    f(License, "tokens", Count, false, "0", "token LEF (TOK-1)").range(0, limits::MAX_COUNT),
    f(
        License,
        "professional",
        Count,
        false,
        "0",
        "Professional allocations (NU-1)",
    )
    .range(0, limits::MAX_COUNT),
    f(
        License,
        "analyzer",
        Count,
        false,
        "0",
        "Analyzer allocations (NU-1)",
    )
    .range(0, limits::MAX_COUNT),
    f(
        License,
        "analyzer_capacity_packs",
        Count,
        false,
        "0",
        "1000 minutes per month each (CAP-1)",
    )
    .range(0, limits::MAX_COUNT / 1000),
    f(
        License,
        "overage",
        Overage,
        false,
        "none",
        "none, unlimited, or minutes (CAP-3)",
    )
    .range(0, limits::MAX_COUNT),
    f(
        License,
        "core_minutes",
        Count,
        false,
        "0",
        "Qlik Core minutes per month (CORE-1)",
    )
    .range(0, limits::MAX_COUNT),
    f(
        License,
        "cores",
        Count,
        false,
        "",
        "licensed CPU cores (NODE-1)",
    )
    .range(0, 1_000_000)
    .extension(),
    f(
        License,
        "qap_edition",
        Choice(QAP_EDITIONS),
        false,
        "",
        "a Qlik Analytics Platform license: oem or external (LM II.A; use rights only)",
    )
    .extension(),
    f(
        Settings,
        "inactivity_timeout",
        Duration,
        false,
        "30m",
        "a connection ends this long after the last activity (LAP-3)",
    ),
    f(
        Settings,
        "login_pass_window",
        Duration,
        false,
        "60m",
        "a login pass is live this long (LAP-2)",
    )
    .at_least(1),
    f(
        Settings,
        "login_pass_return",
        Duration,
        false,
        "28d",
        "a used pass returns after this (LAP-7)",
    )
    .at_least(1),
    f(
        Settings,
        "quarantine",
        Duration,
        false,
        "7d",
        "quarantine after removal (UAP-3)",
    ),
    f(
        Settings,
        "capacity_block",
        Duration,
        false,
        "6m",
        "capacity minutes come in blocks of this (CAP-2)",
    )
    .at_least(1),
    f(
        Settings,
        "capacity_parallel",
        Choice(PARALLEL),
        false,
        "per_device",
        "capacity blocks per device or per user (CAP-2)",
    ),
    f(
        Settings,
        "core_session",
        Duration,
        false,
        "5m",
        "a Core Session's length (CORE-2)",
    )
    .at_least(1),
    f(
        Settings,
        "max_connections",
        Count,
        false,
        "5",
        "parallel connections per user (UAP-2)",
    )
    .range(0, limits::MAX_CONNECTIONS),
    f(
        Settings,
        "connection_cooldown",
        Duration,
        false,
        "5m",
        "a closed connection still counts this long (CONN-1)",
    ),
    f(
        Settings,
        "node_grace",
        Duration,
        false,
        "2h",
        "a disconnected node serves this long (NODE-2)",
    )
    .extension(),
    f(
        Settings,
        "sync_interval",
        Duration,
        false,
        "10m",
        "deployments sync assignments this often (QLS-1)",
    )
    .extension()
    .at_least(1),
    f(Prices, "token", Number, false, "", "price per token").extension(),
    f(
        Prices,
        "professional",
        Number,
        false,
        "",
        "price per Professional allocation",
    )
    .extension(),
    f(
        Prices,
        "analyzer",
        Number,
        false,
        "",
        "price per Analyzer allocation",
    )
    .extension(),
    f(
        Prices,
        "capacity_pack",
        Number,
        false,
        "",
        "price per capacity pack",
    )
    .extension(),
    f(
        Prices,
        "overage_minute",
        Number,
        false,
        "",
        "price per overage minute",
    )
    .extension(),
    f(Prices, "currency", Text, false, "", "shown with the costs").extension(),
    f(Group, "name", Text, true, "", "the group's name"),
    f(
        Group,
        "tokens",
        Count,
        false,
        "0",
        "tokens allocated at day 0 (10 passes each)",
    )
    .range(0, limits::MAX_COUNT),
    f(User, "name", Text, true, "", "unique"),
    f(
        User,
        "access",
        Access,
        true,
        "",
        "how the user reaches the hub",
    ),
    f(
        User,
        "identity",
        Choice(IDENTITIES),
        false,
        "identified",
        "anonymous users hold no named access (UAP-1)",
    ),
    f(
        User,
        "node",
        NodeRef,
        false,
        "",
        "the node the user connects to",
    )
    .extension(),
    f(
        User,
        "deployment",
        DeploymentRef,
        false,
        "",
        "the deployment that assigns the user (QLS-1)",
    )
    .extension(),
    f(
        User,
        "external",
        Bool,
        false,
        "false",
        "the user is an external third party (LM IV.A; use rights only)",
    )
    .extension(),
    f(
        User,
        "service_account",
        Bool,
        false,
        "false",
        "the user is a service account (LM IV.E; use rights only)",
    )
    .extension(),
    f(
        User,
        "display",
        Bool,
        false,
        "false",
        "the user is a public Display (LM IV.E; use rights only)",
    )
    .extension(),
    f(
        User,
        "interactive",
        Bool,
        false,
        "false",
        "a Display viewers can interact with (LM IV.E; use rights only)",
    )
    .extension(),
    f(
        User,
        "multiplexed_users",
        Count,
        false,
        "0",
        "a shared interface in front of this many actual users (LM IV.F; use rights only)",
    )
    .range(0, limits::MAX_USERS as i64)
    .extension(),
    f(
        Cohort,
        "name",
        Text,
        true,
        "",
        "members are named NAME-1 … NAME-count",
    ),
    f(Cohort, "count", Count, true, "", "how many people").range(0, limits::MAX_USERS as i64),
    f(Cohort, "access", Access, true, "", "as for a user"),
    f(
        Cohort,
        "identity",
        Choice(IDENTITIES),
        false,
        "identified",
        "as for a user",
    ),
    f(
        Cohort,
        "visits_per_month",
        Number,
        true,
        "",
        "mean visits per person per 30 days",
    )
    .range(0, 10_000),
    f(
        Cohort,
        "visit_length",
        Duration,
        true,
        "",
        "mean active time of a visit",
    ),
    f(
        Cohort,
        "visit_length_spread",
        Duration,
        false,
        "0m",
        "its spread (standard deviation)",
    ),
    f(
        Cohort,
        "hours",
        Hours,
        false,
        "00:00-24:00",
        "visits start inside this window",
    ),
    f(
        Cohort,
        "weekdays",
        Bool,
        false,
        "false",
        "no visits on Saturday and Sunday",
    ),
    f(
        Cohort,
        "devices",
        Count,
        false,
        "1",
        "parallel devices per visit",
    )
    .range(1, limits::MAX_CONNECTIONS),
    f(
        Cohort,
        "ends",
        EndShares,
        false,
        "logout",
        "how visits end, or shares of each way",
    ),
    f(
        Cohort,
        "node",
        NodeRef,
        false,
        "",
        "the node the members connect to",
    )
    .extension(),
    f(
        Cohort,
        "deployment",
        DeploymentRef,
        false,
        "",
        "the deployment that assigns them",
    )
    .extension(),
    f(
        Cohort,
        "external",
        Bool,
        false,
        "false",
        "every member is an external third party (LM IV.A; use rights only)",
    )
    .extension(),
    f(
        Cohort,
        "service_account",
        Bool,
        false,
        "false",
        "every member is a service account (LM IV.E; use rights only)",
    )
    .extension(),
    f(
        Cohort,
        "display",
        Bool,
        false,
        "false",
        "every member is a public Display (LM IV.E; use rights only)",
    )
    .extension(),
    f(
        Cohort,
        "interactive",
        Bool,
        false,
        "false",
        "a Display viewers can interact with (LM IV.E; use rights only)",
    )
    .extension(),
    f(Visit, "user", UserRef, true, "", "a user or cohort member"),
    f(Visit, "at", Time, true, "", "when the connection starts"),
    f(
        Visit,
        "active",
        Duration,
        true,
        "",
        "how long the user works",
    ),
    f(
        Visit,
        "ends",
        Choice(ENDS),
        false,
        "logout",
        "logout or close at the end of the work, or timeout later",
    ),
    f(
        Visit,
        "device",
        Text,
        false,
        "web",
        "parallel connections use different devices",
    ),
    f(
        Visit,
        "session_id",
        Text,
        false,
        "",
        "Qlik Core only (CORE-2); default the user's name",
    ),
    f(Visit, "node", NodeRef, false, "", "this visit's node").extension(),
    f(Action, "at", Time, true, "", "when the change happens"),
    f(Action, "do", Choice(ACTION_VERBS), true, "", "what changes"),
    f(Action, "user", UserRef, false, "", "the user it concerns"),
    f(
        Action,
        "group",
        GroupRef,
        false,
        "",
        "the group it concerns",
    ),
    f(
        Action,
        "tokens",
        Count,
        false,
        "",
        "the new number of tokens",
    )
    .range(0, limits::MAX_COUNT),
    f(
        Action,
        "kind",
        Choice(SEAT_KINDS),
        false,
        "",
        "professional or analyzer",
    ),
    f(Action, "node", NodeRef, false, "", "the node").extension(),
    f(
        Action,
        "deployment",
        DeploymentRef,
        false,
        "",
        "the deployment that assigns",
    )
    .extension(),
    f(Node, "name", Text, true, "", "the node's name").extension(),
    f(
        Node,
        "role",
        Choice(ROLES),
        false,
        "rim",
        "one node is the central node",
    )
    .extension(),
    f(
        Node,
        "engine",
        Bool,
        false,
        "true",
        "whether it runs an engine (gets cores)",
    )
    .extension(),
    f(Node, "cores", Count, false, "", "physical cores")
        .range(0, 1_000_000)
        .extension(),
    f(
        Node,
        "allocated_cores",
        Count,
        false,
        "",
        "manual allocation (NODE-1)",
    )
    .range(0, 1_000_000)
    .extension(),
    f(Deployment, "name", Text, true, "", "the deployment's name").extension(),
];

/// The keys of one section, in form order.
pub fn fields(section: Section) -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().filter(move |f| f.section == section)
}

/// The keys of one section, in form order, as one slice ([`FIELDS`] lists each section's
/// keys together).
pub fn section_fields(section: Section) -> &'static [Field] {
    let start = FIELDS
        .iter()
        .position(|f| f.section == section)
        .unwrap_or(FIELDS.len());
    let len = FIELDS[start..]
        .iter()
        .take_while(|f| f.section == section)
        .count();
    &FIELDS[start..start + len]
}

/// Every key a table of the section may hold, in form order: for the top level, its keys
/// and then the sections' tables.
pub fn keys(section: Section) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = section_fields(section).iter().map(|f| f.key).collect();
    if section == Section::Scenario {
        keys.extend(Section::ALL.iter().filter_map(|s| s.table()));
    }
    keys
}

pub fn field(section: Section, key: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.section == section && f.key == key)
}

/// A key's bounds, `(min, max)` (the widest for a key not in the schema, which the tests
/// rule out).
pub fn bounds(section: Section, key: &str) -> (i64, i64) {
    field(section, key).map_or((i64::MIN, i64::MAX), |f| (f.min, f.max))
}

/// A key's default as written in a file ("" if it has none).
pub fn default(section: Section, key: &str) -> &'static str {
    field(section, key).map_or("", |f| f.default)
}

/// The keys of an action row that apply to its `do`.
pub fn action_applies(verb: &str, key: &str) -> bool {
    key == "at" || key == "do" || action_keys(verb).is_some_and(|k| k.contains(&key))
}
