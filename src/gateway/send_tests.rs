//! Tests of the send loop against a real HTTP server on 127.0.0.1 (wiremock): retries, waits,
//! timeouts and refused connections. Nothing here reaches the internet.

use std::time::{Duration, Instant};

use wiremock::matchers::{basic_auth, body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::fixtures::{SECRET_MARK, config, env, sms};
use super::*;

const PENDING: &str = r#"{"messages":[{"messageId":"m-1","status":{"groupName":"PENDING"}}]}"#;

/// Retries without the production waits, except where a test asks for one.
fn fast() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_secs(2),
        max_attempts: 3,
    }
}

fn client() -> reqwest::Client {
    http_client("0.1.0", Duration::from_secs(2), Duration::from_secs(10)).unwrap()
}

fn gateway(provider: Provider, url: &str) -> Gateway {
    Gateway::from_config("test-gateway", &config(provider, url), &env).unwrap()
}

async fn send(gateway: &Gateway) -> Result<Delivery, GatewayError> {
    let variables = serde_json::Map::new();
    gateway.send(&client(), &sms(&variables), &fast()).await
}

async fn requests_received(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

#[tokio::test]
async fn delivers_with_the_documented_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/sms/2/text/advanced"))
        .and(header("Authorization", "App SeCrEt-infobip-7f3a"))
        .and(header("User-Agent", "crvs-comms/0.1.0"))
        .and(body_string_contains(
            r#""destinations":[{"to":"+260971234567"}]"#,
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string(PENDING))
        .expect(1)
        .mount(&server)
        .await;
    let delivery = send(&gateway(Provider::Infobip, &server.uri()))
        .await
        .unwrap();
    assert_eq!(
        delivery,
        Delivery {
            message_id: Some("m-1".into()),
            status: "PENDING".into(),
            parts: None,
            attempts: 1,
        }
    );
}

#[tokio::test]
async fn honours_retry_after_then_delivers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(PENDING))
        .mount(&server)
        .await;
    let started = Instant::now();
    let delivery = send(&gateway(Provider::Infobip, &server.uri()))
        .await
        .unwrap();
    assert_eq!(delivery.attempts, 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests_received(&server).await, 2);
}

#[tokio::test]
async fn gives_up_after_three_server_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("upstream failure"))
        .expect(3)
        .mount(&server)
        .await;
    let err = send(&gateway(Provider::Infobip, &server.uri()))
        .await
        .unwrap_err();
    let GatewayError::GaveUp {
        gateway,
        attempts,
        last,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!((gateway.as_str(), *attempts), ("test-gateway", 3));
    assert!(
        last.contains("upstream failure") && last.ends_with("(HTTP 500)"),
        "{last}"
    );
    assert_eq!(err.exit_code(), 3);
}

#[tokio::test]
async fn does_not_retry_a_client_error() {
    let server = MockServer::start().await;
    let body =
        r#"{"requestError":{"serviceException":{"messageId":"BAD_REQUEST","text":"Bad request"}}}"#;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string(body))
        .mount(&server)
        .await;
    let err = send(&gateway(Provider::Infobip, &server.uri()))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        GatewayError::Rejected {
            gateway: "test-gateway".into(),
            status: Some(400),
            reason: "Infobip rejected the request: BAD_REQUEST — Bad request".into(),
        }
    );
    assert_eq!(requests_received(&server).await, 1);
}

#[tokio::test]
async fn a_slow_gateway_times_out_without_a_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(PENDING)
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let mut cfg = config(Provider::Infobip, &server.uri());
    cfg.timeout_seconds = Some(1);
    let gateway = Gateway::from_config("slow", &cfg, &env).unwrap();
    let err = send(&gateway).await.unwrap_err();
    assert_eq!(
        err,
        GatewayError::Timeout {
            gateway: "slow".into(),
            seconds: 1
        }
    );
    assert_eq!(requests_received(&server).await, 1);
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let gateway = gateway(Provider::Infobip, &format!("http://127.0.0.1:{port}"));
    let err = send(&gateway).await.unwrap_err();
    let GatewayError::Connection {
        attempts, detail, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*attempts, 3);
    assert!(detail.to_lowercase().contains("refused"), "{detail}");
    assert!(!err.to_string().contains("127.0.0.1"), "{err}");
    assert_eq!(err.exit_code(), 3);
}

#[tokio::test]
async fn vonage_throttling_on_a_200_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/sms/json"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"message-count":"1","messages":[{"status":"1","error-text":"Throttled"}]}"#,
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/sms/json"))
        .and(body_string_contains("api_secret=SeCrEt-vonage-secret-2c3d"))
        .and(body_string_contains("to=260971234567"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"message-count":"1","messages":[{"status":"0","message-id":"v-9"}]}"#,
        ))
        .mount(&server)
        .await;
    let delivery = send(&gateway(Provider::Vonage, &server.uri()))
        .await
        .unwrap();
    assert_eq!(
        (delivery.message_id.as_deref(), delivery.attempts),
        (Some("v-9"), 2)
    );
}

#[tokio::test]
async fn twilio_is_sent_with_basic_auth_and_a_form() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/2010-04-01/Accounts/AC0123456789abcdef/Messages.json",
        ))
        .and(basic_auth("AC0123456789abcdef", "SeCrEt-twilio-91b2"))
        .and(header("Content-Type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("To=%2B260971234567"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_string(r#"{"sid":"SM9","status":"queued","num_segments":"1"}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let delivery = send(&gateway(Provider::Twilio, &server.uri()))
        .await
        .unwrap();
    assert_eq!(delivery.parts, Some(1));
}

#[tokio::test]
async fn error_messages_never_repeat_an_echoed_secret() {
    let server = MockServer::start().await;
    // A gateway that quotes the credential it was given, in a rejection, a server error and
    // an unreadable success.
    let echo = "invalid key SeCrEt-infobip-7f3a";
    let replies = [(401, echo), (503, echo), (200, echo)];
    for (status, body) in replies {
        server.reset().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&server)
            .await;
        let err = send(&gateway(Provider::Infobip, &server.uri()))
            .await
            .unwrap_err();
        let message = err.to_string();
        assert!(message.contains("invalid key ***"), "{message}");
        assert!(!message.contains(SECRET_MARK), "{message}");
        assert!(!format!("{err:?}").contains(SECRET_MARK), "{err:?}");
    }
}

#[tokio::test]
async fn the_opencrvs_notification_reaches_the_country_configuration() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/notification"))
        .and(header("Authorization", "Bearer SeCrEt-opencrvs-jwt-5e6f"))
        .and(body_string_contains(
            r#""templateName":{"sms":"authenticationCodeNotification"}"#,
        ))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let delivery = send(&gateway(Provider::OpenCrvs, &server.uri()))
        .await
        .unwrap();
    assert_eq!(delivery.status, "accepted");
}

#[tokio::test]
async fn reports_each_attempt_reply_and_wait_to_an_observer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(PENDING))
        .mount(&server)
        .await;
    let gateway = gateway(Provider::Infobip, &server.uri());
    let variables = serde_json::Map::new();
    let mut events = Vec::new();
    let delivery = gateway
        .send_observed(&client(), &sms(&variables), &fast(), &mut |event| {
            events.push(event)
        })
        .await
        .unwrap();
    assert_eq!(delivery.attempts, 2);
    assert_eq!(
        events,
        vec![
            SendEvent::Attempting { attempt: 1, of: 3 },
            SendEvent::Replied {
                attempt: 1,
                status: 503
            },
            SendEvent::Waiting {
                delay: Duration::ZERO
            },
            SendEvent::Attempting { attempt: 2, of: 3 },
            SendEvent::Replied {
                attempt: 2,
                status: 200
            },
        ]
    );
}

#[tokio::test]
async fn an_observer_hears_why_no_reply_came() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let gateway = gateway(Provider::Infobip, &format!("http://127.0.0.1:{port}"));
    let variables = serde_json::Map::new();
    let policy = RetryPolicy {
        max_attempts: 1,
        ..fast()
    };
    let mut events = Vec::new();
    let _ = gateway
        .send_observed(&client(), &sms(&variables), &policy, &mut |event| {
            events.push(event)
        })
        .await;
    let [
        SendEvent::Attempting { attempt: 1, of: 1 },
        SendEvent::NoReply { attempt: 1, detail },
    ] = events.as_slice()
    else {
        panic!("{events:?}")
    };
    assert!(detail.starts_with("could not connect: "), "{detail}");
    assert!(detail.to_lowercase().contains("refused"), "{detail}");
}
