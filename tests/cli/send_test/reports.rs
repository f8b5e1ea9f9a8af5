//! The JSON report of one message, and `--all` with its summary table.

use super::*;

#[tokio::test]
async fn json_reports_the_delivery() {
    let server = replying(200, INFOBIP_PENDING).await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(
        dir.path(),
        &[
            "authenticationCodeNotification",
            "--to",
            NATIONAL,
            "--yes",
            "--format",
            "json",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout_json(&output),
        json!({
            "gateway": "infobip",
            "provider": "infobip",
            "to": MASKED,
            "notification": "authenticationCodeNotification",
            "language": "en",
            "enabled": true,
            "sms": {"text": AUTH_CODE_EN, "encoding": "GSM-7", "parts": 1, "units": 46},
            "result": "sent",
            "message_id": "ib-4471",
            "status": "PENDING",
            "billed_parts": null,
            "attempts": 1,
        })
    );
}

#[tokio::test]
async fn all_sends_every_enabled_message_and_summarises() {
    let server = replying(200, INFOBIP_PENDING).await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(dir.path(), &["--all", "--to", NATIONAL, "--yes"]);
    // One enabled message has check errors, so it is not sent: exit 1.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let texts: Vec<Value> = received(&server)
        .await
        .iter()
        .map(|r| json_body(r)["messages"][0]["text"].clone())
        .collect();
    assert_eq!(
        texts,
        vec![
            json!(AUTH_CODE_EN),
            json!(
                "Natasha Mulenga is registered, number 2026B0001234. Collect the certificate at \
                 Chongwe District Office. Ref BQ4T7ZD"
            ),
        ]
    );
    let out = stdout(&output);
    for row in [
        "│ authenticationCodeNotification ┆ 1 GSM-7 ┆ sent     ┆ PENDING, id ib-4471 ",
        "│ birthRegistrationNotification  ┆ 1 GSM-7 ┆ sent     ┆ PENDING, id ib-4471 ",
        "│ deathRejectionNotification     ┆         ┆ not sent ┆ `deathRejectionNotification` has 1 \
         check error in its en SMS; fix it (`crvs-comms check` lists them) before sending it │",
    ] {
        assert!(out.contains(row), "no row {row:?} in:\n{out}");
    }
    assert!(out.ends_with("2 sent, 0 failed, 1 not sent\n"), "{out}");
    // Off a terminal there is no progress bar, and nothing else to say on stderr.
    assert_eq!(stderr(&output), "");
    assert!(!out.contains("birthRejectionNotification"), "{out}");
}

#[tokio::test]
async fn all_in_json_reports_each_message_and_a_failure_exits_3() {
    let server = replying(
        401,
        r#"{"requestError":{"serviceException":{"messageId":"UNAUTHORIZED","text":"Invalid login details"}}}"#,
    )
    .await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(
        dir.path(),
        &["--all", "--to", NATIONAL, "--yes", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(3));
    let report = stdout_json(&output);
    assert_eq!(report["to"], MASKED);
    assert_eq!(
        report["summary"],
        json!({"sent": 0, "dry_run": 0, "failed": 2, "skipped": 1})
    );
    let results: Vec<(&str, &str)> = report["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["notification"].as_str().unwrap(),
                m["result"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        results,
        vec![
            ("authenticationCodeNotification", "failed"),
            ("birthRegistrationNotification", "failed"),
            ("deathRejectionNotification", "skipped"),
        ]
    );
    assert_eq!(
        report["messages"][0]["error"],
        "gateway infobip: Infobip rejected the request: UNAUTHORIZED — Invalid login details \
         (HTTP 401)"
    );
}

#[tokio::test]
async fn all_off_a_terminal_without_yes_sends_nothing() {
    let server = replying(200, INFOBIP_PENDING).await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(dir.path(), &["--all", "--to", NATIONAL]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("pass --yes"));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn all_dry_run_lists_each_request_and_sends_nothing() {
    let server = replying(200, INFOBIP_PENDING).await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(dir.path(), &["--all", "--to", NATIONAL, "--dry-run"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(received(&server).await.is_empty());
    let out = stdout(&output);
    assert!(out.starts_with("Dry run: these requests would be sent; nothing was sent.\n"));
    assert_eq!(out.matches("Authorization: ***\n").count(), 2, "{out}");
    assert!(
        out.contains("\n# birthRegistrationNotification (en)\nPOST "),
        "{out}"
    );
    assert!(
        out.ends_with("2 shown (dry run), 0 sent, 0 failed, 1 not sent\n"),
        "{out}"
    );
}
