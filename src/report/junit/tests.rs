//! Unit tests of the JUnit reporter: suites and testcases for a plan and its findings, counts, and
//! escaping. The command-line tests parse real reports back as XML.

use std::path::Path;

use super::*;
use crate::catalogue;
use crate::findings::Location;
use crate::model::Channel;

fn plan() -> Plan {
    Plan {
        file: "n.toml".into(),
        catalogue_areas: vec!["syntax".into(), "schema".into(), "requested keys".into()],
        notifications: IndexMap::from([(
            "birthRegistrationNotification".to_owned(),
            vec!["definition".into(), "sms.en".into()],
        )]),
    }
}

fn unknown_placeholder(line: usize) -> Finding {
    Finding::new(
        Code::UnknownPlaceholder,
        Location::at("n.toml", line, 14),
        "`{{trackingID}}` is not a variable OpenCRVS supplies",
    )
    .notification("birthRegistrationNotification")
    .channel(Channel::Sms, Some("en"))
    .suggest(Some("trackingId".into()))
}

#[test]
fn a_clean_catalogue_lists_each_area_as_a_passing_testcase() {
    assert_eq!(
        junit(&plan(), &[], false),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="crvs-comms check" tests="5" failures="0" errors="0">
  <testsuite name="catalogue" tests="3" failures="0" errors="0" skipped="0">
    <testcase name="syntax" classname="catalogue" file="n.toml"/>
    <testcase name="schema" classname="catalogue" file="n.toml"/>
    <testcase name="requested keys" classname="catalogue" file="n.toml"/>
  </testsuite>
  <testsuite name="birthRegistrationNotification" tests="2" failures="0" errors="0" skipped="0">
    <testcase name="definition" classname="birthRegistrationNotification" file="n.toml"/>
    <testcase name="sms.en" classname="birthRegistrationNotification" file="n.toml"/>
  </testsuite>
</testsuites>
"#
    );
}

#[test]
fn each_error_is_a_failing_testcase_with_code_and_position() {
    let xml = junit(&plan(), &[unknown_placeholder(12)], false);
    assert!(
        xml.contains(
            r#"  <testsuite name="birthRegistrationNotification" tests="2" failures="1" errors="0" skipped="0">
    <testcase name="definition" classname="birthRegistrationNotification" file="n.toml"/>
    <testcase name="sms.en: unknown-placeholder" classname="birthRegistrationNotification" file="n.toml" line="12">
      <failure type="unknown-placeholder" message="n.toml:12:14: `{{trackingID}}` is not a variable OpenCRVS supplies (did you mean `trackingId`?)">n.toml:12:14: error[unknown-placeholder] birthRegistrationNotification sms.en: `{{trackingID}}` is not a variable OpenCRVS supplies (did you mean `trackingId`?)</failure>
    </testcase>
  </testsuite>"#
        ),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<testsuites name="crvs-comms check" tests="5" failures="1" errors="0">"#)
    );
}

#[test]
fn repeated_findings_get_numbered_names() {
    let xml = junit(
        &plan(),
        &[unknown_placeholder(12), unknown_placeholder(13)],
        false,
    );
    assert!(
        xml.contains(r#"name="sms.en: unknown-placeholder" "#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"name="sms.en: unknown-placeholder (2)" "#),
        "{xml}"
    );
    assert!(xml.contains(r#"tests="3" failures="2""#), "{xml}");
}

fn warning() -> Finding {
    Finding::new(
        Code::SmsLength,
        Location::at("n.toml", 12, 11),
        "the SMS takes 3 parts",
    )
    .notification("birthRegistrationNotification")
    .channel(Channel::Sms, Some("en"))
}

#[test]
fn warnings_pass_and_show_in_system_out_unless_strict() {
    let xml = junit(&plan(), &[warning()], false);
    assert!(
        xml.contains(
            r#"    <testcase name="sms.en: sms-length" classname="birthRegistrationNotification" file="n.toml" line="12">
      <system-out>n.toml:12:11: warning[sms-length] birthRegistrationNotification sms.en: the SMS takes 3 parts</system-out>
    </testcase>"#
        ),
        "{xml}"
    );
    assert!(xml.contains(r#"tests="5" failures="0""#), "{xml}");
    let strict = junit(&plan(), &[warning()], true);
    assert!(
        strict.contains(
            r#"<failure type="sms-length" message="n.toml:12:11: the SMS takes 3 parts">"#
        ),
        "{strict}"
    );
    assert!(strict.contains(r#"tests="5" failures="1""#), "{strict}");
}

#[test]
fn findings_about_keys_the_catalogue_lacks_go_to_the_catalogue_suite() {
    let missing = Finding::new(
        Code::MissingCopy,
        Location::file("n.toml"),
        "OpenCRVS requests `correctionApproved`",
    )
    .notification("correctionApproved")
    .channel(Channel::Sms, None);
    let xml = junit(&plan(), &[missing], false);
    assert!(
        xml.contains(
            r#"    <testcase name="requested keys: missing-copy correctionApproved" classname="catalogue" file="n.toml">
      <failure type="missing-copy" message="n.toml: OpenCRVS requests `correctionApproved`">"#
        ),
        "{xml}"
    );
    assert!(
        !xml.contains(r#"<testsuite name="correctionApproved""#),
        "{xml}"
    );
}

#[test]
fn a_catalogue_that_did_not_load_has_only_its_findings() {
    let loaded = catalogue::parse(
        Path::new("n.toml"),
        "n.toml",
        "schema_version = 1\nrevision 2\n".into(),
    );
    let plan = Plan::of(&loaded);
    assert!(plan.catalogue_areas.is_empty() && plan.notifications.is_empty());
    let xml = junit(&plan, &loaded.findings, false);
    assert!(
        xml.contains(r#"<testsuites name="crvs-comms check" tests="1" failures="1" errors="0">"#),
        "{xml}"
    );
    assert!(
        xml.contains(
            r#"<testcase name="syntax: toml-syntax" classname="catalogue" file="n.toml" line="2">"#
        ),
        "{xml}"
    );
}

#[test]
fn the_plan_lists_each_channel_in_each_language() {
    let loaded = catalogue::parse(
        Path::new("n.toml"),
        "n.toml",
        r#"schema_version = 1
revision = 1
[settings]
opencrvs = "1.5"
languages = ["en", "fr"]
user_delivery = "sms"
informant_delivery = "sms"
[notifications.allUserNotification]
audience = "user"
enabled = true
email.subject.en = "{{subject}}"
[notifications.updateUserNameNotification]
audience = "user"
enabled = true
sms.en = "{{username}}"
email.subject.en = "Username"
"#
        .into(),
    );
    let plan = Plan::of(&loaded);
    assert_eq!(
        plan.notifications["allUserNotification"],
        ["definition", "email.en", "email.fr"]
    );
    assert_eq!(
        plan.notifications["updateUserNameNotification"],
        ["definition", "sms.en", "sms.fr", "email.en", "email.fr"]
    );
}

#[test]
fn text_and_attributes_are_escaped() {
    assert_eq!(text("a < b & c > d \"q\""), "a &lt; b &amp; c &gt; d \"q\"");
    assert_eq!(
        attribute("say \"hi\"\n'there'\t<&>"),
        "say &quot;hi&quot;&#10;&apos;there&apos;&#9;&lt;&amp;&gt;"
    );
    assert_eq!(text("bell\u{7}\r\n"), "bell\u{FFFD}&#13;\n");
}
