//! Credentials never belong in the catalogue, which lives in git: this scan finds fields that hold
//! a key, token or password (instead of naming the environment variable that holds it) and URLs
//! with a password in them. The secret itself is never repeated in a finding. Offending fields are
//! removed before the schema is read, so the rest of the file is still checked.

use toml::de::{DeTable, DeValue};

use crate::findings::{Code, Finding};
use crate::source::SourceText;

/// Field names that, holding a string, are a credential written in clear.
const SECRET_FIELDS: &[&str] = &[
    "api_key",
    "apikey",
    "api_secret",
    "secret",
    "token",
    "auth_token",
    "access_token",
    "bearer_token",
    "client_secret",
    "password",
    "account_sid",
];

pub(super) fn scan(table: &mut DeTable<'_>, source: &SourceText, findings: &mut Vec<Finding>) {
    let mut clear_fields = Vec::new();
    for (key, value) in table.iter_mut() {
        let name = key.get_ref().as_ref();
        let offset = key.span().start;
        match value.get_mut() {
            DeValue::String(text) => {
                if SECRET_FIELDS.contains(&name.to_ascii_lowercase().as_str()) {
                    findings.push(Finding::new(
                        Code::SecretInFile,
                        source.location(offset),
                        format!(
                            "`{name}` holds a credential in the catalogue; keep it in an environment variable and write `{name}_env = \"VARIABLE_NAME\"` instead"
                        ),
                    ));
                    clear_fields.push(name.to_owned());
                } else if name.ends_with("_env") && !is_env_name(text) {
                    findings.push(Finding::new(
                        Code::SecretInFile,
                        source.location(value.span().start),
                        format!(
                            "`{name}` must name an environment variable (like INFOBIP_API_KEY), but its value looks like the credential itself; move it into the environment"
                        ),
                    ));
                } else if has_url_password(text) {
                    findings.push(Finding::new(
                        Code::SecretInFile,
                        source.location(value.span().start),
                        format!("`{name}` is a URL with a password in it; remove the user:password@ part"),
                    ));
                }
            }
            DeValue::Table(inner) => scan(inner, source, findings),
            DeValue::Array(items) => {
                for item in items.iter_mut() {
                    if let DeValue::Table(inner) = item.get_mut() {
                        scan(inner, source, findings);
                    }
                }
            }
            _ => {}
        }
    }
    for name in clear_fields {
        table.remove(name.as_str());
    }
}

fn is_env_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn has_url_password(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    if !scheme.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_text(text: &str) -> (Vec<Finding>, usize) {
        let source = SourceText::new("n.toml", text);
        let mut table = DeTable::parse(text).unwrap().into_inner();
        let mut findings = Vec::new();
        scan(&mut table, &source, &mut findings);
        let left = match table.get("gateways").map(|v| v.get_ref()) {
            Some(DeValue::Table(g)) => match g.get("infobip").map(|v| v.get_ref()) {
                Some(DeValue::Table(t)) => t.len(),
                _ => 0,
            },
            _ => 0,
        };
        (findings, left)
    }

    #[test]
    fn clear_credentials_are_found_and_removed_without_echoing_them() {
        let text = "[gateways.infobip]\nprovider = \"infobip\"\napi_key = \"s3cr3t-value-123\"\n";
        let (findings, left) = scan_text(text);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, Code::SecretInFile);
        assert_eq!(findings[0].line, Some(3));
        assert!(!findings[0].message.contains("s3cr3t"));
        assert_eq!(left, 1);
    }

    #[test]
    fn env_fields_must_name_a_variable() {
        let ok = "[gateways.infobip]\napi_key_env = \"INFOBIP_API_KEY\"\n";
        assert!(scan_text(ok).0.is_empty());
        let pasted = "[gateways.infobip]\napi_key_env = \"9f8e7d6c-5b4a\"\n";
        assert_eq!(scan_text(pasted).0.len(), 1);
    }

    #[test]
    fn urls_with_passwords_are_found() {
        assert!(has_url_password("https://user:pw@example.org/x"));
        assert!(!has_url_password("https://example.org/a@b"));
        assert!(!has_url_password("mailto:someone@example.org"));
    }
}
