//! The time controls: a scrubber over the simulated period, a field that takes a time as
//! scenarios write it ("day 26 00:00" or "2026-03-27T00:00"), nudges by an hour or a day,
//! and step mode: the next or previous event of the (filtered) log, one at a time.

use leptos::prelude::*;

use super::rulebook::RuleLink;
use super::run::Runner;
use super::store::{ctx, Cursor, Log, Run, Source};
use crate::base::time::{Clock, Minute, MINUTES_PER_DAY, MINUTES_PER_HOUR};

#[component]
pub fn TimeBar() -> impl IntoView {
    let runner = ctx::<Runner>();
    let run = ctx::<Run>();
    let cursor = ctx::<Cursor>();
    let log = ctx::<Log>();
    let error = RwSignal::new(None::<String>);
    let field = RwSignal::new(String::new());
    let has_result = move || run.result.with(|r| r.is_some());
    let formatted = move || {
        let at = cursor.at.get();
        run.clock().map(|c| c.format(at)).unwrap_or_default()
    };
    // The field shows the cursor's time whenever the cursor moves.
    Effect::new(move |_| field.set(formatted()));
    let go = move || {
        let Some(clock) = run.clock() else { return };
        match clock.parse_time(&field.get_untracked()) {
            Ok(m) if (0..=run.end()).contains(&m) => {
                error.set(None);
                runner.move_cursor(m, Source::Time);
                field.set(clock.format(m));
            }
            Ok(_) => error.set(Some(format!(
                "outside the simulated period ({} to {})",
                clock.format(0),
                clock.format(run.end())
            ))),
            Err(e) => error.set(Some(e)),
        }
    };
    let nudge = move |by: Minute| runner.move_cursor(cursor.at.get_untracked() + by, Source::Time);
    let nudges = [
        ("−1 day", -MINUTES_PER_DAY, "Back one day"),
        ("−1 h", -MINUTES_PER_HOUR, "Back one hour"),
        ("+1 h", MINUTES_PER_HOUR, "Forward one hour"),
        ("+1 day", MINUTES_PER_DAY, "Forward one day"),
    ]
    .map(|(label, by, aria)| {
        view! {
            <button type="button" class="nudge" title=aria disabled=move || !has_result() on:click=move |_| nudge(by)>
                {label}
            </button>
        }
    });
    view! {
        <div class="time-bar" role="group" aria-label="Time">
            <div class="time-row">
                <label for="scrubber" class="scrub-label">
                    "Time"
                </label>
                <input
                    id="scrubber"
                    type="range"
                    min="0"
                    max=move || run.end().max(1)
                    step="1"
                    disabled=move || !has_result()
                    prop:value=move || cursor.at.get()
                    aria-valuetext=formatted
                    on:input:target=move |ev| {
                        if let Ok(m) = ev.target().value().parse::<Minute>() {
                            runner.move_cursor(m, Source::Time);
                        }
                    }
                />
            </div>
            <div class="time-row">
                <form
                    class="time-form"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        go();
                    }
                >
                    <label for="time-input">"Go to"</label>
                    <input
                        id="time-input"
                        type="text"
                        placeholder="day 26 00:00"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="time-error"
                        prop:value=move || field.get()
                        on:input:target=move |ev| field.set(ev.target().value())
                    />
                    <button type="submit" disabled=move || !has_result()>"Go"</button>
                </form>
                <span class="day-label">{move || Clock::format_relative(cursor.at.get())}</span>
                {nudges}
                <span class="step-buttons" role="group" aria-label="Step through the log">
                    <button type="button" id="prev-event" disabled=move || !has_result() on:click=move |_| runner.step_by(false)>
                        "◀ Previous event"
                    </button>
                    <button type="button" id="next-event" disabled=move || !has_result() on:click=move |_| runner.step_by(true)>
                        "Next event ▶"
                    </button>
                </span>
            </div>
            <p id="time-error" class="time-error" aria-live="polite">{move || error.get()}</p>
            <p class="step-note" aria-live="polite">{move || log.step_note.get()}</p>
            <StepBanner/>
        </div>
    }
}

/// The event the step mode stands on.
#[component]
fn StepBanner() -> impl IntoView {
    let run = ctx::<Run>();
    let log = ctx::<Log>();
    move || {
        let step = log.step.get()?;
        let time = run
            .clock()
            .map(|c| c.format(step.row.at))
            .unwrap_or_default();
        Some(view! {
            <div class="step-banner" aria-live="polite">
                <span class="step-count">{format!("Event {} of {}", step.position + 1, step.total)}</span>
                " · "
                <time>{time}</time>
                " · "
                <RuleLink id=step.row.rule.clone()/>
                " · "
                <span>{step.row.text.clone()}</span>
            </div>
        })
    }
}
