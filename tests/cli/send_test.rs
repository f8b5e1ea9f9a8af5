//! `send-test` against real HTTP servers on 127.0.0.1 (wiremock): the exact request each provider
//! receives, the replies that fail a delivery, retries and timeouts, and the promises kept on
//! every run: no secret and no unmasked phone number in the output.
//!
//! Credentials are set on the child process only. Every run goes through [`run`], which checks
//! that none of them, and not the full phone number, appears in stdout or stderr.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::{crvs, fixture, stdout_json};

mod failures;
mod guards;
mod providers;
mod reports;

const INFOBIP_KEY: &str = "SeCrEt-infobip-81f2c7";
const TWILIO_SID: &str = "AC7d0c3b2a19e8f6450d";
const TWILIO_TOKEN: &str = "SeCrEt-twilio-5a90e1";
const AT_KEY: &str = "SeCrEt-africastalking-33bd";
const CLICKATELL_KEY: &str = "SeCrEt-clickatell-c0ffee";
const VONAGE_KEY: &str = "SeCrEt-vonage-key-77a1";
const VONAGE_SECRET: &str = "SeCrEt-vonage-secret-9e2f";
const OPENCRVS_TOKEN: &str = "SeCrEt-opencrvs-jwt-4b6d";

/// Every credential value the tests export, and the Basic credentials Twilio gets from two.
fn secrets() -> Vec<String> {
    let mut all: Vec<String> = [
        INFOBIP_KEY,
        TWILIO_TOKEN,
        AT_KEY,
        CLICKATELL_KEY,
        VONAGE_KEY,
        VONAGE_SECRET,
        OPENCRVS_TOKEN,
    ]
    .map(str::to_owned)
    .to_vec();
    all.push(twilio_basic());
    all
}

fn twilio_basic() -> String {
    STANDARD.encode(format!("{TWILIO_SID}:{TWILIO_TOKEN}"))
}

const PHONE: &str = "+260971234567";
const MASKED: &str = "+260*******67";
/// The test phone as a Zambian national number (the fixture's default region is ZM).
const NATIONAL: &str = "0971234567";

const AUTH_CODE_EN: &str = "Your OpenCRVS code is 314159. Do not share it.";
const AUTH_CODE_FR: &str = "Votre code OpenCRVS est 314159. Gardez-le pour vous, même au bureau.";

const INFOBIP_PENDING: &str = r#"{"bulkId":"bulk-1","messages":[{"messageId":"ib-4471","status":{"groupId":1,"groupName":"PENDING","id":26,"name":"PENDING_ACCEPTED","description":"Message sent to next instance"},"to":"260971234567"}]}"#;

/// The fixture catalogue in a temporary folder, with `gateway` (a `[gateways.NAME]` table)
/// appended.
fn catalogue(gateway: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for file in ["notifications.toml", "sample-data.toml"] {
        std::fs::copy(fixture("send-test").join(file), dir.path().join(file)).unwrap();
    }
    let path = dir.path().join("notifications.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push('\n');
    text.push_str(gateway);
    std::fs::write(&path, text).unwrap();
    dir
}

/// The `[gateways.NAME]` table of each provider, pointing at `url`.
fn infobip(url: &str) -> String {
    format!(
        "[gateways.infobip]\nprovider = \"infobip\"\nurl = \"{url}\"\nsender = \"OpenCRVS\"\n\
         api_key_env = \"CRVS_TEST_INFOBIP_KEY\"\ntimeout_seconds = 1\n"
    )
}

fn africastalking(url: &str) -> String {
    format!(
        "[gateways.at]\nprovider = \"africastalking\"\nurl = \"{url}\"\nusername = \"crvs-test\"\n\
         sender = \"CRVS\"\napi_key_env = \"CRVS_TEST_AT_KEY\"\n"
    )
}

/// An Africa's Talking reply with one recipient whose status is `code`.
fn at_reply(code: u16, status: &str) -> String {
    format!(
        r#"{{"SMSMessageData":{{"Message":"Sent to 1/1 Total Cost: ZMW 0.4000","Recipients":[{{"statusCode":{code},"number":"+260971234567","status":"{status}","cost":"ZMW 0.4000","messageId":"ATXid_9c1"}}]}}}}"#
    )
}

fn vonage(url: &str) -> String {
    format!(
        "[gateways.vonage]\nprovider = \"vonage\"\nurl = \"{url}\"\nsender = \"OpenCRVS\"\n\
         api_key_env = \"CRVS_TEST_VONAGE_KEY\"\napi_secret_env = \"CRVS_TEST_VONAGE_SECRET\"\n"
    )
}

fn opencrvs(url: &str) -> String {
    format!(
        "[gateways.country-config]\nprovider = \"opencrvs\"\nurl = \"{url}\"\n\
         token_env = \"CRVS_TEST_OPENCRVS_TOKEN\"\n"
    )
}

/// Runs `crvs-comms send-test ARGS` on the catalogue in `dir`, with every test credential
/// exported except those named in `unset`, and checks the output keeps its promises.
fn run_without(dir: &Path, args: &[&str], unset: &[&str]) -> Output {
    let mut cmd = crvs();
    cmd.arg("--file")
        .arg(dir.join("notifications.toml"))
        .arg("send-test")
        .args(args)
        .env("CRVS_COMMS_RETRY_BASE_MS", "20");
    let credentials = [
        ("CRVS_TEST_INFOBIP_KEY", INFOBIP_KEY),
        ("CRVS_TEST_TWILIO_SID", TWILIO_SID),
        ("CRVS_TEST_TWILIO_TOKEN", TWILIO_TOKEN),
        ("CRVS_TEST_AT_KEY", AT_KEY),
        ("CRVS_TEST_CLICKATELL_KEY", CLICKATELL_KEY),
        ("CRVS_TEST_VONAGE_KEY", VONAGE_KEY),
        ("CRVS_TEST_VONAGE_SECRET", VONAGE_SECRET),
        ("CRVS_TEST_OPENCRVS_TOKEN", OPENCRVS_TOKEN),
    ];
    for (name, value) in credentials {
        if unset.contains(&name) {
            cmd.env_remove(name);
        } else {
            cmd.env(name, value);
        }
    }
    let output = cmd.output().expect("crvs-comms runs");
    assert_output_keeps_secrets(&output);
    output
}

fn run(dir: &Path, args: &[&str]) -> Output {
    run_without(dir, args, &[])
}

fn assert_output_keeps_secrets(output: &Output) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    for secret in secrets() {
        assert!(
            !stdout.contains(&secret),
            "stdout shows {secret}:\n{stdout}"
        );
        assert!(
            !stderr.contains(&secret),
            "stderr shows {secret}:\n{stderr}"
        );
    }
    let digits = PHONE.trim_start_matches('+');
    assert!(
        !stdout.contains(digits),
        "stdout shows the number:\n{stdout}"
    );
    assert!(
        !stderr.contains(digits),
        "stderr shows the number:\n{stderr}"
    );
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "requests received: {}", requests.len());
    requests.remove(0)
}

async fn replying(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_string(body))
        .mount(&server)
        .await;
    server
}

fn header<'r>(request: &'r Request, name: &str) -> &'r str {
    request
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} header"))
}

fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

/// A form body as (name, value) pairs, in order.
fn form_body(request: &Request) -> Vec<(String, String)> {
    assert_eq!(
        header(request, "Content-Type"),
        "application/x-www-form-urlencoded"
    );
    let body = String::from_utf8_lossy(&request.body);
    let url = reqwest::Url::parse(&format!("http://form.invalid/?{body}")).unwrap();
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn assert_common_headers(request: &Request) {
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        header(request, "User-Agent"),
        format!("crvs-comms/{}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(header(request, "Accept"), "application/json");
}
