//! Finds the variables a Handlebars template uses by walking its parsed syntax tree, the way the
//! renderer will see them: inside `#if`/`#each` blocks, in helper arguments and sub-expressions.
//! A regex would miss `{{#if informantName}}` or see `{{else}}` as a variable; the tree does not.
//! Positions are 1-based lines and columns (in characters) within the template text.

use handlebars::template::{Parameter, Template, TemplateElement};

/// A variable read by a template, where it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub name: String,
    pub line: usize,
    pub column: usize,
}

/// Something in a template that OpenCRVS's renderer cannot run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// What a template reads and what it does that cannot work.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateUse {
    pub placeholders: Vec<Placeholder>,
    pub unsupported: Vec<Unsupported>,
}

impl TemplateUse {
    pub fn uses(&self, name: &str) -> bool {
        self.placeholders.iter().any(|p| p.name == name)
    }

    pub fn names(&self) -> std::collections::BTreeSet<&str> {
        self.placeholders.iter().map(|p| p.name.as_str()).collect()
    }
}

/// A template that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// Helpers that handlebars.js provides without registration; OpenCRVS registers none of its own.
const BUILT_IN_HELPERS: &[&str] = &["if", "unless", "each", "with", "lookup", "log"];
/// Block helpers that change what a bare name refers to.
const CONTEXT_HELPERS: &[&str] = &["each", "with"];

/// Parses `source` and lists what it reads.
pub fn extract(source: &str) -> Result<TemplateUse, SyntaxError> {
    Ok(walk(source, &parse(source)?))
}

/// Parses `source` as Handlebars, so one parse can serve both `walk` and rendering.
pub fn parse(source: &str) -> Result<Template, SyntaxError> {
    Template::compile(source).map_err(|err| {
        let (line, column) = err.pos().unzip();
        SyntaxError {
            message: err.reason().to_string(),
            line,
            column,
        }
    })
}

/// Lists what an already parsed template reads; `source` is the text it was parsed from.
pub fn walk(source: &str, template: &Template) -> TemplateUse {
    let mut walker = Walker {
        source,
        lines: line_starts(source),
        found: TemplateUse::default(),
    };
    walker.template(template, 0);
    walker.found
}

struct Walker<'a> {
    source: &'a str,
    lines: Vec<usize>,
    found: TemplateUse,
}

impl Walker<'_> {
    fn template(&mut self, template: &Template, depth: usize) {
        for (index, element) in template.elements.iter().enumerate() {
            let (line, column) = template
                .mapping
                .get(index)
                .map(|m| (m.0, m.1))
                .unwrap_or((1, 1));
            self.element(element, line, column, depth);
        }
    }

    fn element(&mut self, element: &TemplateElement, line: usize, column: usize, depth: usize) {
        match element {
            TemplateElement::RawString(_) | TemplateElement::Comment(_) => {}
            TemplateElement::Expression(helper) | TemplateElement::HtmlExpression(helper) => {
                let tag = self.tag_at(line, column);
                if helper.params.is_empty() && helper.hash.is_empty() {
                    self.parameter(&helper.name, tag, depth, true);
                } else {
                    self.helper_call(&helper.name, tag);
                    self.arguments(helper.params.iter().chain(helper.hash.values()), tag, depth);
                }
            }
            TemplateElement::HelperBlock(helper) => {
                let tag = self.tag_at(line, column);
                self.helper_call(&helper.name, tag);
                self.arguments(helper.params.iter().chain(helper.hash.values()), tag, depth);
                let inner = match helper.name.as_name() {
                    Some(name) if CONTEXT_HELPERS.contains(&name) => depth + 1,
                    _ => depth,
                };
                if let Some(body) = &helper.template {
                    self.template(body, inner);
                }
                if let Some(inverse) = &helper.inverse {
                    self.template(inverse, depth);
                }
            }
            TemplateElement::PartialExpression(_) | TemplateElement::PartialBlock(_) => {
                self.unsupported(
                    "partials are not registered by OpenCRVS, so rendering fails",
                    line,
                    column,
                );
            }
            TemplateElement::DecoratorExpression(_) | TemplateElement::DecoratorBlock(_) => {
                self.unsupported(
                    "decorators are not available in OpenCRVS's renderer",
                    line,
                    column,
                );
            }
            _ => self.unsupported(
                "this construct is not supported by OpenCRVS's renderer",
                line,
                column,
            ),
        }
    }

    fn helper_call(&mut self, name: &Parameter, tag: Tag) {
        if let Parameter::Name(helper) = name
            && !BUILT_IN_HELPERS.contains(&helper.as_str())
        {
            self.unsupported(
                &format!("`{helper}` is not a Handlebars built-in helper and OpenCRVS registers no others; rendering fails with \"Missing helper\""),
                tag.line,
                tag.column,
            );
        }
    }

    fn arguments<'p>(
        &mut self,
        params: impl Iterator<Item = &'p Parameter>,
        tag: Tag,
        depth: usize,
    ) {
        for param in params {
            self.parameter(param, tag, depth, false);
        }
    }

    fn parameter(&mut self, param: &Parameter, tag: Tag, depth: usize, is_whole_tag: bool) {
        match param {
            Parameter::Path(_) | Parameter::Name(_) => {
                let raw = param.as_name().unwrap_or_default();
                if let Some(name) = root_variable(raw, depth) {
                    let (line, column) = if is_whole_tag {
                        (tag.line, tag.column)
                    } else {
                        self.locate_in_tag(raw, tag)
                    };
                    self.found.placeholders.push(Placeholder {
                        name: name.to_owned(),
                        line,
                        column,
                    });
                }
            }
            Parameter::Literal(_) => {}
            Parameter::Subexpression(sub) => {
                self.element(sub.as_element(), tag.line, tag.column, depth);
            }
            _ => {}
        }
    }

    fn unsupported(&mut self, message: &str, line: usize, column: usize) {
        self.found.unsupported.push(Unsupported {
            message: message.to_owned(),
            line,
            column,
        });
    }

    fn tag_at(&self, line: usize, column: usize) -> Tag {
        Tag { line, column }
    }

    /// Finds where an argument is written inside its tag, so a finding points at the name itself.
    fn locate_in_tag(&self, raw: &str, tag: Tag) -> (usize, usize) {
        let Some(start) = offset_of(self.source, &self.lines, tag.line, tag.column) else {
            return (tag.line, tag.column);
        };
        let rest = &self.source[start..];
        let end = rest.find("}}").map_or(rest.len(), |e| e + 2);
        let tag_text = &rest[..end];
        let mut search_from = 0;
        while let Some(found) = tag_text[search_from..].find(raw) {
            let at = search_from + found;
            let before = tag_text[..at].chars().next_back();
            let after = tag_text[at + raw.len()..].chars().next();
            let bounded = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            if bounded(before) && bounded(after) {
                return position_of(self.source, &self.lines, start + at);
            }
            search_from = at + raw.len();
        }
        (tag.line, tag.column)
    }
}

#[derive(Debug, Clone, Copy)]
struct Tag {
    line: usize,
    column: usize,
}

/// The top-level variable a path reads, or `None` for `this`, `@index` and names that belong to
/// an `#each`/`#with` item rather than to the message's variables.
fn root_variable(raw: &str, depth: usize) -> Option<&str> {
    let mut rest = raw;
    let mut up = 0;
    loop {
        if let Some(r) = rest.strip_prefix("../") {
            rest = r;
            up += 1;
        } else if let Some(r) = rest.strip_prefix("./") {
            rest = r;
        } else if let Some(r) = rest
            .strip_prefix("this.")
            .or_else(|| rest.strip_prefix("this/"))
        {
            rest = r;
        } else {
            break;
        }
    }
    let from_root = if let Some(r) = rest.strip_prefix("@root.") {
        rest = r;
        true
    } else {
        up >= depth
    };
    if !from_root || rest.starts_with('@') || rest == "this" || rest.is_empty() {
        return None;
    }
    let end = rest.find(['.', '/', '[']).unwrap_or(rest.len());
    let name = rest[..end].trim_matches(|c| c == '[' || c == ']');
    (!name.is_empty()).then_some(name)
}

/// Byte offsets at which each line starts.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// The byte offset of a 1-based line and character column.
pub fn offset_of(text: &str, lines: &[usize], line: usize, column: usize) -> Option<usize> {
    let start = *lines.get(line.checked_sub(1)?)?;
    let line_text = &text[start..];
    let skip = column.checked_sub(1)?;
    match line_text.char_indices().nth(skip) {
        Some((i, _)) => Some(start + i),
        None if line_text.chars().count() == skip => Some(start + line_text.len()),
        None => None,
    }
}

/// The 1-based line and character column of a byte offset.
pub fn position_of(text: &str, lines: &[usize], offset: usize) -> (usize, usize) {
    let line_index = match lines.binary_search(&offset) {
        Ok(i) => i,
        Err(i) => i - 1,
    };
    let start = lines[line_index];
    let column = text[start..offset].chars().count() + 1;
    (line_index + 1, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(source: &str) -> Vec<String> {
        extract(source)
            .unwrap()
            .placeholders
            .into_iter()
            .map(|p| p.name)
            .collect()
    }

    #[test]
    fn finds_plain_variables_with_their_positions() {
        let found = extract("Hello {{name}},\nyour ID is {{ trackingId }}.").unwrap();
        assert_eq!(
            found.placeholders,
            vec![
                Placeholder {
                    name: "name".into(),
                    line: 1,
                    column: 7
                },
                Placeholder {
                    name: "trackingId".into(),
                    line: 2,
                    column: 12
                },
            ]
        );
    }

    #[test]
    fn finds_variables_inside_if_blocks_and_their_conditions() {
        let source =
            "{{#if informantName}}Dear {{informantName}}{{else}}Hello {{crvsOffice}}{{/if}}";
        assert_eq!(
            names(source),
            ["informantName", "informantName", "crvsOffice"]
        );
        let found = extract(source).unwrap();
        assert_eq!(
            (found.placeholders[0].line, found.placeholders[0].column),
            (1, 7)
        );
    }

    #[test]
    fn triple_stash_and_nested_paths_count_by_their_root() {
        assert_eq!(
            names("{{{body}}} {{child.name}} {{@root.trackingId}}"),
            ["body", "child", "trackingId"]
        );
    }

    #[test]
    fn each_item_fields_are_not_message_variables() {
        let source = "{{#each items}}{{label}} {{../trackingId}} {{@index}}{{/each}}";
        assert_eq!(names(source), ["items", "trackingId"]);
    }

    #[test]
    fn helper_arguments_and_subexpressions_are_walked() {
        let found = extract("{{lookup names lang}} {{#if (lookup flags name)}}x{{/if}}").unwrap();
        assert_eq!(
            found.names().into_iter().collect::<Vec<_>>(),
            ["flags", "lang", "name", "names"]
        );
        assert!(found.unsupported.is_empty());
    }

    #[test]
    fn unknown_helpers_and_partials_are_reported() {
        let found = extract("{{upper name}} {{> footer}}").unwrap();
        assert_eq!(found.unsupported.len(), 2);
        assert!(found.unsupported[0].message.contains("upper"));
        assert_eq!(names("{{upper name}}"), ["name"]);
    }

    #[test]
    fn a_broken_template_reports_where() {
        let err = extract("Hello {{name}\nbye").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(err.column.is_some());
        assert!(extract("{{#if x}}never closed").is_err());
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let found = extract("Numéro {{trackingId}}").unwrap();
        assert_eq!(found.placeholders[0].column, 8);
    }

    #[test]
    fn offsets_and_positions_agree() {
        let text = "ab\nçd{{x}}\n";
        let lines = line_starts(text);
        let offset = offset_of(text, &lines, 2, 3).unwrap();
        assert_eq!(&text[offset..offset + 2], "{{");
        assert_eq!(position_of(text, &lines, offset), (2, 3));
    }
}
