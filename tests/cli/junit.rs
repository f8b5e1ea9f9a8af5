//! `check --format junit`: the report is parsed back as XML (quick-xml) and its structure and counts
//! are checked against the findings `check --format json` reports for the same catalogue.

use std::collections::BTreeMap;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::{crvs, fixture, stdout_json};

/// An XML element with its attributes, children and text, as parsed.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: BTreeMap<String, String>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> &str {
        self.attributes
            .get(name)
            .unwrap_or_else(|| panic!("<{}> has no `{name}` attribute", self.name))
    }

    fn count(&self, name: &str) -> usize {
        self.attr(name).parse().unwrap()
    }

    fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// Parses a whole document strictly (mismatched tags, bad references and stray text are errors).
fn parse_xml(xml: &str) -> Element {
    let mut reader = Reader::from_str(xml);
    let mut stack = vec![Element::default()];
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|err| panic!("not well-formed XML ({err}):\n{xml}"));
        match event {
            Event::Start(start) => stack.push(element(&start)),
            Event::Empty(start) => stack.last_mut().unwrap().children.push(element(&start)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(text) => stack
                .last_mut()
                .unwrap()
                .text
                .push_str(&text.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().unwrap() {
                    Some(ch) => ch.to_string(),
                    None => quick_xml::escape::resolve_xml_entity(&reference)
                        .unwrap_or_else(|| panic!("unknown entity &{};", &*reference))
                        .to_owned(),
                };
                stack.last_mut().unwrap().text.push_str(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut document = stack.pop().unwrap();
    assert!(stack.is_empty(), "unclosed elements");
    assert_eq!(document.children.len(), 1, "one root element");
    document.children.pop().unwrap()
}

fn element(start: &BytesStart<'_>) -> Element {
    let attributes = start
        .attributes()
        .map(|attribute| {
            let attribute = attribute.expect("a well-formed attribute");
            let key = attribute.key.as_ref().to_owned();
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .expect("a well-formed attribute value")
                .into_owned();
            (key, value)
        })
        .collect();
    Element {
        name: start.name().as_ref().to_owned(),
        attributes,
        ..Element::default()
    }
}

fn junit(file: &Path, extra: &[&str]) -> (Option<i32>, Element) {
    let output = crvs()
        .arg("--file")
        .arg(file)
        .args(["check", "--format", "junit"])
        .args(extra)
        .output()
        .unwrap();
    let xml = String::from_utf8(output.stdout).unwrap();
    (output.status.code(), parse_xml(&xml))
}

fn json_summary(file: &Path) -> (usize, usize) {
    let output = crvs()
        .arg("--file")
        .arg(file)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let json = stdout_json(&output);
    let count = |name: &str| json["summary"][name].as_u64().unwrap() as usize;
    (count("errors"), count("warnings"))
}

/// Every count attribute agrees with the elements it counts; returns (tests, failures).
fn assert_consistent_counts(root: &Element) -> (usize, usize) {
    assert_eq!(root.name, "testsuites");
    assert_eq!(root.attr("errors"), "0");
    let (mut tests, mut failures) = (0, 0);
    for suite in root.children_named("testsuite") {
        let cases: Vec<&Element> = suite.children_named("testcase").collect();
        let failed = cases
            .iter()
            .filter(|c| c.child("failure").is_some())
            .count();
        assert_eq!(suite.count("tests"), cases.len(), "{}", suite.attr("name"));
        assert_eq!(suite.count("failures"), failed, "{}", suite.attr("name"));
        assert_eq!(suite.attr("errors"), "0");
        assert!(
            cases
                .iter()
                .all(|c| c.attr("classname") == suite.attr("name"))
        );
        tests += cases.len();
        failures += failed;
    }
    assert_eq!(root.count("tests"), tests);
    assert_eq!(root.count("failures"), failures);
    (tests, failures)
}

fn suite<'a>(root: &'a Element, name: &str) -> &'a Element {
    root.children_named("testsuite")
        .find(|s| s.attr("name") == name)
        .unwrap_or_else(|| panic!("no testsuite {name}"))
}

fn case_names(suite: &Element) -> Vec<&str> {
    suite
        .children_named("testcase")
        .map(|c| c.attr("name"))
        .collect()
}

#[test]
fn a_catalogue_with_problems_has_a_suite_per_notification_and_a_failure_per_error() {
    let file = fixture("junit/notifications.toml");
    let (code, root) = junit(&file, &[]);
    assert_eq!(code, Some(1));
    let (tests, failures) = assert_consistent_counts(&root);
    let (errors, warnings) = json_summary(&file);
    assert_eq!((errors, warnings), (16, 1));
    assert_eq!(failures, errors);
    assert_eq!(tests, 25);

    let names: Vec<&str> = root
        .children_named("testsuite")
        .map(|s| s.attr("name"))
        .collect();
    assert_eq!(
        names,
        [
            "catalogue",
            "birthDeclarationNotification",
            "birthRegistrationNotification",
            "reminder <office> & \"more\"",
        ]
    );

    let clean = suite(&root, "birthDeclarationNotification");
    assert_eq!(case_names(clean), ["definition", "sms.en", "sms.fr"]);
    assert!(clean.children.iter().all(|c| c.children.is_empty()));

    let broken = suite(&root, "birthRegistrationNotification");
    assert_eq!(
        case_names(broken),
        [
            "definition",
            "sms.en: missing-required-placeholder",
            "sms.en: unknown-placeholder",
            "sms.fr: missing-copy",
        ]
    );
    let unknown = &broken.children[2];
    assert_eq!(unknown.attr("line"), "26");
    let failure = unknown.child("failure").unwrap();
    assert_eq!(failure.attr("type"), "unknown-placeholder");
    let location = format!("{}:26:71: ", file.display());
    assert!(
        failure.attr("message").starts_with(&location),
        "{failure:?}"
    );
    assert!(
        failure
            .attr("message")
            .ends_with("(did you mean `trackingId`?)")
    );
    assert!(failure.text.contains("error[unknown-placeholder]"));

    let catalogue = suite(&root, "catalogue");
    assert_eq!(catalogue.count("tests"), 15);
    assert_eq!(catalogue.count("failures"), 13);
    assert_eq!(
        &case_names(catalogue)[..3],
        [
            "syntax",
            "schema",
            "requested keys: missing-copy birthInProgressNotification"
        ]
    );
}

#[test]
fn warnings_show_in_system_out_and_fail_only_with_strict() {
    let file = fixture("junit/notifications.toml");
    let (_, root) = junit(&file, &[]);
    let custom = suite(&root, "reminder <office> & \"more\"");
    assert_eq!(custom.count("failures"), 0);
    let warned = &custom.children[0];
    assert_eq!(warned.attr("name"), "definition: unknown-notification");
    let out = warned.child("system-out").unwrap();
    assert!(
        out.text
            .contains("warning[unknown-notification] reminder <office> & \"more\""),
        "{out:?}"
    );

    let (code, strict) = junit(&file, &["--strict"]);
    assert_eq!(code, Some(1));
    let (_, failures) = assert_consistent_counts(&strict);
    assert_eq!(failures, 17);
    let warned = &suite(&strict, "reminder <office> & \"more\"").children[0];
    assert_eq!(
        warned.child("failure").unwrap().attr("type"),
        "unknown-notification"
    );
}

#[test]
fn a_clean_catalogue_passes_every_testcase() {
    let file = fixture("diff/old.toml");
    let (code, root) = junit(&file, &[]);
    assert_eq!(code, Some(0));
    let (tests, failures) = assert_consistent_counts(&root);
    assert_eq!(failures, 0);
    let notifications = std::fs::read_to_string(&file)
        .unwrap()
        .matches("\n[notifications.")
        .count();
    assert_eq!(root.children.len(), notifications + 1);
    assert_eq!(
        case_names(suite(&root, "catalogue")),
        ["syntax", "schema", "requested keys"]
    );
    // 15 SMS notifications in en and fr, 3 email ones in en and fr, each with its definition.
    assert_eq!(tests, 3 + 15 * 3 + 3 * 3);
}

#[test]
fn a_file_that_does_not_parse_is_one_suite_of_syntax_failures() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notifications.toml");
    std::fs::write(&file, "schema_version = 1\nrevision 2\n").unwrap();
    let (code, root) = junit(&file, &[]);
    assert_eq!(code, Some(1));
    let (tests, failures) = assert_consistent_counts(&root);
    assert_eq!((tests, failures), (1, 1));
    let only = suite(&root, "catalogue");
    assert_eq!(case_names(only), ["syntax: toml-syntax"]);
    assert_eq!(only.children[0].attr("line"), "2");
}
