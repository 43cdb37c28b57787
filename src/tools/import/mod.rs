//! Importers: what an administrator can export, turned into a scenario of the actual
//! license and the real visits (issue 14). Pure Rust on `&[u8]`, no browser types, so the
//! command line (`license-lab import`) and the app's worker call the same [`import`].
//!
//! One file per source format; each reads by column or field name (never by position),
//! tolerates extra columns and fields, and reports a bad row by its line: skipped and
//! counted with [`Options::skip_bad`], else the import stops there with an
//! [`ImportError`]. The format is detected from the content ([`detect`]) unless forced.
//!
//! Every importer feeds one [`History`]: people (named `DIRECTORY\id`), the license and
//! allocations found, and sessions in UTC seconds. [`History::finish`] turns it into a
//! scenario through [`ScenarioBuilder`], and [`Import::to_toml`] writes it with the
//! visits in the compact table.

mod cloud;
mod proxy_log;
mod qrs_license;
mod qrs_usage;
mod sessions;
pub mod when;
pub mod write;

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;

use crate::base::time::{Clock, Minute};
use crate::scenario::builder::{Head, ScenarioBuilder};
use crate::scenario::UserId;
use crate::scenario::{
    limits, Access, Ends, Group, Identity, License, LicenseKind, Overage, Prices, Scenario,
    Settings, User, Visit,
};

pub use sessions::{ColumnMap, Columns, Field};
use when::Seconds;

/// The largest file an import reads (a 60 MB log holds about a million sessions).
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024 * 1024;

/// The source formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    /// A CSV or TSV of sessions, columns mapped by name.
    Sessions,
    /// QRS `/qrs/license/useraccesstype/full`: User Access Passes.
    UserAccessTypes,
    /// QRS `/qrs/license/loginaccesstype/full`: login access groups.
    LoginAccessTypes,
    /// QRS `/qrs/license/professionalaccesstype/full`.
    ProfessionalAccessTypes,
    /// QRS `/qrs/license/analyzeraccesstype/full`.
    AnalyzerAccessTypes,
    /// QRS `/qrs/license/accesstypeoverview`: the totals.
    AccessTypeOverview,
    /// QRS `/qrs/license/loginaccessusage/full`.
    LoginAccessUsage,
    /// QRS `/qrs/license/useraccessusage/full`.
    UserAccessUsage,
    /// QRS `/qrs/license/analyzertimeaccessusage/full`.
    AnalyzerTimeAccessUsage,
    /// Qlik Cloud `/api/v1/licenses/consumption`.
    CloudConsumption,
    /// The proxy's `AuditActivity_Proxy.txt`.
    ProxyAudit,
}

impl Format {
    pub const ALL: [Format; 11] = [
        Format::Sessions,
        Format::UserAccessTypes,
        Format::LoginAccessTypes,
        Format::ProfessionalAccessTypes,
        Format::AnalyzerAccessTypes,
        Format::AccessTypeOverview,
        Format::LoginAccessUsage,
        Format::UserAccessUsage,
        Format::AnalyzerTimeAccessUsage,
        Format::CloudConsumption,
        Format::ProxyAudit,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Sessions => "sessions",
            Format::UserAccessTypes => "qrs-useraccesstype",
            Format::LoginAccessTypes => "qrs-loginaccesstype",
            Format::ProfessionalAccessTypes => "qrs-professionalaccesstype",
            Format::AnalyzerAccessTypes => "qrs-analyzeraccesstype",
            Format::AccessTypeOverview => "qrs-accesstypeoverview",
            Format::LoginAccessUsage => "qrs-loginaccessusage",
            Format::UserAccessUsage => "qrs-useraccessusage",
            Format::AnalyzerTimeAccessUsage => "qrs-analyzertimeaccessusage",
            Format::CloudConsumption => "cloud-consumption",
            Format::ProxyAudit => "proxy-audit",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Sessions => "sessions table",
            Format::UserAccessTypes => "QRS User Access allocations",
            Format::LoginAccessTypes => "QRS login access groups",
            Format::ProfessionalAccessTypes => "QRS Professional allocations",
            Format::AnalyzerAccessTypes => "QRS Analyzer allocations",
            Format::AccessTypeOverview => "QRS access type overview",
            Format::LoginAccessUsage => "QRS login access usage",
            Format::UserAccessUsage => "QRS user access usage",
            Format::AnalyzerTimeAccessUsage => "QRS analyzer capacity usage",
            Format::CloudConsumption => "Qlik Cloud license consumption",
            Format::ProxyAudit => "proxy audit activity log",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// One file to import.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Its name, for messages (a path or the dropped file's name).
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// How to import.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Options {
    /// Forces one format for every file; `None`: detected from each file's content.
    pub format: Option<Format>,
    /// Every user name replaced by a stable pseudonym (`person-1`, …).
    pub pseudonyms: bool,
    /// Bad rows are skipped and counted; without it the first bad row stops the import.
    pub skip_bad: bool,
    /// For sessions tables: which column holds what (unset fields are detected).
    pub columns: ColumnMap,
    /// The scenario's name; default from the files.
    pub name: Option<String>,
}

/// A file that cannot be read, or the first bad row when bad rows stop the import.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportError {
    pub file: String,
    /// 1-based; `None` for the whole file.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}: line {l}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ImportError {}

/// A row left out, with why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BadRow {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// What one file gave.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FileSummary {
    pub name: String,
    pub format: Format,
    /// Rows or records read (bad ones included).
    pub records: usize,
    pub sessions: usize,
}

/// What the import found, for the preview and the command line's standard error.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub files: Vec<FileSummary>,
    pub users: usize,
    pub sessions: usize,
    /// First and last session start, `YYYY-MM-DD HH:MM:SS` UTC.
    pub first: Option<String>,
    pub last: Option<String>,
    pub start: String,
    pub days: i64,
    /// Rows skipped; `skipped_rows` lists the first [`MAX_LISTED_BAD_ROWS`].
    pub skipped: usize,
    pub skipped_rows: Vec<BadRow>,
    /// Service accounts (directory `INTERNAL`) left out: not people.
    pub service_accounts: usize,
    /// Things the user should know (allocations left out, defaults taken).
    pub notes: Vec<String>,
}

/// Bad rows beyond this many are counted, not listed.
pub const MAX_LISTED_BAD_ROWS: usize = 100;

impl Summary {
    /// The summary as `license-lab import` prints it on standard error.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        for f in &self.files {
            s.push_str(&format!(
                "{}: {} ({}, {})\n",
                f.name,
                f.format.label(),
                count(f.records, "record", "records"),
                count(f.sessions, "session", "sessions")
            ));
        }
        s.push_str(&format!(
            "{}, {}",
            count(self.users, "user", "users"),
            count(self.sessions, "session", "sessions")
        ));
        match (&self.first, &self.last) {
            (Some(a), Some(b)) => s.push_str(&format!(
                ", from {a} to {b} UTC ({} from {})\n",
                count(self.days as usize, "day", "days"),
                self.start
            )),
            _ => s.push('\n'),
        }
        if self.service_accounts > 0 {
            s.push_str(&format!(
                "{} (INTERNAL\\…) left out\n",
                count(self.service_accounts, "service account", "service accounts")
            ));
        }
        if self.skipped > 0 {
            s.push_str(&format!(
                "{} skipped:\n",
                count(self.skipped, "bad row", "bad rows")
            ));
            for r in &self.skipped_rows {
                s.push_str(&format!("  {}: line {}: {}\n", r.file, r.line, r.message));
            }
            if self.skipped > self.skipped_rows.len() {
                s.push_str(&format!(
                    "  … and {} more\n",
                    self.skipped - self.skipped_rows.len()
                ));
            }
        }
        for n in &self.notes {
            s.push_str(&format!("note: {n}\n"));
        }
        s
    }
}

/// A finished import: the scenario and what was found.
#[derive(Debug, Clone)]
pub struct Import {
    pub scenario: Scenario,
    pub summary: Summary,
}

impl Import {
    /// The scenario's text: license, groups and users as tables, the visits in the
    /// compact table. `parse(to_toml())` gives back `scenario` exactly.
    pub fn to_toml(&self) -> String {
        write::scenario_text(&self.scenario, &self.summary)
    }

    /// [`Import::to_toml`], refused when the text is over the scenario size limits
    /// (`scenario::limits`): then the import is too large to keep as a scenario.
    pub fn text(&self) -> Result<String, ImportError> {
        let text = self.to_toml();
        crate::scenario::visits_table::check_size(&text).map_err(|e| ImportError {
            file: self
                .summary
                .files
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            line: None,
            message: format!(
                "the scenario of this import would not load ({e}): import a shorter period"
            ),
        })?;
        Ok(text)
    }
}

/// An access found for a person, in increasing precedence: a named allocation beats
/// what usage shows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Found {
    Capacity,
    Login(String),
    UserPass,
    Analyzer,
    Professional,
}

struct Person {
    name: String,
    found: Option<Found>,
}

/// One session in UTC seconds. `last` and `stop` are `None` when the source does not
/// give them.
#[derive(Debug, Clone, Copy)]
struct Session {
    person: u32,
    start: Seconds,
    last: Option<Seconds>,
    stop: Option<Seconds>,
    device: u32,
    session_id: u32,
}

const NONE: u32 = u32::MAX;

/// A name index for devices and session ids.
#[derive(Default)]
struct Names {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Names {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(i) = self.index.get(name) {
            return *i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }
}

/// The license figures found.
#[derive(Default)]
struct LicenseFound {
    total_tokens: Option<i64>,
    /// Login access groups in file order, with their tokens.
    groups: Vec<(String, i64)>,
    /// QRS ids of login access types → group names.
    group_ids: HashMap<String, String>,
    /// QRS ids of named allocations → their holders (usage names the allocation only).
    allocation_ids: HashMap<String, u32>,
    professional_total: Option<i64>,
    analyzer_total: Option<i64>,
    capacity_minutes: Option<i64>,
}

/// Everything read so far; every importer feeds it.
pub(crate) struct History {
    people: Vec<Person>,
    people_index: HashMap<String, u32>,
    sessions: Vec<Session>,
    devices: Names,
    session_ids: Names,
    license: LicenseFound,
    skip_bad: bool,
    file: String,
    skipped: usize,
    skipped_rows: Vec<BadRow>,
    service_accounts: std::collections::HashSet<String>,
    notes: Vec<String>,
    /// Capacity minutes the source says were used (Qlik Cloud's `minutesUsed`).
    minutes_used: i64,
    /// Allocations left out because they were in quarantine at export time.
    quarantined: usize,
    name_buf: String,
}

/// The outcome of one person reference.
pub(crate) enum Who {
    Person(u32),
    /// A service account: not a person, left out.
    Service,
}

impl History {
    fn new(skip_bad: bool) -> History {
        History {
            people: Vec::new(),
            people_index: HashMap::new(),
            sessions: Vec::new(),
            devices: Names::default(),
            session_ids: Names::default(),
            license: LicenseFound::default(),
            skip_bad,
            file: String::new(),
            skipped: 0,
            skipped_rows: Vec::new(),
            service_accounts: Default::default(),
            notes: Vec::new(),
            minutes_used: 0,
            quarantined: 0,
            name_buf: String::new(),
        }
    }

    /// A bad row: skipped (and counted) or the end of the import.
    pub(crate) fn bad(
        &mut self,
        line: usize,
        message: impl Into<String>,
    ) -> Result<(), ImportError> {
        let message = message.into();
        if !self.skip_bad {
            return Err(ImportError {
                file: self.file.clone(),
                line: Some(line),
                message: format!("{message} (--skip-bad skips such rows)"),
            });
        }
        self.skipped += 1;
        if self.skipped_rows.len() < MAX_LISTED_BAD_ROWS {
            self.skipped_rows.push(BadRow {
                file: self.file.clone(),
                line,
                message,
            });
        }
        Ok(())
    }

    /// The person `DIRECTORY\id`. An empty id is an error; an empty directory leaves the
    /// id alone; the `INTERNAL` directory holds Qlik's service accounts, not people.
    pub(crate) fn person(&mut self, directory: &str, id: &str) -> Result<Who, String> {
        let (directory, id) = (directory.trim(), id.trim());
        if id.is_empty() {
            return Err("the user id is empty".into());
        }
        if directory.eq_ignore_ascii_case("INTERNAL") {
            self.service_accounts.insert(id.to_ascii_lowercase());
            return Ok(Who::Service);
        }
        // One buffer for every lookup: a log names the same people many times.
        let mut name = std::mem::take(&mut self.name_buf);
        name.clear();
        if !directory.is_empty() {
            name.push_str(directory);
            name.push('\\');
        }
        name.push_str(id);
        if let Some(i) = self.people_index.get(name.as_str()) {
            let i = *i;
            self.name_buf = name;
            return Ok(Who::Person(i));
        }
        if self.people.len() >= limits::MAX_USERS {
            return Err(format!(
                "too many users (the limit is {})",
                limits::MAX_USERS
            ));
        }
        let i = self.people.len() as u32;
        self.people_index.insert(name.clone(), i);
        self.people.push(Person { name, found: None });
        Ok(Who::Person(i))
    }

    /// A person named by one text: `DIRECTORY\id` (or `DIRECTORY/id`), or an id alone.
    pub(crate) fn person_named(&mut self, text: &str) -> Result<Who, String> {
        match text.trim().split_once(['\\', '/']) {
            Some((d, id)) if !d.is_empty() => self.person(d, id),
            _ => self.person("", text),
        }
    }

    fn found(&mut self, person: u32, found: Found) {
        let p = &mut self.people[person as usize];
        if p.found.as_ref().is_none_or(|f| *f < found) {
            p.found = Some(found);
        }
    }

    /// A session; `Err` with what is wrong when it ends before it starts.
    pub(crate) fn session(
        &mut self,
        person: u32,
        start: Seconds,
        last: Option<Seconds>,
        stop: Option<Seconds>,
        device: Option<&str>,
        session_id: Option<&str>,
    ) -> Result<(), String> {
        for (what, t) in [("its last activity", last), ("its end", stop)] {
            if let Some(t) = t {
                if t < start {
                    return Err(format!(
                        "the session starts at {} but {what} is earlier, at {}: expected times that do not go backwards",
                        when::format(start),
                        when::format(t)
                    ));
                }
            }
        }
        if self.sessions.len() >= limits::MAX_VISITS {
            return Err(format!(
                "too many sessions (the limit is {})",
                limits::MAX_VISITS
            ));
        }
        let device = match device.map(str::trim) {
            Some(d) if !d.is_empty() && d != "web" => self.devices.id(d),
            _ => NONE,
        };
        let session_id = match session_id.map(str::trim) {
            Some(s) if !s.is_empty() => self.session_ids.id(s),
            _ => NONE,
        };
        self.sessions.push(Session {
            person,
            start,
            last,
            stop,
            device,
            session_id,
        });
        Ok(())
    }

    /// Turns what was read into a scenario.
    fn finish(mut self, options: &Options, files: Vec<FileSummary>) -> Result<Import, ImportError> {
        let whole = |message: String| ImportError {
            file: files
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            line: None,
            message,
        };
        let settings = Settings::default();
        let period = self.period().map_err(whole)?;
        let (first, last, start_date) = (period.first, period.last, period.start_date);
        // The license: groups, users and their access.
        let mut groups: Vec<Group> = self
            .license
            .groups
            .iter()
            .map(|(name, tokens)| Group {
                name: name.clone(),
                tokens: *tokens,
            })
            .collect();
        let mut builder = ScenarioBuilder::new();
        let (user_of, found) = self
            .add_users(options, &mut groups, &mut builder)
            .map_err(whole)?;
        let license = self.license(&groups, &found);
        let timeout = settings.inactivity_timeout * 60;
        self.push_visits(&mut builder, &user_of, period.origin, timeout);
        let name = options.name.clone().unwrap_or_else(|| import_name(&files));
        if files.iter().filter(|f| f.sessions > 0).count() > 1 {
            self.notes.push(
                "sessions of several files are added together: give one usage source per period, or the same sessions count twice".into(),
            );
        }
        let head = Head {
            name,
            description: format!(
                "Imported by license-lab import: {} users, {} sessions{}.",
                self.people.len(),
                self.sessions.len(),
                match (first, last) {
                    (Some(a), Some(b)) =>
                        format!(" from {} to {} UTC", when::format(a), when::format(b)),
                    _ => String::new(),
                }
            ),
            clock: Clock::new(start_date),
            days: period.days.max(1),
            seed: 0,
            license,
            settings,
            prices: Prices::default(),
            groups,
            cohorts: Vec::new(),
            actions: Vec::new(),
            nodes: Vec::new(),
            deployments: Vec::new(),
        };
        let scenario = builder.finish(head).map_err(whole)?;
        let summary = Summary {
            users: scenario.users.len(),
            sessions: scenario.visits.len(),
            first: first.map(when::format),
            last: last.map(when::format),
            start: start_date.format("%Y-%m-%d").to_string(),
            days: scenario.days,
            skipped: self.skipped,
            skipped_rows: self.skipped_rows,
            service_accounts: self.service_accounts.len(),
            notes: self.notes,
            files,
        };
        Ok(Import { scenario, summary })
    }

    /// Sorts the sessions (a stable sort keeps file order at one time) and finds the
    /// period they span, from 00:00 UTC of the first one's day.
    fn period(&mut self) -> Result<Period, String> {
        self.sessions.sort_by_key(|s| s.start);
        let (first, last) = match (self.sessions.first(), self.sessions.last()) {
            (Some(a), Some(b)) => (Some(a.start), Some(b.start)),
            _ => (None, None),
        };
        let origin_day = first.map(|f| f.div_euclid(86_400)).unwrap_or(0);
        let start_date = NaiveDate::from_num_days_from_ce_opt((origin_day + 719_163) as i32)
            .ok_or_else(|| "the sessions are outside the calendar".to_string())?;
        let days = match last {
            Some(l) => l.div_euclid(86_400) - origin_day + 1,
            None => 1,
        };
        if days > limits::MAX_DAYS {
            return Err(format!(
                "the sessions span {days} days; the limit is {} days (100 years)",
                limits::MAX_DAYS
            ));
        }
        Ok(Period {
            first,
            last,
            start_date,
            days,
            origin: origin_day * 86_400,
        })
    }

    /// Every person as a user with the access found (sorted by name, or in order of
    /// appearance as `person-N` with pseudonyms); a group for a login group the usage
    /// names and no export does, and `imported` for people with no access found.
    /// Returns each person's user id and the counts of named allocations.
    fn add_users(
        &mut self,
        options: &Options,
        groups: &mut Vec<Group>,
        builder: &mut ScenarioBuilder,
    ) -> Result<(Vec<UserId>, FoundCounts), String> {
        let order: Vec<u32> = if options.pseudonyms {
            (0..self.people.len() as u32).collect()
        } else {
            let mut o: Vec<u32> = (0..self.people.len() as u32).collect();
            o.sort_by(|a, b| {
                self.people[*a as usize]
                    .name
                    .cmp(&self.people[*b as usize].name)
            });
            o
        };
        let mut user_of = vec![UserId::new(0); self.people.len()];
        let mut fallback: Option<u32> = None;
        let mut found = FoundCounts::default();
        for (n, &p) in order.iter().enumerate() {
            let person = &self.people[p as usize];
            let access = match &person.found {
                Some(Found::Professional) => {
                    found.professional += 1;
                    Access::Professional
                }
                Some(Found::Analyzer) => {
                    found.analyzer += 1;
                    Access::Analyzer
                }
                Some(Found::UserPass) => {
                    found.uap += 1;
                    Access::UserPass
                }
                Some(Found::Capacity) => {
                    found.capacity += 1;
                    Access::Capacity
                }
                Some(Found::Login(g)) => match groups.iter().position(|x| x.name == *g) {
                    Some(i) => Access::Login(i as u32),
                    None => {
                        groups.push(Group {
                            name: g.clone(),
                            tokens: 0,
                        });
                        self.notes.push(format!(
                            "login access group `{g}` is named by the usage but not by a loginaccesstype export: it has 0 tokens"
                        ));
                        Access::Login((groups.len() - 1) as u32)
                    }
                },
                None => {
                    let g = match fallback {
                        Some(g) => g,
                        None => {
                            let g = default_group(groups, &mut self.notes);
                            fallback = Some(g);
                            g
                        }
                    };
                    Access::Login(g)
                }
            };
            let name = if options.pseudonyms {
                format!("person-{}", n + 1)
            } else {
                person.name.clone()
            };
            let id = builder
                .add_user(User {
                    name,
                    access,
                    identity: Identity::Identified,
                    node: 0,
                    deployment: 0,
                    cohort: None,
                    rights: Default::default(),
                })
                .ok_or_else(|| format!("two people are named `{}`", person.name))?;
            user_of[p as usize] = id;
        }
        Ok((user_of, found))
    }

    /// The license: the totals exported, else what the allocations found need; notes on
    /// what does not add up.
    fn license(&mut self, groups: &[Group], found: &FoundCounts) -> License {
        let group_tokens: i64 = groups.iter().map(|g| g.tokens).sum();
        let lf = &self.license;
        let professional_total = lf.professional_total.unwrap_or(0).max(found.professional);
        let analyzer_total = lf.analyzer_total.unwrap_or(0).max(found.analyzer);
        let packs = lf.capacity_minutes.map(|m| (m + 999) / 1000).unwrap_or(0);
        let mut license = License {
            kind: LicenseKind::Perpetual,
            tokens: lf.total_tokens.unwrap_or(found.uap + group_tokens),
            professional: professional_total,
            analyzer: analyzer_total,
            analyzer_capacity_packs: packs,
            overage: Overage::None,
            core_minutes: 0,
            cores: None,
            qap_edition: None,
        };
        if license.professional == 0
            && (license.analyzer > 0 || license.analyzer_capacity_packs > 0)
        {
            license.professional = 1;
            self.notes.push(
                "Analyzer allocations and Analyzer Capacity need a Professional allocation (NU-1): the license gets 1".into(),
            );
        }
        if found.capacity > 0 && license.analyzer_capacity_packs == 0 {
            self.notes.push(format!(
                "{} used Analyzer Capacity but no capacity allocation was found: their connections are refused until `analyzer_capacity_packs` is set",
                count(found.capacity as usize, "person", "people")
            ));
        }
        if self.quarantined > 0 {
            self.notes.push(format!(
                "{} in quarantine at export time left out (their holders are not allocated at the start)",
                count(self.quarantined, "allocation", "allocations")
            ));
        }
        if self.minutes_used > 0 {
            self.notes.push(format!(
                "the source records {} Analyzer Capacity minutes used",
                self.minutes_used
            ));
        }
        if lf
            .total_tokens
            .is_some_and(|t| t < found.uap + group_tokens)
        {
            self.notes.push(format!(
                "the license has {} tokens but the allocations found take {}: some are refused at the start (TOK-3)",
                license.tokens,
                found.uap + group_tokens
            ));
        }
        license
    }

    /// The visits, in time order (script order follows it). Devices and session ids are
    /// numbered in order of first use, as the parser numbers them when it reads the
    /// scenario back.
    fn push_visits(
        &self,
        builder: &mut ScenarioBuilder,
        user_of: &[UserId],
        origin: Seconds,
        timeout: Seconds,
    ) {
        for s in &self.sessions {
            let at: Minute = (s.start - origin).div_euclid(60);
            let at_s = origin + at * 60;
            let minutes_to = |t: Seconds| -> Minute { (t - at_s + 59).div_euclid(60).max(0) };
            let (active, ends) = match (s.last, s.stop) {
                (Some(l), Some(st)) if st >= l + timeout - 60 => (minutes_to(l), Ends::Timeout),
                (_, Some(st)) => (minutes_to(st), Ends::Logout),
                (Some(l), None) => (minutes_to(l), Ends::Timeout),
                (None, None) => (0, Ends::Timeout),
            };
            let device = match s.device {
                NONE => 0,
                d => builder.device(&self.devices.names[d as usize]),
            };
            let session = match s.session_id {
                NONE => None,
                i => Some(builder.session(&self.session_ids.names[i as usize])),
            };
            builder.push_visit(Visit {
                user: user_of[s.person as usize],
                at,
                active: active.min(crate::base::time::MAX_DURATION),
                ends,
                device,
                session,
                node: 0,
                script: 0,
            });
        }
    }
}

/// The period the sessions span.
struct Period {
    first: Option<Seconds>,
    last: Option<Seconds>,
    start_date: NaiveDate,
    days: i64,
    origin: Seconds,
}

/// People found on named allocations or Analyzer Capacity.
#[derive(Default)]
struct FoundCounts {
    uap: i64,
    professional: i64,
    analyzer: i64,
    capacity: i64,
}

/// The login group of people with no access found: the only group, else `imported`
/// (added with 0 tokens, with a note).
fn default_group(groups: &mut Vec<Group>, notes: &mut Vec<String>) -> u32 {
    if groups.len() == 1 {
        return 0;
    }
    if let Some(i) = groups.iter().position(|g| g.name == "imported") {
        return i as u32;
    }
    notes.push(if groups.is_empty() {
        "no login access group was found: people without an allocation are on login group `imported` with 0 tokens (edit it, or size it with `license-lab size`)".to_string()
    } else {
        "several login access groups and no usage that says which one a person used: people without an allocation are on login group `imported` with 0 tokens".to_string()
    });
    groups.push(Group {
        name: "imported".into(),
        tokens: 0,
    });
    (groups.len() - 1) as u32
}

/// "Imported: a.csv and b.json", from the files' names.
fn import_name(files: &[FileSummary]) -> String {
    let base: Vec<&str> = files
        .iter()
        .map(|f| f.name.rsplit(['/', '\\']).next().unwrap_or(&f.name))
        .collect();
    match base.as_slice() {
        [] => "Imported usage".to_string(),
        [a] => format!("Imported: {a}"),
        [a, b] => format!("Imported: {a} and {b}"),
        [a, rest @ ..] => format!("Imported: {a} and {} more files", rest.len()),
    }
}

/// Which format a file is, from its content (and its name when the content cannot tell
/// the three QRS allocation exports apart).
pub fn detect(input: &Input) -> Result<Format, ImportError> {
    let text = as_text(input)?;
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('{') || body.starts_with('[') {
        return json_format(input.name, body);
    }
    let header = body.lines().next().unwrap_or("");
    if header.contains('\t') && header.contains("ProxySessionId") && header.contains("Timestamp") {
        return Ok(Format::ProxyAudit);
    }
    if sessions::looks_like_sessions(header) {
        return Ok(Format::Sessions);
    }
    Err(ImportError {
        file: input.name.into(),
        line: Some(1),
        message: format!(
            "not an export this tool knows: expected a sessions table whose header names the user and the start (like `UserId,Session Start,Session End`), a QRS or Qlik Cloud JSON export, or the proxy's AuditActivity_Proxy.txt (found `{}`)",
            preview(header)
        ),
    })
}

fn preview(s: &str) -> String {
    let t: String = s.chars().take(60).collect();
    if t.len() < s.len() {
        format!("{t}…")
    } else {
        t
    }
}

fn json_format(name: &str, body: &str) -> Result<Format, ImportError> {
    let lower = name.to_ascii_lowercase();
    let keys: Vec<String> = json::first_keys(body);
    let has = |k: &str| keys.iter().any(|x| x == k);
    if has("totalTokens") || has("userAccess") || has("loginAccess") {
        return Ok(Format::AccessTypeOverview);
    }
    if has("licenseUsage")
        || has("minutesUsed")
        || has("allotmentId")
        || (has("endTime") && has("duration"))
    {
        return Ok(Format::CloudConsumption);
    }
    if has("loginAccessType") {
        return Ok(Format::LoginAccessUsage);
    }
    if has("userAccessType") {
        return Ok(Format::UserAccessUsage);
    }
    if has("analyzerTimeAccessType") {
        return Ok(Format::AnalyzerTimeAccessUsage);
    }
    if has("assignedTokens") {
        return Ok(Format::LoginAccessTypes);
    }
    let schema = json::first_string(body, "schemaPath").unwrap_or_default();
    let by_schema = |s: &str| schema.eq_ignore_ascii_case(s);
    if by_schema("License.UserAccessType") {
        return Ok(Format::UserAccessTypes);
    }
    if by_schema("License.ProfessionalAccessType") {
        return Ok(Format::ProfessionalAccessTypes);
    }
    if by_schema("License.AnalyzerAccessType") {
        return Ok(Format::AnalyzerAccessTypes);
    }
    if has("user") && (has("lastUsed") || has("quarantined")) {
        for (part, f) in [
            ("professional", Format::ProfessionalAccessTypes),
            ("analyzer", Format::AnalyzerAccessTypes),
            ("useraccess", Format::UserAccessTypes),
        ] {
            if lower.contains(part) {
                return Ok(f);
            }
        }
        return Err(ImportError {
            file: name.into(),
            line: Some(1),
            message: "a QRS allocation export, but which one (user, professional or analyzer access) is not in it: name the file after its endpoint (useraccesstype.json, …) or give --format qrs-useraccesstype, qrs-professionalaccesstype or qrs-analyzeraccesstype".into(),
        });
    }
    if body.trim_end() == "[]" {
        return Err(ImportError {
            file: name.into(),
            line: Some(1),
            message: "an empty list: nothing to import (give --format to say what it is)".into(),
        });
    }
    Err(ImportError {
        file: name.into(),
        line: Some(1),
        message: "JSON, but not an export this tool knows: expected QRS license records (user, lastUsed, quarantined, assignedTokens, useStartTime…), the access type overview (totalTokens) or Qlik Cloud consumption (userId, endTime, duration, licenseUsage)".into(),
    })
}

/// The bytes as text; a file that is not UTF-8 (binary, another encoding) is refused
/// at its first bad byte's line.
fn as_text<'a>(input: &Input<'a>) -> Result<&'a str, ImportError> {
    if input.bytes.len() > MAX_IMPORT_BYTES {
        return Err(ImportError {
            file: input.name.into(),
            line: None,
            message: format!(
                "the file has {} bytes; the limit is {} MB per file",
                input.bytes.len(),
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
        });
    }
    match std::str::from_utf8(input.bytes) {
        Ok(t) if t.contains('\0') => {
            let at = t.find('\0').unwrap_or(0);
            Err(ImportError {
                file: input.name.into(),
                line: Some(t[..at].matches('\n').count() + 1),
                message: "the file is binary (a zero byte here): expected text, CSV or JSON".into(),
            })
        }
        Ok(t) => Ok(t),
        Err(e) => {
            let valid = &input.bytes[..e.valid_up_to()];
            Err(ImportError {
                file: input.name.into(),
                line: Some(valid.iter().filter(|b| **b == b'\n').count() + 1),
                message: "the file is not UTF-8 text (binary, or another encoding; save it as UTF-8): expected text, CSV or JSON".into(),
            })
        }
    }
}

/// Imports every file into one scenario (allocations from one export, usage from
/// another: the files are read together). The first file that cannot be read, or the
/// first bad row without [`Options::skip_bad`], ends it with an error.
pub fn import(inputs: &[Input], options: &Options) -> Result<Import, ImportError> {
    let mut history = History::new(options.skip_bad);
    let mut files = Vec::new();
    // Allocations first, so usage can name their groups; then usage in the given order.
    let mut read: Vec<(usize, Format)> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let format = match options.format {
            Some(f) => {
                as_text(input)?;
                f
            }
            None => match detect(input) {
                // A table the detection does not know, with a column mapping: sessions.
                Err(_) if !options.columns.0.is_empty() && !is_json(input) => Format::Sessions,
                other => other?,
            },
        };
        read.push((i, format));
    }
    read.sort_by_key(|(i, f)| (!is_license(*f), *i));
    for (i, format) in read {
        let input = &inputs[i];
        let text = as_text(input)?;
        history.file = input.name.to_string();
        let before = history.sessions.len();
        let records = match format {
            Format::Sessions => sessions::read(text, &options.columns, &mut history)?,
            Format::ProxyAudit => proxy_log::read(text, &mut history)?,
            Format::CloudConsumption => cloud::read(text, &mut history)?,
            Format::LoginAccessUsage
            | Format::UserAccessUsage
            | Format::AnalyzerTimeAccessUsage => qrs_usage::read(text, format, &mut history)?,
            _ => qrs_license::read(text, format, &mut history)?,
        };
        files.push(FileSummary {
            name: input.name.to_string(),
            format,
            records,
            sessions: history.sessions.len() - before,
        });
    }
    history.finish(options, files)
}

/// The header and the columns its fields read, for a file that reads (or, its columns
/// not found, would read) as a sessions table; `None` for the other formats.
pub fn table_columns(input: &Input, options: &Options) -> Option<Columns> {
    let table = match options.format {
        Some(f) => f == Format::Sessions,
        None => match detect(input) {
            Ok(f) => f == Format::Sessions,
            Err(_) => !is_json(input),
        },
    };
    if !table {
        return None;
    }
    let text = std::str::from_utf8(input.bytes).ok()?;
    sessions::columns(text, &options.columns)
}

fn is_json(input: &Input) -> bool {
    let b = input.bytes.iter().find(|b| !b.is_ascii_whitespace());
    matches!(b, Some(b'{' | b'['))
}

/// `1 person`, `2 people`-style counts.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn is_license(f: Format) -> bool {
    matches!(
        f,
        Format::UserAccessTypes
            | Format::LoginAccessTypes
            | Format::ProfessionalAccessTypes
            | Format::AnalyzerAccessTypes
            | Format::AccessTypeOverview
    )
}

/// JSON helpers shared by the JSON importers: records as raw slices of the file, so each
/// one is located at its line and read on its own.
mod json {
    use serde_json::value::RawValue;

    use super::ImportError;

    /// The 1-based line of a slice of `text`.
    pub fn line_of(text: &str, part: &str) -> usize {
        let offset = (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        text.get(..offset.min(text.len()))
            .map(|t| t.matches('\n').count() + 1)
            .unwrap_or(1)
    }

    /// The error of a JSON that cannot be read at all (truncated, not JSON).
    pub fn error(file: &str, e: &serde_json::Error, expected: &str) -> ImportError {
        let what = if e.is_eof() {
            format!(
                "the JSON ends early, column {}: the file is cut short; expected {expected}",
                e.column()
            )
        } else {
            format!("column {}: {e}; expected {expected}", e.column())
        };
        ImportError {
            file: file.into(),
            line: Some(e.line().max(1)),
            message: what.replace(&format!(" at line {} column {}", e.line(), e.column()), ""),
        }
    }

    /// The records of an export: a bare array, or the `data` array of a page.
    pub fn records<'a>(
        file: &str,
        text: &'a str,
        expected: &str,
    ) -> Result<Vec<&'a RawValue>, ImportError> {
        #[derive(serde::Deserialize)]
        struct Page<'a> {
            #[serde(borrow)]
            data: Vec<&'a RawValue>,
        }
        let body = text.trim_start_matches('\u{feff}');
        if body.trim_start().starts_with('{') {
            let page: Page = serde_json::from_str(body).map_err(|e| error(file, &e, expected))?;
            Ok(page.data)
        } else {
            serde_json::from_str(body).map_err(|e| error(file, &e, expected))
        }
    }

    /// The keys of the first record (or of the object itself), for detection.
    pub fn first_keys(body: &str) -> Vec<String> {
        let first: Option<Box<RawValue>> = first_record(body);
        first
            .and_then(|r| {
                serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(r.get()).ok()
            })
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    pub fn first_string(body: &str, key: &str) -> Option<String> {
        let first = first_record(body)?;
        let m: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(first.get()).ok()?;
        m.get(key).and_then(|v| v.as_str()).map(str::to_string)
    }

    /// The first record: the first element of an array, the first of `data`, or the
    /// object itself. Read with a streaming deserializer that stops after it.
    fn first_record(body: &str) -> Option<Box<RawValue>> {
        use serde::de::{Deserializer as _, IgnoredAny, SeqAccess, Visitor};
        struct First;
        impl<'de> Visitor<'de> for First {
            type Value = Option<Box<RawValue>>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let first = seq.next_element::<Box<RawValue>>()?;
                // The rest is not needed.
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(first)
            }
        }
        let body = body.trim_start_matches('\u{feff}').trim_start();
        if body.starts_with('[') {
            let mut de = serde_json::Deserializer::from_str(body);
            return de.deserialize_seq(First).ok().flatten();
        }
        // An object: its own keys, unless it is a page of records.
        let obj: serde_json::Map<String, serde_json::Value> = serde_json::from_str(body).ok()?;
        if let Some(serde_json::Value::Array(a)) = obj.get("data") {
            return a
                .first()
                .and_then(|v| RawValue::from_string(v.to_string()).ok());
        }
        RawValue::from_string(serde_json::Value::Object(obj).to_string()).ok()
    }

    /// A record read on its own; a field of the wrong kind is a bad row at its line.
    pub fn record<'a, T: serde::Deserialize<'a>>(raw: &'a RawValue) -> Result<T, String> {
        serde_json::from_str(raw.get()).map_err(|e| {
            let m = e.to_string();
            match m.find(" at line ") {
                Some(i) => m[..i].to_string(),
                None => m,
            }
        })
    }

    /// A user of QRS: `{ userDirectory, userId }`.
    #[derive(serde::Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct QrsUser {
        #[serde(default)]
        pub user_directory: Option<String>,
        #[serde(default)]
        pub user_id: Option<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_of_a_session_round_its_activity_up() {
        let mut h = History::new(false);
        let Ok(Who::Person(p)) = h.person("CORP", "sam") else {
            panic!("a person")
        };
        let t = when::parse("2026-03-02T09:00:30Z").unwrap();
        h.session(p, t, Some(t + 600 - 20), None, None, None)
            .unwrap();
        let imp = h.finish(&Options::default(), Vec::new()).unwrap();
        let v = imp.scenario.visits[0];
        // 09:00 to 09:10:10 of activity: 11 minutes from 09:00, then the timeout.
        assert_eq!((v.at, v.active, v.ends), (540, 11, Ends::Timeout));
    }
}
