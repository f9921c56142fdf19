//! The commands through Tauri's IPC, on the mock runtime (no window): what the UI sends is
//! what the core receives, and errors arrive as `{code, message}`.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

fn app() -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = crate::run_app(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    let w = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, w)
}

fn request(cmd: &str, body: InvokeBody, headers: tauri::http::HeaderMap) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body,
        headers,
        invoke_key: INVOKE_KEY.to_string(),
    }
}

fn call(w: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(w, request(cmd, InvokeBody::Json(args), Default::default()))
        .map(|b| b.deserialize::<Value>().unwrap())
}

#[test]
fn a_locker_is_created_used_and_refuses_a_wrong_passphrase_through_ipc() {
    let (_app, w) = app();
    let dir = tempfile::tempdir().unwrap();
    let locker = dir.path().join("locker");

    // Locked: commands refuse with a code the UI acts on.
    let e = call(
        &w,
        "cases_list",
        json!({"filter": {"status": null, "search": null}}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "not_unlocked", "{e}");

    let s = call(
        &w,
        "locker_create",
        json!({"req": {"dir": locker, "passphrase": "korrekt hest batteri", "mode": "officer",
                        "owner": "Siri", "org_name": "Eksempel AS"}}),
    )
    .unwrap();
    assert_eq!(s["mode"], "officer");
    assert_eq!(s["profile"]["org_name"], "Eksempel AS");

    let case = call(&w, "case_create", json!({"title": "Trusler", "notes": ""})).unwrap();
    let reference = case["reference"].as_str().unwrap().to_string();
    let inc = call(
        &w,
        "incident_add",
        json!({"reference": reference, "incident": {
            "at": "09.03.2026 21:14", "tz": null, "approximate": false, "place": "SMS",
            "place_kind": null, "channel": "sms", "platform": null, "description": "Truende SMS",
            "wording": "Jeg vet hvor du bor", "perceived": ["threatening"],
            "targets_individuals": false, "ongoing_emergency": false, "actor_id": null, "witnesses": []}}),
    )
    .unwrap();
    assert_eq!(inc["occurred_local"], "2026-03-09 21:14");

    // A wrong date is refused with a typed reason at its field, not an English sentence.
    let e = call(
        &w,
        "incident_add",
        json!({"reference": reference, "incident": {
            "at": "32.13.2026 21:14", "tz": null, "approximate": false, "place": "SMS",
            "place_kind": null, "channel": "sms", "platform": null, "description": "x",
            "wording": null, "perceived": [], "targets_individuals": false,
            "ongoing_emergency": false, "actor_id": null, "witnesses": []}}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "invalid_input", "{e}");
    assert_eq!(e["field"], "occurred_at", "{e}");
    assert_eq!(e["invalid"]["kind"], "date_time", "{e}");
    assert_eq!(e["invalid"]["value"], "32.13.2026 21:14", "{e}");

    // A mistyped bundle path is "the file does not exist", not a failed check.
    let missing = dir.path().join("finnes-ikke.zip");
    for (cmd, args) in [
        ("bundle_check", json!({"path": missing})),
        (
            "bundle_import",
            json!({"path": missing, "reference": reference, "acceptNewKey": false}),
        ),
    ] {
        let e = call(&w, cmd, args).unwrap_err();
        assert_eq!(e["code"], "invalid_input", "{cmd}: {e}");
        assert_eq!(e["invalid"]["kind"], "file_missing", "{cmd}: {e}");
    }

    // A pasted screenshot: raw bytes, described in a header.
    let bytes = b"\x89PNG\r\n\x1a\n pretend screenshot".to_vec();
    let meta = json!({"incident": inc["id"], "name": "skjermbilde.png", "options": {
        "source": "clipboard", "thread_platform": null, "thread_id": null, "first_seq": null,
        "whole_thread": false, "note": "", "allow_empty": false}});
    let mut headers = tauri::http::HeaderMap::new();
    use base64::Engine as _;
    headers.insert(
        "varde-meta",
        base64::engine::general_purpose::STANDARD
            .encode(meta.to_string())
            .parse()
            .unwrap(),
    );
    let added = get_ipc_response(
        &w,
        request(
            "evidence_add_bytes",
            InvokeBody::Raw(bytes.clone()),
            headers,
        ),
    )
    .map(|b| b.deserialize::<Value>().unwrap())
    .unwrap();
    assert_eq!(
        added["evidence"]["sha256"],
        hex::encode(Sha256::digest(&bytes))
    );
    assert_eq!(added["evidence"]["source"], "clipboard");

    // A new incident logged with a picked file and two pasted ones, in one call.
    let picked = dir.path().join("skjerm-1.png");
    std::fs::write(&picked, b"\x89PNG\r\n\x1a\n first").unwrap();
    let meta = json!({"reference": reference, "incident": {
        "at": "10.03.2026 08:02", "tz": null, "approximate": false, "place": "Hjemme",
        "place_kind": "home", "channel": "sms", "platform": null, "description": "Ny SMS",
        "wording": "Du skal få svi 😡", "perceived": [], "targets_individuals": false,
        "ongoing_emergency": false, "actor_id": null, "witnesses": []},
        "paths": [picked], "pasted": [{"name": "a.png", "size": 3}, {"name": "b.png", "size": 4}],
        "options": {"source": null, "thread_platform": "SMS", "thread_id": "Ukjent nummer",
        "first_seq": null, "whole_thread": true, "note": "", "allow_empty": false}});
    let mut headers = tauri::http::HeaderMap::new();
    headers.insert(
        "varde-meta",
        base64::engine::general_purpose::STANDARD
            .encode(meta.to_string())
            .parse()
            .unwrap(),
    );
    let logged = get_ipc_response(
        &w,
        request(
            "incident_log",
            InvokeBody::Raw(b"abcdefg".to_vec()),
            headers,
        ),
    )
    .map(|b| b.deserialize::<Value>().unwrap())
    .unwrap();
    assert_eq!(logged["incident"]["place_kind"], "home");
    let seqs: Vec<_> = logged["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["evidence"]["original_name"].clone(),
                a["evidence"]["thread_seq"].clone(),
            )
        })
        .collect();
    assert_eq!(
        seqs,
        [
            (json!("skjerm-1.png"), json!(1)),
            (json!("a.png"), json!(2)),
            (json!("b.png"), json!(3))
        ]
    );
    assert_eq!(
        logged["added"][2]["evidence"]["sha256"],
        hex::encode(Sha256::digest(b"defg"))
    );

    let page = call(
        &w,
        "evidence_rows",
        json!({"reference": reference, "incident": null, "offset": 0, "limit": 50}),
    )
    .unwrap();
    assert_eq!(page["total"], 4);
    let check = call(&w, "evidence_check", json!({"id": added["evidence"]["id"]})).unwrap();
    assert_eq!(check["ok"], true);
    let prompts = call(&w, "prompts", json!({"reference": reference})).unwrap();
    assert!(
        prompts
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["key"] == "police_report" && p["state"] == "open")
    );

    // A local contact, added then corrected, as the contacts screen does it.
    let c = call(
        &w,
        "contact_add",
        json!({"contact": {"name": "Vekter", "kind": "security", "phone": "400 00 000",
                            "email": "", "municipalities": [], "note": ""}}),
    )
    .unwrap();
    let edited = call(
        &w,
        "contact_edit",
        json!({"id": c["id"], "patch": {"name": "Vektertjenesten", "kind": "security",
                "phone": "400 00 001", "email": "", "municipalities": ["Bærum"], "note": "Døgnåpen"}}),
    )
    .unwrap();
    assert_eq!(edited["phone"], "400 00 001");
    assert_eq!(edited["municipalities"], json!(["Bærum"]));
    // Only local contacts have ids (shipped entries are addressed by key and have no edit
    // command at all), so what this checks is an id that names no local contact.
    let unknown = call(
        &w,
        "contact_edit",
        json!({"id": 999_999, "patch": {"name": "x",
        "kind": null, "phone": null, "email": null, "municipalities": null, "note": null}}),
    )
    .unwrap_err();
    assert_eq!(unknown["code"], "not_found", "{unknown}");

    // Lock, then a wrong passphrase: a plain message, nothing changed.
    call(&w, "locker_lock", json!({})).unwrap();
    let before = std::fs::read(locker.join("locker.db")).unwrap();
    let e = call(
        &w,
        "locker_open",
        json!({"dir": locker, "passphrase": "feil feil feil feil"}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "wrong_passphrase");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("nothing was changed")
    );
    assert_eq!(std::fs::read(locker.join("locker.db")).unwrap(), before);
    let s = call(
        &w,
        "locker_open",
        json!({"dir": locker, "passphrase": "korrekt hest batteri"}),
    )
    .unwrap();
    assert_eq!(s["profile"]["owner"], "Siri");
}
