//! [`ScenarioBuilder`]: the one place where visits enter a scenario, whatever they come
//! from (`[[visit]]` tables, the compact `visits` table, importers). It owns the user
//! index, the interning of devices and session ids, the visits in script order, and
//! [`ScenarioBuilder::finish`]: the session fix-up (CORE-2), cohort expansion and the
//! sorting the engine relies on (TIME-3).

use std::collections::HashMap;

use super::schema::{self, Section};
use super::{
    limits, Action, Clock, Cohort, Deployment, Group, License, Node, Prices, Scenario, SessionId,
    Settings, User, UserId, Visit,
};

/// Everything of a scenario that is not users or visits.
#[derive(Debug, Clone)]
pub struct Head {
    pub name: String,
    pub description: String,
    pub clock: Clock,
    pub days: i64,
    pub seed: u64,
    pub license: License,
    pub settings: Settings,
    pub prices: Prices,
    pub groups: Vec<Group>,
    pub cohorts: Vec<Cohort>,
    pub actions: Vec<Action>,
    pub nodes: Vec<Node>,
    pub deployments: Vec<Deployment>,
}

/// Users, devices, session ids and visits, collected in script order.
#[derive(Debug, Clone)]
pub struct ScenarioBuilder {
    users: Vec<User>,
    user_index: HashMap<String, UserId>,
    devices: Vec<String>,
    device_index: HashMap<String, u32>,
    session_ids: Vec<String>,
    session_index: HashMap<String, u32>,
    visits: Vec<Visit>,
}

impl Default for ScenarioBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ScenarioBuilder {
    /// No users; the default device of `[[visit]]` (`web`) is device 0.
    pub fn new() -> Self {
        let web = schema::default(Section::Visit, "device");
        ScenarioBuilder {
            users: Vec::new(),
            user_index: HashMap::new(),
            devices: vec![web.to_string()],
            device_index: HashMap::from([(web.to_string(), 0)]),
            session_ids: Vec::new(),
            session_index: HashMap::new(),
            visits: Vec::new(),
        }
    }

    /// Starts from users already checked (and indexed by name) elsewhere.
    pub fn with_users(users: Vec<User>, user_index: HashMap<String, UserId>) -> Self {
        ScenarioBuilder {
            users,
            user_index,
            ..Self::new()
        }
    }

    /// Adds a user; `None` when the name is taken (nothing changes then).
    pub fn add_user(&mut self, user: User) -> Option<UserId> {
        if self.user_index.contains_key(&user.name) || self.users.len() >= limits::MAX_USERS {
            return None;
        }
        let id = UserId::new(self.users.len());
        self.user_index.insert(user.name.clone(), id);
        self.users.push(user);
        Some(id)
    }

    pub fn user_id(&self, name: &str) -> Option<UserId> {
        self.user_index.get(name).copied()
    }

    pub fn users(&self) -> &[User] {
        &self.users
    }

    pub fn user_index(&self) -> &HashMap<String, UserId> {
        &self.user_index
    }

    /// The index of a device name, added on first use.
    pub fn device(&mut self, name: &str) -> u32 {
        intern(&mut self.devices, &mut self.device_index, name)
    }

    /// The index of a session id (CORE-2), added on first use.
    pub fn session(&mut self, name: &str) -> SessionId {
        SessionId::new(intern(&mut self.session_ids, &mut self.session_index, name) as usize)
    }

    pub fn visit_count(&self) -> usize {
        self.visits.len()
    }

    pub fn visits(&self) -> &[Visit] {
        &self.visits
    }

    /// Appends a visit in script order (its `script` is set here). `false`, and nothing
    /// added, once the scenario holds [`limits::MAX_VISITS`] visits.
    pub fn push_visit(&mut self, mut visit: Visit) -> bool {
        if self.visits.len() >= limits::MAX_VISITS {
            return false;
        }
        visit.script = self.visits.len() as u32;
        self.visits.push(visit);
        true
    }

    /// The finished scenario: visits without a `session_id` use their user's name as
    /// their session (CORE-2), cohorts are expanded after the explicit visits, and visits
    /// and actions are sorted by (time, script order). An error only when the cohorts
    /// generate too many visits.
    pub fn finish(self, head: Head) -> Result<Scenario, String> {
        let ScenarioBuilder {
            users,
            devices,
            session_ids,
            session_index,
            mut visits,
            ..
        } = self;
        // A visit without `session_id` uses its user's name (CORE-2): the same session as
        // an explicit `session_id` equal to that name.
        if !session_index.is_empty() {
            for v in &mut visits {
                if v.session.is_none() {
                    if let Some(i) = session_index.get(&users[v.user.index()].name) {
                        v.session = Some(SessionId::new(*i as usize));
                    }
                }
            }
        }
        let explicit_visits = visits.len() as u32;
        let mut scenario = Scenario {
            name: head.name,
            description: head.description,
            clock: head.clock,
            days: head.days,
            seed: head.seed,
            license: head.license,
            settings: head.settings,
            prices: head.prices,
            groups: head.groups,
            users,
            cohorts: head.cohorts,
            visits,
            actions: head.actions,
            nodes: head.nodes,
            deployments: head.deployments,
            devices,
            session_ids,
            explicit_visits,
        };
        super::cohort::expand(&mut scenario)?;
        scenario.visits.sort_unstable_by_key(|v| (v.at, v.script));
        scenario.actions.sort_by_key(|a| (a.at, a.script));
        Ok(scenario)
    }
}

fn intern(names: &mut Vec<String>, index: &mut HashMap<String, u32>, name: &str) -> u32 {
    if let Some(i) = index.get(name) {
        return *i;
    }
    let i = names.len() as u32;
    names.push(name.to_string());
    index.insert(name.to_string(), i);
    i
}
