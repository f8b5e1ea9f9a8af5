//! Each provider receives exactly the request its API documents, and its reply is shown to the
//! user: message id and status on success, the provider's own reason on refusal.

use super::*;

#[tokio::test]
async fn infobip_gets_the_advanced_text_request() {
    let server = replying(200, INFOBIP_PENDING).await;
    let dir = catalogue(&infobip(&server.uri()));
    let output = run(
        dir.path(),
        &["authenticationCodeNotification", "--to", NATIONAL, "--yes"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/sms/2/text/advanced");
    assert_eq!(
        header(&request, "Authorization"),
        format!("App {INFOBIP_KEY}")
    );
    assert_common_headers(&request);
    assert_eq!(
        json_body(&request),
        json!({"messages": [{
            "destinations": [{"to": PHONE}],
            "from": "OpenCRVS",
            "text": AUTH_CODE_EN,
        }]})
    );
    assert_eq!(
        stdout(&output),
        format!(
            "notification  authenticationCodeNotification (en)\n\
             gateway       infobip (Infobip)\n\
             to            {MASKED}\n\
             encoding      GSM-7, 1 part (46 of 160 units)\n\
             text          {AUTH_CODE_EN}\n\
             result        sent (1 attempt)\n\
             message id    ib-4471\n\
             status        PENDING\n"
        )
    );
    assert_eq!(stderr(&output), "");
}

#[tokio::test]
async fn twilio_gets_a_form_with_basic_auth() {
    let server = replying(
        201,
        r#"{"sid":"SM5f2a","status":"queued","num_segments":"1","to":"+260971234567"}"#,
    )
    .await;
    let dir = catalogue(&format!(
        "[gateways.twilio]\nprovider = \"twilio\"\nurl = \"{}\"\nsender = \"+15005550006\"\n\
         account_sid_env = \"CRVS_TEST_TWILIO_SID\"\nauth_token_env = \"CRVS_TEST_TWILIO_TOKEN\"\n",
        server.uri()
    ));
    let output = run(
        dir.path(),
        &["authenticationCodeNotification", "--to", PHONE, "--yes"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        format!("/2010-04-01/Accounts/{TWILIO_SID}/Messages.json")
    );
    assert_eq!(
        header(&request, "Authorization"),
        format!("Basic {}", twilio_basic())
    );
    assert_common_headers(&request);
    assert_eq!(
        form_body(&request),
        pairs(&[
            ("To", PHONE),
            ("From", "+15005550006"),
            ("Body", AUTH_CODE_EN)
        ])
    );
    let out = stdout(&output);
    assert!(out.contains("message id    SM5f2a\n"), "{out}");
    assert!(
        out.contains("status        queued\nbilled parts  1\n"),
        "{out}"
    );
}

#[tokio::test]
async fn africas_talking_gets_a_form_with_the_api_key_header() {
    let server = replying(201, &at_reply(101, "Success")).await;
    let dir = catalogue(&africastalking(&server.uri()));
    let output = run(
        dir.path(),
        &["authenticationCodeNotification", "--to", NATIONAL, "--yes"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/version1/messaging");
    assert_eq!(header(&request, "apiKey"), AT_KEY);
    assert_common_headers(&request);
    assert_eq!(
        form_body(&request),
        pairs(&[
            ("username", "crvs-test"),
            ("to", PHONE),
            ("message", AUTH_CODE_EN),
            ("from", "CRVS"),
        ])
    );
    let out = stdout(&output);
    assert!(
        out.contains("message id    ATXid_9c1\nstatus        Success\n"),
        "{out}"
    );
}

#[tokio::test]
async fn africas_talking_insufficient_balance_is_said_in_plain_words() {
    let server = replying(201, &at_reply(405, "InsufficientBalance")).await;
    let dir = catalogue(&africastalking(&server.uri()));
    let output = run(
        dir.path(),
        &["authenticationCodeNotification", "--to", NATIONAL, "--yes"],
    );
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        stderr(&output),
        "error: gateway at: Africa's Talking rejected the message: insufficient balance; top up \
         the account (405 InsufficientBalance)\n"
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn clickatell_gets_the_messages_request_with_the_bare_key() {
    let server = replying(
        202,
        r#"{"messages":[{"apiMessageId":"ck-81be","accepted":true,"to":"260971234567","errorCode":null,"error":null,"errorDescription":null}],"errorCode":null,"error":null,"errorDescription":null}"#,
    )
    .await;
    let dir = catalogue(&format!(
        "[gateways.clickatell]\nprovider = \"clickatell\"\nurl = \"{}\"\n\
         api_key_env = \"CRVS_TEST_CLICKATELL_KEY\"\n",
        server.uri()
    ));
    let output = run(
        dir.path(),
        &["authenticationCodeNotification", "--to", NATIONAL, "--yes"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/messages");
    assert_eq!(header(&request, "Authorization"), CLICKATELL_KEY);
    assert_common_headers(&request);
    assert_eq!(
        json_body(&request),
        json!({"content": AUTH_CODE_EN, "to": [PHONE]})
    );
    let out = stdout(&output);
    assert!(
        out.contains("message id    ck-81be\nstatus        accepted\n"),
        "{out}"
    );
}

#[tokio::test]
async fn vonage_gets_both_credentials_in_the_form_and_unicode_for_ucs2() {
    let server = replying(
        200,
        r#"{"message-count":"1","messages":[{"to":"260971234567","message-id":"vn-0f3","status":"0","remaining-balance":"3.14","message-price":"0.03","network":"64501"}]}"#,
    )
    .await;
    let dir = catalogue(&vonage(&server.uri()));
    let output = run(
        dir.path(),
        &[
            "authenticationCodeNotification",
            "--to",
            NATIONAL,
            "--lang",
            "fr",
            "--yes",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/sms/json");
    assert_common_headers(&request);
    assert!(request.headers.get("Authorization").is_none());
    assert_eq!(
        form_body(&request),
        pairs(&[
            ("api_key", VONAGE_KEY),
            ("api_secret", VONAGE_SECRET),
            ("from", "OpenCRVS"),
            ("to", "260971234567"),
            ("text", AUTH_CODE_FR),
            ("type", "unicode"),
        ])
    );
    let out = stdout(&output);
    assert!(
        out.contains("encoding      UCS-2, 1 part (68 of 70 units)\n"),
        "{out}"
    );
    assert!(out.contains("message id    vn-0f3\n"), "{out}");
}

#[tokio::test]
async fn vonage_throttling_on_a_200_is_retried_then_reported() {
    let server = replying(
        200,
        r#"{"message-count":"1","messages":[{"status":"1","error-text":"Throughput Rate Exceeded - please wait [ 30 ] and retry"}]}"#,
    )
    .await;
    let dir = catalogue(&vonage(&server.uri()));
    let output = run(
        dir.path(),
        &["authenticationCodeNotification", "--to", NATIONAL, "--yes"],
    );
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(received(&server).await.len(), 3);
    let err = stderr(&output);
    assert!(
        err.starts_with("error: gateway vonage: gave up after 3 attempts"),
        "{err}"
    );
    assert!(err.to_lowercase().contains("throttl"), "{err}");
}

#[tokio::test]
async fn opencrvs_gets_the_body_core_sends_for_an_informant() {
    let server = replying(200, "").await;
    let dir = catalogue(&opencrvs(&server.uri()));
    let output = run(
        dir.path(),
        &["birthRegistrationNotification", "--to", NATIONAL, "--yes"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/notification");
    assert_eq!(
        header(&request, "Authorization"),
        format!("Bearer {OPENCRVS_TOKEN}")
    );
    assert_common_headers(&request);
    assert_eq!(
        json_body(&request),
        json!({
            "templateName": {
                "sms": "birthRegistrationNotification",
                "email": "birthRegistrationNotification",
            },
            "recipient": {"sms": PHONE},
            "type": "informant",
            "locale": "en",
            "variables": {
                "trackingId": "BQ4T7ZD",
                "crvsOffice": "Chongwe District Office",
                "registrationLocation": "Chongwe, Lusaka Province",
                "informantName": "Joseph Mulenga",
                "name": "Natasha Mulenga",
                "registrationNumber": "2026B0001234",
            },
        })
    );
    let out = stdout(&output);
    assert!(out.contains("status        accepted\n"), "{out}");
}

#[tokio::test]
async fn opencrvs_gets_the_email_file_name_and_set_values_for_a_user() {
    let server = replying(200, "").await;
    let dir = catalogue(&opencrvs(&server.uri()));
    let output = run(
        dir.path(),
        &[
            "authenticationCodeNotification",
            "--to",
            NATIONAL,
            "--lang",
            "fr",
            "--set",
            "authCode=271828",
            "--yes",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        json_body(&only_request(&server).await),
        json!({
            "templateName": {
                "sms": "authenticationCodeNotification",
                "email": "2-factor-authentication",
            },
            "recipient": {"sms": PHONE},
            "type": "user",
            "locale": "fr",
            "variables": {"firstNames": "Chanda", "authCode": "271828"},
        })
    );
}
