//! What is checked before anything is sent: credentials, the confirmation, the phone number,
//! the copy; and `--dry-run`, which shows the request and sends nothing.

use super::*;

#[tokio::test]
async fn a_missing_credential_exits_2_naming_the_variable() {
    let server = replying(200, INFOBIP_PENDING).await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run_without(
        dir.path(),
        &["authenticationCodeNotification", "--to", NATIONAL, "--yes"],
        &["CRVS_TEST_INFOBIP_KEY"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: environment variable CRVS_TEST_INFOBIP_KEY is not set; export it before sending\n"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn dry_run_prints_the_request_with_secrets_hidden_and_sends_nothing() {
    let server = replying(200, INFOBIP_PENDING).await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(
        dir.path(),
        &[
            "authenticationCodeNotification",
            "--to",
            NATIONAL,
            "--dry-run",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(received(&server).await.is_empty());
    let expected_request = format!(
        "POST {}/sms/2/text/advanced\n\
         User-Agent: crvs-comms/{}\n\
         Authorization: ***\n\
         Accept: application/json\n\
         Content-Type: application/json\n\
         \n\
         {{\n  \"messages\": [\n    {{\n      \"destinations\": [\n        {{\n          \
         \"to\": \"{MASKED}\"\n        }}\n      ],\n      \"from\": \"OpenCRVS\",\n      \
         \"text\": \"{AUTH_CODE_EN}\"\n    }}\n  ]\n}}\n",
        server.uri(),
        env!("CARGO_PKG_VERSION")
    );
    let out = stdout(&output);
    assert!(
        out.ends_with(&format!(
            "\nDry run: this request would be sent; nothing was sent.\n\n{expected_request}"
        )),
        "{out}"
    );
}

#[tokio::test]
async fn dry_run_hides_form_secrets_too() {
    let server = replying(200, "").await;
    let dir = catalogue(&vonage(&server.uri()));
    let output = run(
        dir.path(),
        &[
            "authenticationCodeNotification",
            "--to",
            NATIONAL,
            "--dry-run",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(received(&server).await.is_empty());
    let out = stdout(&output);
    assert!(
        out.contains(&format!(
            "api_key=***\napi_secret=***\nfrom=OpenCRVS\nto=260*******67\ntext={AUTH_CODE_EN}\n"
        )),
        "{out}"
    );
}

#[tokio::test]
async fn off_a_terminal_without_yes_it_exits_2_naming_yes() {
    let server = replying(200, INFOBIP_PENDING).await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(
        dir.path(),
        &["authenticationCodeNotification", "--to", NATIONAL],
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: send-test asks for confirmation before sending, but stdin is not a terminal; \
         pass --yes to send without asking\n"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn an_invalid_phone_number_exits_2_before_anything_is_sent() {
    let server = replying(200, INFOBIP_PENDING).await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(
        dir.path(),
        &["authenticationCodeNotification", "--to", "+26097", "--yes"],
    );
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.starts_with("error: invalid --to: \"+26097\""), "{err}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_message_with_check_errors_is_refused() {
    let server = replying(200, INFOBIP_PENDING).await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(
        dir.path(),
        &["deathRejectionNotification", "--to", NATIONAL, "--yes"],
    );
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("error[unsupplied-placeholder] deathRejectionNotification sms.en"),
        "{err}"
    );
    assert!(
        err.ends_with(
            "error: `deathRejectionNotification` has 1 check error in its en SMS; fix it \
             (`crvs-comms check` lists them) before sending it\n"
        ),
        "{err}"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_disabled_notification_is_sent_with_a_notice() {
    let server = replying(200, INFOBIP_PENDING).await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(
        dir.path(),
        &["birthRejectionNotification", "--to", NATIONAL, "--yes"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "notice: `birthRejectionNotification` is switched off in the catalogue; sending it \
         anyway, as a test\n"
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_missing_sample_value_names_the_variable_and_set() {
    let server = replying(200, INFOBIP_PENDING).await;
    let dir = catalogue(&infobip(&server.uri()));
    let sample = dir.path().join("sample-data.toml");
    let text = std::fs::read_to_string(&sample).unwrap();
    std::fs::write(&sample, text.replace("authCode = \"314159\"\n", "")).unwrap();
    let output = run(
        dir.path(),
        &["authenticationCodeNotification", "--to", NATIONAL, "--yes"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: `authenticationCodeNotification` cannot be rendered: no sample value for \
         `authCode`; give one with --set NAME=VALUE or add it to the sample data\n"
    );
    let output = run(
        dir.path(),
        &[
            "authenticationCodeNotification",
            "--to",
            NATIONAL,
            "--yes",
            "--set",
            "authCode=000111",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let request = only_request(&server).await;
    assert_eq!(
        json_body(&request)["messages"][0]["text"],
        "Your OpenCRVS code is 000111. Do not share it."
    );
}

#[tokio::test]
async fn an_email_only_notification_names_the_key_to_test_instead() {
    let server = replying(200, INFOBIP_PENDING).await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(
        dir.path(),
        &["change-phone-number", "--to", NATIONAL, "--yes"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: `change-phone-number` has no SMS copy: OpenCRVS sends its SMS as \
         `authenticationCodeNotification`; test that key instead\n"
    );
    assert!(received(&server).await.is_empty());
}
