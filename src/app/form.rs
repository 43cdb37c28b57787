//! The form builder: the scenario's license, settings, groups, users, cohorts, visits,
//! actions, nodes and deployments as ordinary inputs. The form and the TOML text are two
//! views of one scenario: every form edit is applied to the text by the worker with a
//! comment-keeping TOML editor (`scenario::edit::Doc`), so the text keeps everything the
//! edit did not touch; every text edit redraws the form.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::history::History;
use super::protocol::{
    FormEdit, FormError, FormModel, FormRow, FormSection, ToolRequest, ToolResponse, FORM_PAGE,
};
use super::store::{ctx, Doc, EditView, Notices, Run, Ui};
use crate::scenario::schema::{self, Field, Kind, Section};

/// The form's state: its view of the text (made by the tools worker), the page each list
/// shows, and the last edit the text refused. Provided as context by [`Form::provide`].
#[derive(Clone, Copy)]
pub struct Form {
    /// The form's view of the text, for the revision it was made from.
    pub model: RwSignal<Option<(u64, FormModel)>>,
    /// The page of rows each list section shows.
    pub pages: RwSignal<Vec<(String, usize)>>,
    /// The last edit the text refused: (section, row, key, why).
    pub error: RwSignal<Option<(String, usize, String, String)>>,
    /// Where the last edit was typed (to place a refusal beside it).
    target: StoredValue<Option<(String, usize, String)>>,
    doc: Doc,
    run: Run,
    ui: Ui,
    history: History,
    notices: Notices,
}

impl Form {
    /// Provided over the stores. The page asks for the form's view of every revision of
    /// the text handed to the worker ([`Form::refresh`]).
    pub fn provide() -> Form {
        let form = Form {
            model: RwSignal::new(None),
            pages: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            target: StoredValue::new(None),
            doc: ctx(),
            run: ctx(),
            ui: ctx(),
            history: ctx(),
            notices: ctx(),
        };
        provide_context(form);
        form
    }

    /// Asks for the form's view of the current text (when the form is shown).
    pub fn refresh(self) {
        if self.ui.edit_view.get_untracked() != EditView::Form {
            return;
        }
        super::tools_client::send(&ToolRequest::Form {
            rev: self.doc.rev.get_untracked(),
            text: self.doc.text.get_untracked(),
            pages: self.pages.get_untracked(),
        });
    }

    /// An edit made in the form: applied to the text by the worker (comments kept).
    pub fn edit(self, edit: FormEdit) {
        self.error.set(None);
        if let FormEdit::Set {
            section, row, key, ..
        } = &edit
        {
            self.target
                .set_value(Some((section.clone(), *row, key.clone())));
        } else {
            self.target.set_value(None);
        }
        super::tools_client::send(&ToolRequest::FormEdit {
            rev: self.doc.rev.get_untracked(),
            text: self.doc.text.get_untracked(),
            edit,
        });
    }

    /// The tools worker's answers about the form.
    pub fn on_response(self, resp: ToolResponse) {
        match resp {
            ToolResponse::Form { rev, model } if rev == self.doc.rev.get_untracked() => {
                self.model.set(Some((rev, model)));
            }
            ToolResponse::FormEdited { rev, result } => {
                if rev != self.doc.rev.get_untracked() {
                    return;
                }
                match result {
                    Ok(edited) => {
                        self.history.replace_text(edited.text);
                        if let Some(note) = edited.note {
                            self.notices.say(false, note);
                        }
                    }
                    Err(why) => match self.target.get_value() {
                        // Shown beside the input the value was typed into.
                        Some((section, row, key)) => {
                            self.error.set(Some((section, row, key, why)));
                            self.model.update(|_| {});
                        }
                        None => self.notices.say(true, why),
                    },
                }
            }
            _ => {}
        }
    }
}

fn section_of(key: &str) -> Option<Section> {
    if key == "scenario" {
        Some(Section::Scenario)
    } else {
        Section::from_table(key)
    }
}

fn value_of<'a>(row: &'a FormRow, key: &str) -> Option<&'a str> {
    row.values
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The Text / Form switch above the editor.
#[component]
pub fn EditSwitch() -> impl IntoView {
    let form = ctx::<Form>();
    let set = move |v: EditView| {
        form.ui.edit_view.set(v);
        form.refresh();
    };
    view! {
        <div class="edit-switch" role="tablist" aria-label="How to edit the scenario">
            <button
                type="button"
                role="tab"
                id="view-text"
                aria-selected=move || (form.ui.edit_view.get() == EditView::Text).to_string()
                on:click=move |_| set(EditView::Text)
            >"Text"</button>
            <button
                type="button"
                role="tab"
                id="view-form"
                aria-selected=move || (form.ui.edit_view.get() == EditView::Form).to_string()
                on:click=move |_| set(EditView::Form)
            >"Form"</button>
        </div>
    }
}

/// One input of the form.
fn input(
    form: Form,
    section: Section,
    row: usize,
    field: &'static Field,
    value: Option<String>,
    model: &FormModel,
    error: Option<String>,
) -> impl IntoView {
    let skey = section.table().unwrap_or("scenario");
    let id = format!("f-{skey}-{row}-{}", field.key);
    let commit = move |value: String| {
        form.edit(FormEdit::Set {
            section: skey.to_string(),
            row,
            key: field.key.to_string(),
            value,
        });
    };
    let current = value.clone().unwrap_or_default();
    let placeholder = if field.default.is_empty() {
        if field.required {
            "required".to_string()
        } else {
            String::new()
        }
    } else {
        format!("default {}", field.default)
    };
    let options = |opts: Vec<String>, allow_empty: bool| {
        let current = current.clone();
        let mut all = opts;
        if !current.is_empty() && !all.contains(&current) {
            all.push(current.clone());
        }
        let empty = allow_empty.then(|| {
            view! { <option value="" selected=current.is_empty()>{placeholder.clone()}</option> }
        });
        let items = all
            .into_iter()
            .map(|o| {
                let sel = o == current;
                view! { <option value=o.clone() selected=sel>{o.clone()}</option> }
            })
            .collect_view();
        (empty, items)
    };
    let control = match field.kind {
        Kind::Choice(opts) => {
            let (empty, items) = options(
                opts.iter().map(|s| s.to_string()).collect(),
                !field.required,
            );
            view! {
                <select id=id.clone() on:change:target=move |ev| commit(ev.target().value())>
                    {empty}
                    {items}
                </select>
            }
            .into_any()
        }
        Kind::Bool => {
            let (empty, items) = options(vec!["true".into(), "false".into()], true);
            view! {
                <select id=id.clone() on:change:target=move |ev| commit(ev.target().value())>
                    {empty}
                    {items}
                </select>
            }
            .into_any()
        }
        Kind::GroupRef | Kind::NodeRef | Kind::DeploymentRef => {
            let names = match field.kind {
                Kind::GroupRef => model.groups.clone(),
                Kind::NodeRef => model.nodes.clone(),
                _ => model.deployments.clone(),
            };
            let (empty, items) = options(names, true);
            view! {
                <select id=id.clone() on:change:target=move |ev| commit(ev.target().value())>
                    {empty}
                    {items}
                </select>
            }
            .into_any()
        }
        Kind::Count | Kind::Number => view! {
            <input
                id=id.clone()
                type="number"
                min="0"
                step=if field.kind == Kind::Count { "1" } else { "any" }
                placeholder=placeholder.clone()
                prop:value=current.clone()
                on:change:target=move |ev| commit(ev.target().value())
            />
        }
        .into_any(),
        Kind::VisitsTable => view! {
            <output id=id.clone() class="muted">
                {if current.is_empty() {
                    "none (write one in the Text view)".to_string()
                } else {
                    format!("{current} in the compact table (edit them in the Text view)")
                }}
            </output>
        }
        .into_any(),
        // A date picker fires `change` at every segment typed (a year of "0002" on the
        // way to 2026): the date is written once the field is left or Enter pressed.
        Kind::Date => {
            let was = current.clone();
            let commit_date = move |v: String| {
                let year = v.split('-').next().and_then(|y| y.parse::<u32>().ok());
                if v.is_empty() || v == was {
                } else if year.is_some_and(|y| y >= 1000) {
                    commit(v);
                } else {
                    form.error.set(Some((
                        skey.to_string(),
                        row,
                        field.key.to_string(),
                        "type the whole year (four digits)".into(),
                    )));
                    form.model.update(|_| {});
                }
            };
            let on_key = commit_date.clone();
            view! {
                <input
                    id=id.clone()
                    type="date"
                    prop:value=current.clone()
                    on:blur:target=move |ev| commit_date(ev.target().value())
                    on:keydown:target=move |ev| if ev.key() == "Enter" { on_key(ev.target().value()) }
                />
            }
            .into_any()
        }
        _ => {
            let list = match field.kind {
                Kind::UserRef => Some("form-users"),
                Kind::Access => Some("form-access"),
                Kind::Duration => Some("form-durations"),
                _ => None,
            };
            view! {
                <input
                    id=id.clone()
                    type="text"
                    list=list
                    spellcheck="false"
                    autocomplete="off"
                    placeholder=placeholder.clone()
                    prop:value=current.clone()
                    on:change:target=move |ev| commit(ev.target().value())
                />
            }
            .into_any()
        }
    };
    let err_id = format!("{id}-error");
    let has_error = error.is_some();
    view! {
        <div class="form-field" class:invalid=has_error data-key=field.key>
            <label for=id.clone() title=field.help>
                {field.key}
                {field.required.then_some(" *")}
            </label>
            {control}
            <small class="form-help">{field.help}</small>
            {error.map(|e| view! { <span class="field-error" id=err_id role="alert">{e}</span> })}
        </div>
    }
}

/// The errors (parser's, or the last refused edit) that belong to one input.
fn error_for(
    form: Form,
    errors: &[FormError],
    section: &str,
    row: usize,
    key: &str,
) -> Option<String> {
    let refused = form.error.with_untracked(|e| {
        e.as_ref()
            .filter(|(s, r, k, _)| s == section && *r == row && k == key)
            .map(|(_, _, _, m)| m.clone())
    });
    let parsed: Vec<String> = errors
        .iter()
        .filter(|e| e.section == section && e.row == row && e.key.as_deref() == Some(key))
        .map(|e| format!("line {}: {}", e.line, e.message))
        .collect();
    refused.or_else(|| (!parsed.is_empty()).then(|| parsed.join(" · ")))
}

fn row_title(section: Section, row: &FormRow) -> String {
    let n = row.index + 1;
    match section {
        Section::Visit => format!(
            "Visit {n}: {} at {}",
            value_of(row, "user").unwrap_or("?"),
            value_of(row, "at").unwrap_or("?")
        ),
        Section::Action => format!(
            "Change {n}: {} at {}",
            value_of(row, "do").unwrap_or("?"),
            value_of(row, "at").unwrap_or("?")
        ),
        _ => value_of(row, "name")
            .map(|s| s.to_string())
            .unwrap_or_else(|| format!("Row {n}")),
    }
}

/// What the "several at once" boxes hold while they are filled in (kept across the
/// form's redraws), by field.
#[derive(Clone, Copy)]
struct Several(StoredValue<Vec<(&'static str, String)>>);

impl Several {
    fn new() -> Self {
        Several(StoredValue::new(
            [
                ("name", "staff"),
                ("count", "10"),
                ("access", ""),
                ("as", "users"),
                ("do", "remove_user_pass"),
                ("at", ""),
                ("users", ""),
                ("kind", "professional"),
            ]
            .map(|(k, v)| (k, v.to_string()))
            .to_vec(),
        ))
    }

    fn get(self, key: &str) -> String {
        self.0.with_value(|v| {
            v.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, x)| x.clone())
                .unwrap_or_default()
        })
    }

    fn set(self, key: &str, value: String) {
        self.0.update_value(|v| {
            if let Some((_, x)) = v.iter_mut().find(|(k, _)| *k == key) {
                *x = value;
            }
        });
    }

    /// A labelled field: a text input (with suggestions from `list`), or a select of
    /// `options`.
    fn field(
        self,
        key: &str,
        label: &str,
        placeholder: &str,
        list: &str,
        options: &[&str],
    ) -> String {
        let value = esc(&self.get(key));
        let control = if options.is_empty() {
            format!(
                "<input id=\"several-{key}\" data-field=\"{key}\" type=\"text\" list=\"{list}\" spellcheck=\"false\" autocomplete=\"off\" placeholder=\"{placeholder}\" value=\"{value}\">"
            )
        } else {
            let opts: String = options
                .iter()
                .map(|o| {
                    let (v, text) = o.split_once('|').unwrap_or((o, o));
                    let sel = if v == value { " selected" } else { "" };
                    format!("<option value=\"{v}\"{sel}>{text}</option>")
                })
                .collect();
            format!("<select id=\"several-{key}\" data-field=\"{key}\">{opts}</select>")
        };
        format!(
            "<div class=\"form-field\"><label for=\"several-{key}\">{label}</label>{control}</div>"
        )
    }

    /// The words under the boxes: who will be added, and when the change happens.
    fn help(self, form: Form, what: &str) -> String {
        if what == "users" {
            let name = self.get("name");
            return format!(
                "Named {0}-1 … {0}-{1}, as one edit.",
                name.trim(),
                self.get("count").trim()
            );
        }
        let at = self.get("at");
        if at.trim().is_empty() {
            return "When: day N HH:MM (day 0 is the start) or YYYY-MM-DDTHH:MM.".into();
        }
        match form
            .run
            .clock()
            .map(|c| c.parse_time(&at).map(|m| c.weekday_and_time(m)))
        {
            Some(Ok(when)) => format!("{} is {when}.", at.trim()),
            Some(Err(e)) => e,
            None => String::new(),
        }
    }
}

fn esc(s: &str) -> String {
    super::rulebook::escape(s)
}

/// Several users at once (`NAME-1` … `NAME-N`, as users or as one cohort), or one
/// change for several users: a box written as markup (one handler for its inputs and
/// one for its button, instead of a view per input).
fn several_view(
    form: Form,
    s: Several,
    what: &'static str,
    default_access: String,
) -> impl IntoView {
    let fields = if what == "users" {
        [
            s.field("name", "named", "staff", "", &[]),
            s.field("count", "how many", "10", "", &[]),
            s.field("access", "access", &default_access, "form-access", &[]),
            s.field(
                "as",
                "as",
                "",
                "",
                &[
                    "users|one [[user]] each",
                    "cohort|a cohort (visits drawn from the seed)",
                ],
            ),
        ]
    } else {
        [
            s.field(
                "do",
                "do",
                "",
                "",
                &[
                    "remove_user_pass",
                    "allocate_user_pass",
                    "reinstate_user_pass",
                    "assign",
                    "unassign",
                    "reinstate",
                ],
            ),
            s.field("at", "at", "day 4 17:00", "", &[]),
            s.field("users", "users", "staff-1..20, sam", "form-users", &[]),
            s.field(
                "kind",
                "kind (assign, unassign, reinstate)",
                "",
                "",
                &["professional", "analyzer"],
            ),
        ]
    };
    let (summary, button) = if what == "users" {
        ("Add several users at once", "Add them")
    } else {
        ("Apply one change to several users", "Add the changes")
    };
    let html = format!(
        "<summary>{summary}</summary><div class=\"form-grid\">{}</div><p class=\"form-help\" aria-live=\"polite\" data-help>{}</p><button type=\"button\" id=\"several-{what}-add\" data-add>{button}</button>",
        fields.concat(),
        esc(&s.help(form, what))
    );
    let on_input = move |ev: web_sys::Event| {
        let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let (Some(key), Some(value)) = (
            el.get_attribute("data-field"),
            js_sys::Reflect::get(&el, &"value".into())
                .ok()
                .and_then(|v| v.as_string()),
        ) else {
            return;
        };
        s.set(&key, value);
        if let Some(help) = el
            .closest("details")
            .ok()
            .flatten()
            .and_then(|d| d.query_selector("[data-help]").ok().flatten())
        {
            help.set_text_content(Some(&s.help(form, what)));
        }
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        let add = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| e.has_attribute("data-add"));
        if !add {
            return;
        }
        let edit = if what == "users" {
            let access = s.get("access");
            FormEdit::AddUsers {
                name: s.get("name"),
                count: s.get("count").trim().parse().unwrap_or(0),
                access: if access.trim().is_empty() {
                    default_access.clone()
                } else {
                    access
                },
                cohort: s.get("as") == "cohort",
            }
        } else {
            FormEdit::ChangeUsers {
                verb: s.get("do"),
                at: s.get("at"),
                users: s.get("users"),
                kind: s.get("kind"),
            }
        };
        form.edit(edit);
    };
    view! {
        <details class="several" data-several=what inner_html=html on:input=on_input on:change=on_input on:click=on_click></details>
    }
}

fn section_view(
    form: Form,
    model: &FormModel,
    sec: &FormSection,
    several: Several,
) -> impl IntoView {
    let Some(section) = section_of(&sec.key) else {
        return ().into_any();
    };
    let skey = section.table().unwrap_or("scenario");
    let errors = &model.errors;
    let loose: Vec<String> = errors
        .iter()
        .filter(|e| e.section == sec.key && (e.key.is_none() || !section.is_list() && e.row != 0))
        .map(|e| format!("line {}: {}", e.line, e.message))
        .collect();
    let rows = sec
        .rows
        .iter()
        .map(|row| {
            let verb = value_of(row, "do").unwrap_or("").to_string();
            let fields = schema::fields(section)
                .filter(|f| section != Section::Action || schema::action_applies(&verb, f.key))
                .map(|f| {
                    let err = error_for(form, errors, skey, row.index, f.key);
                    input(
                        form,
                        section,
                        row.index,
                        f,
                        value_of(row, f.key).map(|s| s.to_string()),
                        model,
                        err,
                    )
                })
                .collect_view();
            let unknown = (!row.unknown.is_empty()).then(|| {
                view! {
                    <p class="muted small">
                        {format!("Also in the text, not editable here: {}.", row.unknown.join(", "))}
                    </p>
                }
            });
            let index = row.index;
            if section.is_list() {
                view! {
                    <fieldset class="form-row" data-row=index>
                        <legend>{row_title(section, row)}</legend>
                        <div class="form-grid">{fields}</div>
                        {unknown}
                        <div class="row-actions">
                            <button type="button" class="duplicate-row" on:click=move |_| {
                                form.edit(FormEdit::Duplicate { section: skey.to_string(), row: index });
                            }>"Duplicate"</button>
                            <button type="button" class="remove-row" on:click=move |_| {
                                form.edit(FormEdit::Remove { section: skey.to_string(), row: index });
                            }>"Remove"</button>
                        </div>
                    </fieldset>
                }
                .into_any()
            } else {
                view! {
                    <div class="form-grid">{fields}</div>
                    {unknown}
                }
                .into_any()
            }
        })
        .collect_view();
    let pages = sec.total.div_ceil(FORM_PAGE).max(1);
    let page = sec.page;
    let go = move |p: usize| {
        form.pages.update(|v| {
            v.retain(|(k, _)| k != skey);
            v.push((skey.to_string(), p));
        });
        form.refresh();
    };
    let pager = (section.is_list() && pages > 1).then(|| {
        view! {
            <div class="pager">
                <button type="button" disabled=page == 0 on:click=move |_| go(page.saturating_sub(1))>"Previous"</button>
                <span>{format!("rows {}–{} of {} · page {} of {pages}", page * FORM_PAGE + 1, (page * FORM_PAGE + FORM_PAGE).min(sec.total), sec.total, page + 1)}</span>
                <button type="button" disabled=page + 1 >= pages on:click=move |_| go(page + 1)>"Next"</button>
            </div>
        }
    });
    let add = section.is_list().then(|| {
        view! {
            <button type="button" class="add-row" data-section=skey on:click=move |_| {
                form.edit(FormEdit::Add { section: skey.to_string() });
            }>{format!("Add {}", singular(section))}</button>
        }
    });
    let several = matches!(section, Section::User | Section::Action).then(|| {
        let access = model
            .groups
            .first()
            .map(|g| format!("login:{g}"))
            .unwrap_or_else(|| "user_pass".into());
        several_view(
            form,
            several,
            if section == Section::User {
                "users"
            } else {
                "changes"
            },
            access,
        )
    });
    let count = if section.is_list() {
        format!(" ({})", sec.total)
    } else {
        String::new()
    };
    // The everyday sections are open; the rarer ones open once they hold something.
    let used = if section.is_list() {
        sec.total > 0
    } else {
        sec.rows.iter().any(|r| !r.values.is_empty())
    };
    let open = used
        || matches!(
            section,
            Section::Scenario
                | Section::License
                | Section::Group
                | Section::User
                | Section::Cohort
                | Section::Visit
                | Section::Action
        );
    view! {
        <details class="form-section" data-section=skey open=open>
            <summary>{section.label()}{count}</summary>
            {(!loose.is_empty()).then(|| view! {
                <ul class="errors">{loose.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
            })}
            {pager.clone()}
            {rows}
            {pager}
            {add}
            {several}
        </details>
    }
    .into_any()
}

fn singular(section: Section) -> &'static str {
    match section {
        Section::Group => "a group",
        Section::User => "a user",
        Section::Cohort => "a cohort",
        Section::Visit => "a visit",
        Section::Action => "a change",
        Section::Node => "a node",
        Section::Deployment => "a deployment",
        _ => "a row",
    }
}

/// The form view of the scenario.
#[component]
pub fn FormView() -> impl IntoView {
    let form = ctx::<Form>();
    // The form is redrawn after every edit; the input that had the focus gets it back.
    let focused = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        form.model.track();
        let Some(id) = focused.get_value() else {
            return;
        };
        request_animation_frame(move || {
            let doc = document();
            let inside = doc
                .active_element()
                .is_some_and(|a| a.closest(".form-view").ok().flatten().is_some());
            if !inside {
                if let Some(el) = doc
                    .get_element_by_id(&id)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = el.focus();
                }
            }
        });
    });
    let several = Several::new();
    let body = move || {
        form.model.with(|f| {
            let Some((_, model)) = f else {
                return view! { <p class="muted">"Reading the scenario…"</p> }.into_any();
            };
            if let Some(e) = &model.syntax {
                return view! {
                    <p class="check bad" role="alert">
                        {format!(
                            "The text has a TOML error at line {}, column {}: {}. Mend it in the Text view; the form shows the scenario again once it reads.",
                            e.line, e.column, e.message
                        )}
                    </p>
                }
                .into_any();
            }
            let mut access: Vec<String> = schema::plain_accesses().map(|(w, _)| w.to_string()).collect();
            access.extend(model.groups.iter().map(|g| format!("{}{g}", schema::LOGIN_PREFIX)));
            let mut users = model.users.clone();
            users.extend(model.cohorts.iter().map(|c| format!("{c}-1")));
            let datalist = |id: &'static str, items: Vec<String>| {
                view! {
                    <datalist id=id>
                        {items.into_iter().map(|i| view! { <option value=i></option> }).collect_view()}
                    </datalist>
                }
            };
            let durations = ["5m", "30m", "1h", "2h", "7d", "28d"].iter().map(|s| s.to_string()).collect();
            let sections = model
                .sections
                .iter()
                .map(|sec| section_view(form, model, sec, several))
                .collect_view();
            view! {
                {datalist("form-users", users)}
                {datalist("form-access", access)}
                {datalist("form-durations", durations)}
                {sections}
            }
            .into_any()
        })
    };
    view! {
        <section
            class="form-view"
            aria-label="The scenario as a form"
            on:focusin=move |ev| {
                if let Some(id) = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .map(|e| e.id())
                    .filter(|id| !id.is_empty())
                {
                    focused.set_value(Some(id));
                }
            }
        >
            <p class="muted small">
                "Every change here is written into the TOML text, which keeps its comments and everything you did not touch. Required keys are marked *."
            </p>
            {body}
        </section>
    }
}
