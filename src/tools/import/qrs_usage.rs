//! QRS usage exports: `/qrs/license/loginaccessusage/full`, `/useraccessusage/full` and
//! `/analyzertimeaccessusage/full`. Each record is one use of an access type:
//! `useStartTime`, `latestActivity`, `useStopTime`, the `user{userDirectory,userId}` (or,
//! for user access usage, the allocation's id in `userAccessType`, resolved through a
//! `useraccesstype/full` export imported with it), and `sessions[]{sessionID,
//! latestActivity}` (or one `sessionID`). Each session of a record becomes a visit: from
//! `useStartTime`, active until its `latestActivity`, ended at `useStopTime` (by the
//! inactivity timeout when that is how long after the activity it came, else a logout);
//! several sessions of one record are parallel devices. QRS's "never" date (1753-01-01)
//! counts as absent.

use super::json::{self, QrsUser};
use super::{when, Format, Found, History, ImportError, Who};

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AccessType {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(serde::Deserialize)]
struct UsageSession {
    #[serde(default, rename = "sessionID")]
    session_id: Option<String>,
    #[serde(default, rename = "latestActivity")]
    latest_activity: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Usage {
    #[serde(default)]
    use_start_time: Option<String>,
    #[serde(default)]
    latest_activity: Option<String>,
    #[serde(default)]
    use_stop_time: Option<String>,
    #[serde(default)]
    user: Option<QrsUser>,
    #[serde(default)]
    sessions: Vec<UsageSession>,
    #[serde(default, rename = "sessionID")]
    session_id: Option<String>,
    #[serde(default)]
    login_access_type: Option<AccessType>,
    #[serde(default)]
    user_access_type: Option<AccessType>,
    /// Read for its shape only (a wrong type is an error, as for the other access types):
    /// an analyzer-time record is Analyzer Capacity whatever it says.
    #[serde(default, rename = "analyzerTimeAccessType")]
    _analyzer_time_access_type: Option<AccessType>,
}

fn time(field: &str, v: &Option<String>) -> Result<Option<i64>, String> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => match when::parse(t) {
            Some(s) if when::is_never(s) => Ok(None),
            Some(s) => Ok(Some(s)),
            None => Err(format!("`{field}` is `{t}`: expected {}", when::EXPECTED)),
        },
    }
}

/// Reads one usage export; returns the number of records.
pub(crate) fn read(
    text: &str,
    format: Format,
    history: &mut History,
) -> Result<usize, ImportError> {
    let file = history.file.clone();
    let records = json::records(
        &file,
        text,
        "a list of usage records ([{\"useStartTime\": …, \"user\": …, \"sessions\": […]}])",
    )?;
    for raw in &records {
        let line = json::line_of(text, raw.get());
        let r: Usage = match json::record(raw) {
            Ok(r) => r,
            Err(e) => {
                history.bad(line, format!("{e}: expected a usage record"))?;
                continue;
            }
        };
        if let Err(e) = one(&r, format, history) {
            history.bad(line, e)?;
        }
    }
    Ok(records.len())
}

fn one(r: &Usage, format: Format, history: &mut History) -> Result<(), String> {
    let start = time("useStartTime", &r.use_start_time)?
        .ok_or("the record has no `useStartTime`: expected when the use started")?;
    let latest = time("latestActivity", &r.latest_activity)?;
    let stop = time("useStopTime", &r.use_stop_time)?;
    let person = match &r.user {
        Some(QrsUser {
            user_directory,
            user_id: Some(id),
        }) => match history.person(user_directory.as_deref().unwrap_or(""), id)? {
            Who::Person(p) => p,
            Who::Service => return Ok(()),
        },
        _ => {
            let id = r.user_access_type.as_ref().and_then(|t| t.id.clone());
            match id.as_ref().and_then(|id| history.license.allocation_ids.get(id)) {
                Some(p) => *p,
                None => {
                    return Err(match id {
                        Some(id) => format!(
                            "the record names user access `{id}`, which is not in a useraccesstype export: import /qrs/license/useraccesstype/full with it"
                        ),
                        None => "the record has no `user`: expected {\"userDirectory\": …, \"userId\": …}".into(),
                    })
                }
            }
        }
    };
    match format {
        Format::LoginAccessUsage => {
            let t = r.login_access_type.as_ref();
            let group = t.and_then(|t| t.name.clone()).or_else(|| {
                t.and_then(|t| t.id.as_ref())
                    .and_then(|id| history.license.group_ids.get(id).cloned())
            });
            if let Some(g) = group.filter(|g| !g.trim().is_empty()) {
                history.found(person, Found::Login(g.trim().to_string()));
            }
        }
        Format::UserAccessUsage => history.found(person, Found::UserPass),
        _ => history.found(person, Found::Capacity),
    }
    if r.sessions.is_empty() {
        return history.session(person, start, latest, stop, None, r.session_id.as_deref());
    }
    let parallel = r.sessions.len() > 1;
    for (k, s) in r.sessions.iter().enumerate() {
        let last = time("sessions[].latestActivity", &s.latest_activity)?.or(latest);
        let device = parallel.then(|| format!("device-{}", k + 1));
        history.session(
            person,
            start,
            last,
            stop,
            device.as_deref(),
            s.session_id.as_deref(),
        )?;
    }
    Ok(())
}
