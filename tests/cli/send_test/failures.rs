//! Replies and failures that stop a delivery: refusals, throttling, server errors, a gateway that
//! hangs or cannot be reached, and a reply that cannot be read. Each ends with exit 3.

use super::*;

#[tokio::test]
async fn a_401_is_shown_in_the_providers_words_and_not_retried() {
    let server = replying(
        401,
        r#"{"requestError":{"serviceException":{"messageId":"UNAUTHORIZED","text":"Invalid login details"}}}"#,
    )
    .await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(
        dir.path(),
        &["authenticationCodeNotification", "--to", NATIONAL, "--yes"],
    );
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        stderr(&output),
        "error: gateway infobip: Infobip rejected the request: UNAUTHORIZED — Invalid login \
         details (HTTP 401)\n"
    );
    assert_eq!(stdout(&output), "");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_429_is_retried_once_after_its_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_string(
                    r#"{"requestError":{"serviceException":{"messageId":"TOO_MANY_REQUESTS","text":"Too many requests"}}}"#,
                ),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(INFOBIP_PENDING))
        .mount(&server)
        .await;
    let dir = catalogue(&infobip(&server.uri()));
    let started = Instant::now();
    let output = run(
        dir.path(),
        &[
            "authenticationCodeNotification",
            "--to",
            NATIONAL,
            "--yes",
            "--verbose",
        ],
    );
    let elapsed = started.elapsed();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert_eq!(received(&server).await.len(), 2);
    assert!(stdout(&output).contains("result        sent (2 attempts)\n"));
    let url = format!("{}/sms/2/text/advanced", server.uri());
    assert_eq!(
        stderr(&output),
        format!(
            "> POST {url} (attempt 1 of 3)\n\
             < HTTP 429 Too Many Requests\n  \
             waiting 1.0 s before the next attempt\n\
             > POST {url} (attempt 2 of 3)\n\
             < HTTP 200 OK\n"
        )
    );
}

#[tokio::test]
async fn three_server_errors_give_up_with_exit_3() {
    let server = replying(500, "upstream unavailable").await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(
        dir.path(),
        &["authenticationCodeNotification", "--to", NATIONAL, "--yes"],
    );
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(received(&server).await.len(), 3);
    assert_eq!(
        stderr(&output),
        "error: gateway infobip: gave up after 3 attempts; the last one failed with: Infobip \
         answered with \"upstream unavailable\" (HTTP 500)\n"
    );
}

#[tokio::test]
async fn a_hanging_server_times_out_with_exit_3() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(INFOBIP_PENDING)
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let dir = catalogue(&infobip(&server.uri()));
    let started = Instant::now();
    let output = run(
        dir.path(),
        &["authenticationCodeNotification", "--to", NATIONAL, "--yes"],
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        stderr(&output),
        "error: gateway infobip did not answer within 1 s; it may still have accepted the \
         message, so check its delivery log before sending again\n"
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_malformed_reply_is_reported_not_retried() {
    let server = replying(200, r#"{"messages": [ {"messageId": "#).await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(
        dir.path(),
        &["authenticationCodeNotification", "--to", NATIONAL, "--yes"],
    );
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        stderr(&output),
        "error: gateway infobip answered HTTP 200 with a reply crvs-comms cannot read: expected \
         Infobip's list of sent messages, got \"{\\\"messages\\\": [ {\\\"messageId\\\":\"\n"
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_refused_connection_exits_3() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let dir = catalogue(&infobip(&format!("http://127.0.0.1:{port}")));
    let output = run(
        dir.path(),
        &["authenticationCodeNotification", "--to", NATIONAL, "--yes"],
    );
    assert_eq!(output.status.code(), Some(3));
    let err = stderr(&output);
    assert!(
        err.starts_with("error: gateway infobip could not be reached (3 attempts): "),
        "{err}"
    );
    assert!(err.to_lowercase().contains("refused"), "{err}");
}

#[tokio::test]
async fn a_secret_a_gateway_echoes_back_is_masked() {
    let echo = format!(
        r#"{{"requestError":{{"serviceException":{{"messageId":"UNAUTHORIZED","text":"Key {INFOBIP_KEY} is not valid for {PHONE}"}}}}}}"#
    );
    let server = replying(401, &echo).await;
    let dir = catalogue(&infobip(&server.uri()));
    for format in ["human", "json"] {
        let output = run(
            dir.path(),
            &[
                "authenticationCodeNotification",
                "--to",
                NATIONAL,
                "--yes",
                "--verbose",
                "--format",
                format,
            ],
        );
        assert_eq!(output.status.code(), Some(3));
        let err = stderr(&output);
        assert!(
            err.contains(&format!("Key *** is not valid for {MASKED}")),
            "{err}"
        );
        if format == "json" {
            let report = stdout_json(&output);
            assert_eq!(report["result"], "failed");
            assert_eq!(
                report["error"],
                format!(
                    "gateway infobip: Infobip rejected the request: UNAUTHORIZED — Key *** is \
                     not valid for {MASKED} (HTTP 401)"
                )
            );
        }
    }
}
