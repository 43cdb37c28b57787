//! IndexedDB, the browser's store for large data (tens of MB, where local storage holds a
//! few MB): the imported histories kept by the tools worker ([`super::import_worker`]).
//! One database, `license-lab`, with two object stores keyed by the scenario's name:
//! `meta` (a short JSON line per import, for the list) and `text` (its scenario text), so
//! listing never reads the texts.

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB: &str = "license-lab";
const VERSION: u32 = 1;
const META: &str = "meta";
const TEXT: &str = "text";

/// A JS error's message.
fn message(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser's storage refused".into())
}

/// What a request gives, once it has.
async fn done(req: &IdbRequest) -> Result<JsValue, String> {
    let promise = Promise::new(&mut |resolve, reject| {
        let r = req.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r = req.clone();
        let failed = Closure::once_into_js(move || {
            let why = r
                .error()
                .ok()
                .flatten()
                .map(|e| e.message())
                .unwrap_or_else(|| "IndexedDB failed".into());
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&why));
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(failed.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(|e| message(&e))
}

/// Once a transaction is committed (a full disk aborts it).
async fn committed(tx: &IdbTransaction) -> Result<(), String> {
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let t = tx.clone();
        let aborted = Closure::once_into_js(move || {
            let why = t
                .error()
                .map(|e| e.message())
                .unwrap_or_else(|| "the browser's storage refused it".into());
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&why));
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onabort(Some(aborted.unchecked_ref()));
    });
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| message(&e))
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = js_sys::global()
        .unchecked_into::<web_sys::WorkerGlobalScope>()
        .indexed_db()
        .map_err(|e| message(&e))?
        .ok_or("this browser gives the page no IndexedDB")?;
    let req = factory
        .open_with_u32(DB, VERSION)
        .map_err(|e| message(&e))?;
    let r = req.clone();
    let upgrade = Closure::once_into_js(move || {
        if let Ok(db) = r.result() {
            let db: IdbDatabase = db.unchecked_into();
            for name in [META, TEXT] {
                let _ = db.create_object_store(name);
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    Ok(done(&req).await?.unchecked_into())
}

fn transaction(
    db: &IdbDatabase,
    mode: IdbTransactionMode,
    stores: &[&str],
) -> Result<IdbTransaction, String> {
    let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
    db.transaction_with_str_sequence_and_mode(&names, mode)
        .map_err(|e| message(&e))
}

/// Keeps `text` under `name` with its `meta` line (replacing what had that name).
pub async fn put(name: &str, meta: &str, text: &str) -> Result<(), String> {
    let db = open().await?;
    let tx = transaction(&db, IdbTransactionMode::Readwrite, &[META, TEXT])?;
    let key = JsValue::from_str(name);
    let store = |s: &str| tx.object_store(s).map_err(|e| message(&e));
    store(META)?
        .put_with_key(&JsValue::from_str(meta), &key)
        .map_err(|e| message(&e))?;
    store(TEXT)?
        .put_with_key(&JsValue::from_str(text), &key)
        .map_err(|e| message(&e))?;
    committed(&tx).await
}

/// Every `meta` line kept, in name order.
pub async fn metas() -> Result<Vec<String>, String> {
    let db = open().await?;
    let tx = transaction(&db, IdbTransactionMode::Readonly, &[META])?;
    let req = tx
        .object_store(META)
        .and_then(|s| s.get_all())
        .map_err(|e| message(&e))?;
    let all: Array = done(&req).await?.unchecked_into();
    Ok(all.iter().filter_map(|v| v.as_string()).collect())
}

/// The text kept under `name`, if any.
pub async fn text(name: &str) -> Result<Option<String>, String> {
    let db = open().await?;
    let tx = transaction(&db, IdbTransactionMode::Readonly, &[TEXT])?;
    let req = tx
        .object_store(TEXT)
        .and_then(|s| s.get(&JsValue::from_str(name)))
        .map_err(|e| message(&e))?;
    Ok(done(&req).await?.as_string())
}

pub async fn delete(name: &str) -> Result<(), String> {
    let db = open().await?;
    let tx = transaction(&db, IdbTransactionMode::Readwrite, &[META, TEXT])?;
    let key = JsValue::from_str(name);
    for s in [META, TEXT] {
        tx.object_store(s)
            .and_then(|s| s.delete(&key))
            .map_err(|e| message(&e))?;
    }
    committed(&tx).await
}
