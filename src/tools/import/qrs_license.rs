//! QRS license exports (Qlik Sense Enterprise on Windows, Repository Service API):
//! `/qrs/license/useraccesstype/full`, `/professionalaccesstype/full` and
//! `/analyzeraccesstype/full` (the named allocations: `user{userDirectory,userId}`,
//! `lastUsed`, `quarantined`, `quarantineEnd`), `/loginaccesstype/full` (the login access
//! groups: `id`, `name`, `assignedTokens`) and `/accesstypeoverview` (`totalTokens`, the
//! Professional and Analyzer totals, Analyzer Capacity minutes). Fields are read by name;
//! any other field is ignored.

use serde_json::value::RawValue;

use super::json::{self, QrsUser};
use super::{Format, Found, History, ImportError, Who};

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Allocation {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    user: Option<QrsUser>,
    #[serde(default)]
    quarantined: Option<bool>,
    #[serde(default)]
    deleted_user_id: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginType {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    assigned_tokens: Option<i64>,
}

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Details {
    #[serde(default)]
    total: Option<i64>,
    #[serde(default)]
    allocated_minutes: Option<i64>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Overview {
    #[serde(default)]
    total_tokens: Option<i64>,
    #[serde(default)]
    professional_access: Option<Details>,
    #[serde(default)]
    analyzer_access: Option<Details>,
    #[serde(default)]
    analyzer_time_access: Option<Details>,
}

/// Reads one license export; returns the number of records.
pub(crate) fn read(
    text: &str,
    format: Format,
    history: &mut History,
) -> Result<usize, ImportError> {
    let file = history.file.clone();
    if format == Format::AccessTypeOverview {
        overview(text, &file, history)?;
        return Ok(1);
    }
    let expected = match format {
        Format::LoginAccessTypes => {
            "a list of login access types ([{\"name\": …, \"assignedTokens\": …}])"
        }
        _ => "a list of allocations ([{\"user\": {\"userDirectory\": …, \"userId\": …}, …}])",
    };
    let records = json::records(&file, text, expected)?;
    for raw in &records {
        let line = json::line_of(text, raw.get());
        if format == Format::LoginAccessTypes {
            login_type(raw, line, history)?;
        } else {
            allocation(raw, line, format, history)?;
        }
    }
    Ok(records.len())
}

/// `/accesstypeoverview`: the license's totals.
fn overview(text: &str, file: &str, history: &mut History) -> Result<(), ImportError> {
    let body = text.trim_start_matches('\u{feff}');
    let o: Overview = serde_json::from_str(body).map_err(|e| {
        json::error(
            file,
            &e,
            "the access type overview object ({\"totalTokens\": …})",
        )
    })?;
    let lf = &mut history.license;
    lf.total_tokens = o.total_tokens.filter(|t| *t >= 0);
    lf.professional_total = o
        .professional_access
        .and_then(|d| d.total)
        .filter(|t| *t >= 0);
    lf.analyzer_total = o.analyzer_access.and_then(|d| d.total).filter(|t| *t >= 0);
    lf.capacity_minutes = o
        .analyzer_time_access
        .and_then(|d| d.allocated_minutes)
        .filter(|m| *m > 0);
    Ok(())
}

/// One login access group of `/loginaccesstype/full`.
fn login_type(raw: &RawValue, line: usize, history: &mut History) -> Result<(), ImportError> {
    let r: LoginType = match json::record(raw) {
        Ok(r) => r,
        Err(e) => {
            history.bad(line, format!("{e}: expected a login access type"))?;
            return Ok(());
        }
    };
    let Some(name) = r.name.filter(|n| !n.trim().is_empty()) else {
        history.bad(line, "the login access type has no `name`")?;
        return Ok(());
    };
    let tokens = match r.assigned_tokens {
        Some(t) if t >= 0 => t,
        Some(t) => {
            history.bad(
                line,
                format!("`assignedTokens` is {t}: expected zero or more"),
            )?;
            return Ok(());
        }
        None => {
            history.bad(
                line,
                format!("login access type `{name}` has no `assignedTokens`"),
            )?;
            return Ok(());
        }
    };
    let name = name.trim().to_string();
    if let Some(id) = r.id {
        history.license.group_ids.insert(id, name.clone());
    }
    match history.license.groups.iter_mut().find(|g| g.0 == name) {
        Some(g) => g.1 += tokens,
        None => history.license.groups.push((name, tokens)),
    }
    Ok(())
}

/// One named allocation of `/useraccesstype/full`, `/professionalaccesstype/full` or
/// `/analyzeraccesstype/full`; one in quarantine is counted and left out.
fn allocation(
    raw: &RawValue,
    line: usize,
    format: Format,
    history: &mut History,
) -> Result<(), ImportError> {
    let r: Allocation = match json::record(raw) {
        Ok(r) => r,
        Err(e) => {
            history.bad(line, format!("{e}: expected an allocation"))?;
            return Ok(());
        }
    };
    if r.quarantined == Some(true) || r.deleted_user_id.is_some_and(|d| !d.is_empty()) {
        history.quarantined += 1;
        return Ok(());
    }
    let Some(u) = r.user else {
        history.bad(
            line,
            "the allocation has no `user`: expected {\"userDirectory\": …, \"userId\": …}",
        )?;
        return Ok(());
    };
    let who = match (&u.user_directory, &u.user_id) {
        (Some(d), Some(id)) if !d.trim().is_empty() => history.person(d, id),
        (_, Some(_)) => Err(
            "the user has no `userDirectory`: expected the directory the user comes from".into(),
        ),
        _ => Err("the user has no `userId`".into()),
    };
    match who {
        Ok(Who::Person(p)) => {
            if let Some(id) = r.id {
                history.license.allocation_ids.insert(id, p);
            }
            history.found(
                p,
                match format {
                    Format::ProfessionalAccessTypes => Found::Professional,
                    Format::AnalyzerAccessTypes => Found::Analyzer,
                    _ => Found::UserPass,
                },
            )
        }
        Ok(Who::Service) => {}
        Err(e) => history.bad(line, e)?,
    }
    Ok(())
}
