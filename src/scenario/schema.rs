//! The scenario format as data: every section and key with its kind, default and meaning.
//! The form builder draws its inputs from it; the parser takes the action verbs from it.

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
}

/// One key of the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub section: Section,
    pub key: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// The default when the key is absent (as written in a file), "" if none.
    pub default: &'static str,
    pub help: &'static str,
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
    }
}

pub const ENDS: &[&str] = &["logout", "close", "timeout"];
pub const IDENTITIES: &[&str] = &["identified", "anonymous"];
pub const SEAT_KINDS: &[&str] = &["professional", "analyzer"];
pub const LICENSE_KINDS: &[&str] = &["perpetual", "subscription"];
pub const PARALLEL: &[&str] = &["per_device", "per_user"];
pub const ROLES: &[&str] = &["rim", "central"];

/// The `do` of an `[[action]]` and the keys it takes besides `at` and `do`.
pub const ACTIONS: &[(&str, &[&str])] = &[
    ("allocate_user_pass", &["user"]),
    ("remove_user_pass", &["user"]),
    ("reinstate_user_pass", &["user"]),
    ("set_group_tokens", &["group", "tokens"]),
    ("set_tokens", &["tokens"]),
    ("assign", &["user", "kind", "deployment"]),
    ("unassign", &["user", "kind"]),
    ("reinstate", &["user", "kind"]),
    ("disconnect_node", &["node"]),
    ("reconnect_node", &["node"]),
];

pub const ACTION_VERBS: &[&str] = &[
    "allocate_user_pass",
    "remove_user_pass",
    "reinstate_user_pass",
    "set_group_tokens",
    "set_tokens",
    "assign",
    "unassign",
    "reinstate",
    "disconnect_node",
    "reconnect_node",
];

/// The keys an action takes besides `at` and `do`; `None` for an unknown verb.
pub fn action_keys(verb: &str) -> Option<&'static [&'static str]> {
    ACTIONS.iter().find(|(v, _)| *v == verb).map(|(_, k)| *k)
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
    f(Scenario, "days", Count, true, "", "how long to simulate"),
    f(
        Scenario,
        "seed",
        Integer,
        false,
        "0",
        "seed for cohorts; same seed, same result; any whole number, negative too",
    ),
    f(
        License,
        "kind",
        Choice(LICENSE_KINDS),
        false,
        "perpetual",
        "perpetual or subscription (TOK-5)",
    ),
    f(License, "tokens", Count, false, "0", "token LEF (TOK-1)"),
    f(
        License,
        "professional",
        Count,
        false,
        "0",
        "Professional allocations (NU-1)",
    ),
    f(
        License,
        "analyzer",
        Count,
        false,
        "0",
        "Analyzer allocations (NU-1)",
    ),
    f(
        License,
        "analyzer_capacity_packs",
        Count,
        false,
        "0",
        "1000 minutes per month each (CAP-1)",
    ),
    f(
        License,
        "overage",
        Overage,
        false,
        "none",
        "none, unlimited, or minutes (CAP-3)",
    ),
    f(
        License,
        "core_minutes",
        Count,
        false,
        "0",
        "Qlik Core minutes per month (CORE-1)",
    ),
    f(
        License,
        "cores",
        Count,
        false,
        "",
        "licensed CPU cores (NODE-1)",
    ),
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
    ),
    f(
        Settings,
        "login_pass_return",
        Duration,
        false,
        "28d",
        "a used pass returns after this (LAP-7)",
    ),
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
    ),
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
    ),
    f(
        Settings,
        "max_connections",
        Count,
        false,
        "5",
        "parallel connections per user (UAP-2)",
    ),
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
    ),
    f(
        Settings,
        "sync_interval",
        Duration,
        false,
        "10m",
        "deployments sync assignments this often (QLS-1)",
    ),
    f(Prices, "token", Number, false, "", "price per token"),
    f(
        Prices,
        "professional",
        Number,
        false,
        "",
        "price per Professional allocation",
    ),
    f(
        Prices,
        "analyzer",
        Number,
        false,
        "",
        "price per Analyzer allocation",
    ),
    f(
        Prices,
        "capacity_pack",
        Number,
        false,
        "",
        "price per capacity pack",
    ),
    f(
        Prices,
        "overage_minute",
        Number,
        false,
        "",
        "price per overage minute",
    ),
    f(Prices, "currency", Text, false, "", "shown with the costs"),
    f(Group, "name", Text, true, "", "the group's name"),
    f(
        Group,
        "tokens",
        Count,
        false,
        "0",
        "tokens allocated at day 0 (10 passes each)",
    ),
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
    ),
    f(
        User,
        "deployment",
        DeploymentRef,
        false,
        "",
        "the deployment that assigns the user (QLS-1)",
    ),
    f(
        Cohort,
        "name",
        Text,
        true,
        "",
        "members are named NAME-1 … NAME-count",
    ),
    f(Cohort, "count", Count, true, "", "how many people"),
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
    ),
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
    ),
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
    ),
    f(
        Cohort,
        "deployment",
        DeploymentRef,
        false,
        "",
        "the deployment that assigns them",
    ),
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
    f(Visit, "node", NodeRef, false, "", "this visit's node"),
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
    ),
    f(
        Action,
        "kind",
        Choice(SEAT_KINDS),
        false,
        "",
        "professional or analyzer",
    ),
    f(Action, "node", NodeRef, false, "", "the node"),
    f(
        Action,
        "deployment",
        DeploymentRef,
        false,
        "",
        "the deployment that assigns",
    ),
    f(Node, "name", Text, true, "", "the node's name"),
    f(
        Node,
        "role",
        Choice(ROLES),
        false,
        "rim",
        "one node is the central node",
    ),
    f(
        Node,
        "engine",
        Bool,
        false,
        "true",
        "whether it runs an engine (gets cores)",
    ),
    f(Node, "cores", Count, false, "", "physical cores"),
    f(
        Node,
        "allocated_cores",
        Count,
        false,
        "",
        "manual allocation (NODE-1)",
    ),
    f(Deployment, "name", Text, true, "", "the deployment's name"),
];

/// The keys of one section, in form order.
pub fn fields(section: Section) -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().filter(move |f| f.section == section)
}

pub fn field(section: Section, key: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.section == section && f.key == key)
}

/// The keys of an action row that apply to its `do`.
pub fn action_applies(verb: &str, key: &str) -> bool {
    key == "at" || key == "do" || action_keys(verb).is_some_and(|k| k.contains(&key))
}
