//! Files the app hands to the user: text (CSV, JSON, TOML) and charts (SVG, PNG), made
//! in the page and offered as downloads; nothing is uploaded anywhere.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, HtmlImageElement, Url};

/// The local date and time as `YYYY-MM-DD hh:mm`: when a scenario or an import was kept.
pub fn now_label() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// A file name made from a scenario's name: ASCII letters, digits and dashes.
pub fn file_stem(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out
        .trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>();
    if out.is_empty() {
        "scenario".into()
    } else {
        out
    }
}

/// Offers `blob` as a download named `file`.
pub fn blob_file(file: &str, blob: &Blob) {
    let Ok(url) = Url::create_object_url_with_blob(blob) else {
        return;
    };
    let doc = leptos::prelude::document();
    if let Some(a) = doc
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(file);
        if let Some(body) = doc.body() {
            let _ = body.append_child(&a);
            a.click();
            let _ = body.remove_child(&a);
        }
    }
    // Revoked later: some browsers start the download after the click returns.
    let cb = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    let _ = leptos::prelude::window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 10_000);
}

/// Offers text as a download.
pub fn text_file(file: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = BlobPropertyBag::new();
    opts.set_type(&format!("{mime};charset=utf-8"));
    if let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &opts) {
        blob_file(file, &blob);
    }
}

/// Offers a scenario's text as `<its name>.toml`.
/// The whole text of a large one ([`super::large`]) comes from its `Blob`; the error says
/// when this page no longer has it.
pub fn scenario_file(name: &str, text: &str) -> Result<(), String> {
    let file = format!("{}.toml", file_stem(name));
    match crate::scenario::stand_in::id(text) {
        None => {
            text_file(&file, "application/toml", text);
            Ok(())
        }
        Some(id) => match super::large::blob(id) {
            Some(blob) => {
                blob_file(&file, &blob);
                Ok(())
            }
            None => Err(format!(
                "Not downloaded: {}.",
                crate::scenario::stand_in::missing_message(id)
            )),
        },
    }
}

/// The chart's styles, inlined so a downloaded SVG looks as it does on the page.
const SVG_STYLE: &str = "text{font-family:system-ui,sans-serif;font-size:12px;fill:#333}\
.grid{stroke:#e3e3e3}.axis{stroke:#555}.tick{stroke:#555}\
.cursor-line{stroke:#000;stroke-width:1.5}.hover-line{display:none}";

/// A standalone SVG document of a chart's `<svg>` element, with its title and legend.
pub fn chart_svg(svg: &web_sys::Element, title: &str, legend: &[(String, String)]) -> String {
    let inner = svg.inner_html();
    let view_box = svg
        .get_attribute("viewBox")
        .unwrap_or_else(|| "0 0 720 200".into());
    let dims: Vec<f64> = view_box
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let (w, h) = (
        dims.get(2).copied().unwrap_or(720.0),
        dims.get(3).copied().unwrap_or(200.0),
    );
    let legend_h = 22.0;
    let title_h = 24.0;
    let total_h = h + title_h + legend_h;
    let mut items = String::new();
    let mut x = 8.0;
    for (label, color) in legend {
        items.push_str(&format!(
            "<rect x=\"{x}\" y=\"{:.0}\" width=\"14\" height=\"10\" fill=\"{color}\"/><text x=\"{:.0}\" y=\"{:.0}\">{}</text>",
            title_h + h + 6.0,
            x + 18.0,
            title_h + h + 15.0,
            escape(label)
        ));
        x += 28.0 + 7.0 * label.chars().count() as f64;
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{total_h}\" viewBox=\"0 0 {w} {total_h}\"><style>{SVG_STYLE}</style><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><text x=\"8\" y=\"17\" style=\"font-size:14px;font-weight:600\">{}</text><g transform=\"translate(0 {title_h})\">{inner}</g>{items}</svg>",
        escape(title)
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Draws an SVG document onto a canvas (twice its size, for sharpness) and offers it as
/// a PNG.
pub fn png_file(file: &str, svg: &str) {
    let Ok(img) = HtmlImageElement::new() else {
        return;
    };
    let opts = BlobPropertyBag::new();
    opts.set_type("image/svg+xml;charset=utf-8");
    let parts = js_sys::Array::of1(&JsValue::from_str(svg));
    let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let file = file.to_string();
    let img2 = img.clone();
    let url2 = url.clone();
    let onload = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url2);
        let doc = leptos::prelude::document();
        let Some(canvas) = doc
            .create_element("canvas")
            .ok()
            .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok())
        else {
            return;
        };
        let scale = 2.0;
        let (w, h) = (img2.natural_width().max(1), img2.natural_height().max(1));
        canvas.set_width((f64::from(w) * scale) as u32);
        canvas.set_height((f64::from(h) * scale) as u32);
        let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let _ = ctx.scale(scale, scale);
        let _ = ctx.draw_image_with_html_image_element(&img2, 0.0, 0.0);
        let done = Closure::once_into_js(move |blob: Option<Blob>| {
            if let Some(b) = blob {
                blob_file(&file, &b);
            }
        });
        let _ = canvas.to_blob(done.unchecked_ref());
    });
    img.set_onload(Some(onload.unchecked_ref()));
    img.set_src(&url);
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn file_stems() {
        assert_eq!(
            file_stem("Login access passes: the walkthrough"),
            "login-access-passes-the-walkthrough"
        );
        assert_eq!(file_stem("!!!"), "scenario");
    }
}
