//! Qlik Cloud license consumption (`GET /api/v1/licenses/consumption`): a page
//! `{"data": [...], "links": …}` (or the records alone, pages put together) of sessions:
//! `userId`, `sessionId`, `endTime`, `duration` (milliseconds), `minutesUsed`,
//! `allotmentId`, `licenseUsage`. A record is a visit ending at `endTime` after
//! `duration` of use (a logout then); its access is what `licenseUsage` says
//! (`professional`, `analyzer`, or capacity: `analyzer_time`/`capacity`, or a record of an
//! allotment). Users are named `CLOUD\userId`: a tenant has no user directories.

use super::{json, when, Found, History, ImportError, Who};

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    session_id: Option<String>,
    #[serde(default)]
    end_time: Option<String>,
    #[serde(default)]
    duration: Option<serde_json::Value>,
    #[serde(default)]
    minutes_used: Option<serde_json::Value>,
    #[serde(default)]
    allotment_id: Option<String>,
    #[serde(default)]
    license_usage: Option<String>,
}

fn number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite() && *x >= 0.0)
}

/// Reads one consumption export; returns the number of records.
pub(crate) fn read(text: &str, history: &mut History) -> Result<usize, ImportError> {
    let file = history.file.clone();
    let records = json::records(
        &file,
        text,
        "Qlik Cloud consumption ({\"data\": [{\"userId\": …, \"endTime\": …, \"duration\": …}]})",
    )?;
    for raw in &records {
        let line = json::line_of(text, raw.get());
        let r: Record = match json::record(raw) {
            Ok(r) => r,
            Err(e) => {
                history.bad(line, format!("{e}: expected a consumption record"))?;
                continue;
            }
        };
        if let Err(e) = one(&r, history) {
            history.bad(line, e)?;
        }
    }
    Ok(records.len())
}

fn one(r: &Record, history: &mut History) -> Result<(), String> {
    let user = r
        .user_id
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .ok_or("the record has no `userId`")?;
    let end_text = r
        .end_time
        .as_deref()
        .ok_or("the record has no `endTime`: expected when the session ended")?;
    let end = when::parse(end_text)
        .ok_or_else(|| format!("`endTime` is `{end_text}`: expected {}", when::EXPECTED))?;
    let duration_ms = match &r.duration {
        None => return Err("the record has no `duration`: expected milliseconds of use".into()),
        Some(v) => number(v).ok_or_else(|| {
            format!("`duration` is `{v}`: expected a number of milliseconds of zero or more")
        })?,
    };
    let start = end - (duration_ms / 1000.0).round() as i64;
    let Who::Person(person) = history.person("CLOUD", user)? else {
        return Ok(());
    };
    let usage = r
        .license_usage
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    let found = if usage.contains("capacity") || usage.contains("time") {
        Some(Found::Capacity)
    } else if usage.contains("professional") {
        Some(Found::Professional)
    } else if usage.contains("analyzer") {
        Some(Found::Analyzer)
    } else if r.allotment_id.as_deref().is_some_and(|a| !a.is_empty()) {
        Some(Found::Capacity)
    } else {
        None
    };
    if let Some(f) = found {
        history.found(person, f);
    }
    if let Some(m) = r.minutes_used.as_ref().and_then(number) {
        history.minutes_used += m.round() as i64;
    }
    history.session(
        person,
        start,
        None,
        Some(end),
        None,
        r.session_id.as_deref(),
    )
}
