//! The store's API as `import` and `migrate` will use it: transactions that change nothing, that
//! would break the catalogue, that replace the whole document; and creating a new catalogue.

use std::path::Path;

use super::*;

const CATALOGUE: &str = r#"schema_version = 1
revision = 3

[settings]
opencrvs = "1.5"
languages = ["en"]
user_delivery = "sms"
informant_delivery = "sms"

[notifications.birthRegistrationNotification]
audience = "informant"
event = "birth"
enabled = true
sms.en = "Registered {{name}} {{trackingId}}"
"#;

fn options() -> WriteOptions {
    WriteOptions::new("tester", "test")
}

fn folder_with(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notifications.toml");
    fs::write(&path, text).unwrap();
    (dir, path)
}

fn history_of(dir: &Path) -> Vec<Entry> {
    history::read(&dir.join(DEFAULT_HISTORY_FILE))
        .unwrap()
        .entries
}

#[test]
fn an_untouched_document_is_unchanged() {
    let (dir, path) = folder_with(CATALOGUE);
    let tx = Transaction::begin(&path, &options()).unwrap();
    assert_eq!(tx.revision(), 3);
    assert_eq!(
        tx.commit(Vec::new()).unwrap(),
        Outcome::Unchanged { revision: 3 }
    );
    assert!(history_of(dir.path()).is_empty());
}

#[test]
fn a_change_that_breaks_the_catalogue_is_not_written() {
    let (dir, path) = folder_with(CATALOGUE);
    let mut tx = Transaction::begin(&path, &options()).unwrap();
    tx.document_mut()["notifications"]["birthRegistrationNotification"]["enabled"] =
        toml_edit::value("yes");
    let err = tx.commit(Vec::new()).unwrap_err();
    assert!(matches!(err, StoreError::WouldNotLoad { .. }), "{err}");
    assert_eq!(err.findings().len(), 1);
    assert_eq!(fs::read_to_string(&path).unwrap(), CATALOGUE);
    assert!(history_of(dir.path()).is_empty());
}

#[test]
fn a_replaced_document_is_written_with_the_next_revision() {
    let (dir, path) = folder_with(CATALOGUE);
    let mut tx = Transaction::begin(&path, &options()).unwrap();
    let rewritten = CATALOGUE.replace("languages = [\"en\"]", "languages = [\"en\"] # migrated");
    tx.replace_document(rewritten.parse().unwrap());
    let change = Change {
        key: None,
        field: "settings.languages".to_owned(),
        old: None,
        new: None,
    };
    let outcome = tx.commit(vec![change.clone()]).unwrap();
    assert_eq!(
        outcome,
        Outcome::Written {
            revision: 4,
            changes: vec![change],
            hand_edit: None
        }
    );
    let written = fs::read_to_string(&path).unwrap();
    assert_eq!(written, rewritten.replace("revision = 3", "revision = 4"));
    let entries = history_of(dir.path());
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].sha256, history::sha256_hex(written.as_bytes()));
    assert_eq!(entries[0].actor, "tester");
}

#[test]
fn a_catalogue_that_does_not_load_can_still_be_read_as_a_document() {
    let broken = CATALOGUE.replace("audience = \"informant\"", "audience = \"nobody\"");
    let (_dir, path) = folder_with(&broken);
    let tx = Transaction::begin(&path, &options()).unwrap();
    assert!(matches!(
        tx.catalogue(),
        Err(StoreError::DoesNotLoad { .. })
    ));
    assert_eq!(document::revision(tx.document()), Some(3));
}

#[test]
fn create_writes_a_new_catalogue_and_its_first_history_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notifications.toml");
    let dry = WriteOptions {
        dry_run: true,
        ..options()
    };
    match create(&path, CATALOGUE, &dry, Vec::new()).unwrap() {
        Outcome::DryRun { revision, diff, .. } => {
            assert_eq!(revision, 3);
            assert!(diff.contains("+schema_version = 1\n"), "{diff}");
        }
        other => panic!("expected a dry run, got {other:?}"),
    }
    assert!(!path.exists());

    let outcome = create(&path, CATALOGUE, &options(), Vec::new()).unwrap();
    assert!(matches!(outcome, Outcome::Written { revision: 3, .. }));
    assert_eq!(fs::read_to_string(&path).unwrap(), CATALOGUE);
    assert_eq!(history_of(dir.path())[0].revision, 3);

    let err = create(&path, CATALOGUE, &options(), Vec::new()).unwrap_err();
    assert!(matches!(err, StoreError::AlreadyExists(_)), "{err}");
    // The next edit starts from what `create` recorded: no hand edit to report.
    let tx = Transaction::begin(&path, &options()).unwrap();
    assert!(tx.hand_edit().is_none());
}

#[test]
fn create_refuses_text_that_does_not_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notifications.toml");
    let err = create(&path, "schema_version = 1\n", &options(), Vec::new()).unwrap_err();
    assert!(matches!(err, StoreError::WouldNotLoad { .. }), "{err}");
    assert!(!path.exists());
}
