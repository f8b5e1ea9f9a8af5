//! Renders message copy with sample values, as the handset or the inbox will show it. SMS copy is
//! rendered without HTML escaping (a text message is not HTML); email subjects and bodies are
//! escaped as handlebars.js does. A placeholder without a value is reported by name instead of
//! silently rendering as blank text.
//!
//! A template is parsed once (`Compiled`) and that one parse serves both the list of placeholders
//! and the rendering. Copy made only of text and `{{name}}` tags — nearly all SMS copy — is read by
//! a scanner, as the Handlebars parser would read it but many times faster. What else OpenCRVS
//! copy is made of — `{{{name}}}`, comments, `#if`/`#unless` on a name — is written out directly
//! from the parser's syntax tree; anything beyond goes through the Handlebars engine with the same
//! tree. Tests hold each shortcut to the engine's output.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use handlebars::template::{Parameter, Template, TemplateElement};
use handlebars::{Context, Handlebars, RenderContext, Renderable, StringOutput};

use crate::placeholders::{self, Placeholder, SyntaxError, TemplateUse};

/// How values are written into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// Values are written as they are (SMS).
    None,
    /// `& < > " ' \` =` are written as HTML entities (email).
    Html,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("the template does not parse: {0}")]
    Syntax(String),
    #[error("no sample value for {}", .0.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "))]
    MissingValues(Vec<String>),
    #[error("the template cannot be rendered: {0}")]
    Render(String),
}

impl From<SyntaxError> for RenderError {
    fn from(err: SyntaxError) -> RenderError {
        RenderError::Syntax(err.message)
    }
}

/// Where rendering finds the value of a variable.
pub trait Values {
    fn value(&self, name: &str) -> Option<&str>;
    /// Every value at once, for the templates the general engine renders.
    fn to_map(&self) -> BTreeMap<String, String>;
}

impl Values for BTreeMap<String, String> {
    fn value(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }

    fn to_map(&self) -> BTreeMap<String, String> {
        self.clone()
    }
}

/// A template parsed once, ready to be rendered any number of times.
#[derive(Debug, Clone)]
pub struct Compiled {
    body: Body,
    uses: TemplateUse,
}

#[derive(Debug, Clone)]
enum Body {
    /// Text and `{{name}}` tags only: read without the Handlebars parser, which costs far more
    /// than rendering such copy.
    Plain(Vec<Piece>),
    /// A tree the direct writer covers.
    Direct(Template),
    /// A tree only the engine can render.
    Engine(Template),
}

#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Value(String),
}

/// Helpers the engine registers: a bare `{{name}}` with one of these names calls the helper.
const ENGINE_HELPERS: &[&str] = &[
    "if", "unless", "each", "with", "lookup", "raw", "log", "eq", "ne", "gt", "gte", "lt", "lte",
    "and", "or", "not", "len",
];

static PLAIN: LazyLock<Handlebars<'static>> = LazyLock::new(|| {
    let mut registry = Handlebars::new();
    registry.register_escape_fn(handlebars::no_escape);
    registry
});
static HTML: LazyLock<Handlebars<'static>> = LazyLock::new(Handlebars::new);

impl Compiled {
    pub fn parse(source: &str) -> Result<Compiled, SyntaxError> {
        match plain_pieces(source) {
            Some((pieces, placeholders)) => Ok(Compiled {
                body: Body::Plain(pieces),
                uses: TemplateUse {
                    placeholders,
                    unsupported: Vec::new(),
                },
            }),
            None => Compiled::parse_tree(source),
        }
    }

    /// Parses with the Handlebars parser, whatever the template holds.
    fn parse_tree(source: &str) -> Result<Compiled, SyntaxError> {
        let template = placeholders::parse(source)?;
        let uses = placeholders::walk(source, &template);
        let body = if writes_directly(&template) {
            Body::Direct(template)
        } else {
            Body::Engine(template)
        };
        Ok(Compiled { body, uses })
    }

    /// The placeholders the template reads, with their positions.
    pub fn uses(&self) -> &TemplateUse {
        &self.uses
    }

    /// The variables the template reads that have no value, sorted, each once.
    pub fn missing(&self, values: &dyn Values) -> Vec<String> {
        let mut missing: Vec<String> = self
            .uses
            .placeholders
            .iter()
            .filter(|p| values.value(&p.name).is_none())
            .map(|p| p.name.clone())
            .collect();
        missing.sort();
        missing.dedup();
        missing
    }

    /// Renders with `values`; every placeholder the template reads must have a value.
    pub fn render(&self, values: &dyn Values, escape: Escape) -> Result<String, RenderError> {
        let missing = self.missing(values);
        if !missing.is_empty() {
            return Err(RenderError::MissingValues(missing));
        }
        self.render_with_blanks(values, escape)
    }

    /// Renders as OpenCRVS would: a variable without a value becomes blank text. For measuring
    /// what a message costs at least, never for showing it.
    pub fn render_with_blanks(
        &self,
        values: &dyn Values,
        escape: Escape,
    ) -> Result<String, RenderError> {
        let mut out = String::new();
        match &self.body {
            Body::Plain(pieces) => write_pieces(pieces, values, escape, &mut out),
            Body::Direct(template) => write_elements(template, values, escape, &mut out),
            Body::Engine(template) => return render_with_engine(template, values, escape),
        }
        Ok(out)
    }
}

fn render_with_engine(
    template: &Template,
    values: &dyn Values,
    escape: Escape,
) -> Result<String, RenderError> {
    let registry: &Handlebars<'static> = match escape {
        Escape::None => &PLAIN,
        Escape::Html => &HTML,
    };
    let context =
        Context::wraps(values.to_map()).map_err(|e| RenderError::Render(e.to_string()))?;
    let mut out = StringOutput::new();
    template
        .render(registry, &context, &mut RenderContext::new(None), &mut out)
        .map_err(|e| RenderError::Render(e.to_string()))?;
    out.into_string()
        .map_err(|e| RenderError::Render(e.to_string()))
}

/// Reads `source` as text and `{{name}}` tags, or `None` when it holds anything else (blocks,
/// comments, triple braces, paths, helpers, escapes, whitespace control), which the Handlebars
/// parser then reads.
fn plain_pieces(source: &str) -> Option<(Vec<Piece>, Vec<Placeholder>)> {
    let mut pieces = Vec::new();
    let mut found = Vec::new();
    let mut lines: Option<Vec<usize>> = None;
    let mut at = 0;
    while let Some(offset) = source[at..].find("{{") {
        let open = at + offset;
        if source[..open].ends_with('\\') {
            return None;
        }
        let inner = open + 2;
        let close = inner + source[inner..].find("}}")?;
        let name = source[inner..close].trim_matches([' ', '\t', '\n', '\r']);
        if !is_plain_name(name) {
            return None;
        }
        if open > at {
            pieces.push(Piece::Text(source[at..open].to_owned()));
        }
        let lines = lines.get_or_insert_with(|| placeholders::line_starts(source));
        let (line, column) = placeholders::position_of(source, lines, open);
        found.push(Placeholder {
            name: name.to_owned(),
            line,
            column,
        });
        pieces.push(Piece::Value(name.to_owned()));
        at = close + 2;
    }
    if at < source.len() {
        pieces.push(Piece::Text(source[at..].to_owned()));
    }
    Some((pieces, found))
}

/// A name the parser reads as a plain variable: not a keyword, literal or engine helper.
fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !["else", "as", "this", "true", "false", "null", "undefined"].contains(&name)
        && !ENGINE_HELPERS.contains(&name)
}

fn write_pieces(pieces: &[Piece], values: &dyn Values, escape: Escape, out: &mut String) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Value(name) => match (values.value(name), escape) {
                (Some(value), Escape::Html) => push_escaped(value, out),
                (Some(value), Escape::None) => out.push_str(value),
                (None, _) => {}
            },
        }
    }
}

/// A reusable renderer for text that is rendered once.
#[derive(Debug, Default, Clone, Copy)]
pub struct Renderer;

impl Renderer {
    pub fn new() -> Renderer {
        Renderer
    }

    /// Renders `template` with `values`; every placeholder it reads must have a value.
    pub fn render(
        &self,
        template: &str,
        values: &BTreeMap<String, String>,
        escape: Escape,
    ) -> Result<String, RenderError> {
        Compiled::parse(template)?.render(values, escape)
    }
}

/// The variable a parameter names when it is a plain top-level name, the only kind the direct
/// writer looks up itself.
fn plain_variable(param: &Parameter) -> Option<&str> {
    let Parameter::Path(_) = param else {
        return None;
    };
    let name = param.as_name()?;
    let plain = !name.is_empty()
        && name != "this"
        && !ENGINE_HELPERS.contains(&name)
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    plain.then_some(name)
}

fn writes_directly(template: &Template) -> bool {
    template.elements.iter().all(|element| match element {
        TemplateElement::RawString(_) | TemplateElement::Comment(_) => true,
        TemplateElement::Expression(h) | TemplateElement::HtmlExpression(h) => {
            !h.block
                && h.params.is_empty()
                && h.hash.is_empty()
                && plain_variable(&h.name).is_some()
        }
        TemplateElement::HelperBlock(h) => {
            matches!(&h.name, Parameter::Name(n) if n == "if" || n == "unless")
                && h.params.len() == 1
                && h.hash.is_empty()
                && h.block_param.is_none()
                && plain_variable(&h.params[0]).is_some()
                && h.template.as_ref().is_none_or(writes_directly)
                && h.inverse.as_ref().is_none_or(writes_directly)
        }
        _ => false,
    })
}

/// Writes a template `writes_directly` accepted. Truthiness is the engine's (and handlebars.js's)
/// for text: a value is true unless it is missing or empty.
fn write_elements(template: &Template, values: &dyn Values, escape: Escape, out: &mut String) {
    for element in &template.elements {
        match element {
            TemplateElement::RawString(text) => out.push_str(text),
            TemplateElement::Expression(h) | TemplateElement::HtmlExpression(h) => {
                let value = plain_variable(&h.name).and_then(|name| values.value(name));
                let raw = matches!(element, TemplateElement::HtmlExpression(_));
                match (value, escape) {
                    (Some(value), Escape::Html) if !raw => push_escaped(value, out),
                    (Some(value), _) => out.push_str(value),
                    (None, _) => {}
                }
            }
            TemplateElement::HelperBlock(h) => {
                let value = h.params.first().and_then(plain_variable);
                let truthy = value
                    .and_then(|name| values.value(name))
                    .is_some_and(|v| !v.is_empty());
                let positive = matches!(&h.name, Parameter::Name(n) if n == "if");
                let branch = if truthy == positive {
                    &h.template
                } else {
                    &h.inverse
                };
                if let Some(branch) = branch {
                    write_elements(branch, values, escape, out);
                }
            }
            _ => {}
        }
    }
}

/// The escaping of handlebars.js (and of the engine): `& < > " ' \` =`.
fn push_escaped(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '`' => out.push_str("&#x60;"),
            '=' => out.push_str("&#x3D;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn sms_is_not_escaped_but_email_is() {
        let renderer = Renderer::new();
        let v = values(&[("name", "Aoife O'Brien & Sons")]);
        assert_eq!(
            renderer.render("Hi {{name}}", &v, Escape::None).unwrap(),
            "Hi Aoife O'Brien & Sons"
        );
        assert_eq!(
            renderer.render("Hi {{name}}", &v, Escape::Html).unwrap(),
            "Hi Aoife O&#x27;Brien &amp; Sons"
        );
    }

    #[test]
    fn missing_values_are_named() {
        let renderer = Renderer::new();
        let err = renderer
            .render(
                "{{trackingId}} {{name}} {{name}}",
                &values(&[]),
                Escape::None,
            )
            .unwrap_err();
        assert_eq!(
            err,
            RenderError::MissingValues(vec!["name".into(), "trackingId".into()])
        );
        assert_eq!(err.to_string(), "no sample value for `name`, `trackingId`");
    }

    #[test]
    fn blanks_render_where_values_are_missing_only_when_asked() {
        let compiled = Compiled::parse("[{{a}}|{{b}}]").unwrap();
        let v = values(&[("a", "x")]);
        assert_eq!(compiled.missing(&v), ["b"]);
        assert_eq!(
            compiled.render_with_blanks(&v, Escape::None).unwrap(),
            "[x|]"
        );
    }

    #[test]
    fn if_blocks_render_like_handlebars_js() {
        let renderer = Renderer::new();
        let template = "{{#if informantName}}Dear {{informantName}}{{else}}Hello{{/if}}";
        let v = values(&[("informantName", "Mary")]);
        assert_eq!(
            renderer.render(template, &v, Escape::None).unwrap(),
            "Dear Mary"
        );
        let empty = values(&[("informantName", "")]);
        assert_eq!(
            renderer.render(template, &empty, Escape::None).unwrap(),
            "Hello"
        );
    }

    impl Compiled {
        fn kind(&self) -> &'static str {
            match self.body {
                Body::Plain(_) => "plain",
                Body::Direct(_) => "direct",
                Body::Engine(_) => "engine",
            }
        }
    }

    fn kind(source: &str) -> &'static str {
        Compiled::parse(source).unwrap().kind()
    }

    #[test]
    fn each_template_takes_the_shortest_path_that_covers_it() {
        assert_eq!(kind("Hi {{name}}, ID {{ trackingId }}. }} { {}"), "plain");
        assert_eq!(kind("no tags at all"), "plain");
        assert_eq!(kind("Hi {{name}} {{{body}}} {{!-- note --}}"), "direct");
        assert_eq!(
            kind("{{#if a}}x{{else if b}}y{{else}}{{#unless c}}z{{/unless}}{{/if}}"),
            "direct"
        );
        assert_eq!(kind("\\{{name}}"), "direct");
        assert_eq!(kind("{{~name}}"), "direct");
        assert_eq!(kind("{{#each items}}{{this}}{{/each}}"), "engine");
        assert_eq!(kind("{{child.name}}"), "engine");
        assert_eq!(kind("{{lookup names lang}}"), "engine");
        assert_eq!(kind("{{#if a includeZero=true}}x{{/if}}"), "engine");
        assert_eq!(kind("{{len}}"), "engine");
    }

    fn sample() -> BTreeMap<String, String> {
        values(&[
            ("name", "O'Brien <\"Mwila\"> & `=` Sons"),
            ("trackingId", "B7X2K9Q"),
            ("other", "ä €"),
            ("empty", ""),
        ])
    }

    /// Every shortcut must give exactly what the engine gives for the same template.
    #[test]
    fn shortcuts_render_what_the_engine_renders() {
        let templates = [
            "Hi {{name}}, ID {{trackingId}}.",
            "{{ name }} and {{\tname\n}}}} {",
            "Ü\n  {{name}}\r\n{{trackingId}}{{missing}}",
            "{{{name}}} and {{name}} & {{&name}}",
            "{{#if name}}Dear {{name}}{{else}}Hello{{/if}}, {{#unless empty}}none{{/unless}}",
            "{{#if missing}}a{{else if name}}b {{name}}{{else}}c{{/if}}",
            "line 1\n  {{#if name}}\n  inside {{name}}\n  {{/if}}\nline 3\n",
            "a {{~name~}} b {{! comment }}{{!-- long --}} c",
            "<p>{{name}}</p>\r\n<p>{{other}}</p>",
            "{{#if empty}}x{{/if}}{{#unless name}}y{{else}}z{{/unless}}",
            "\\{{name}} {{name}}",
        ];
        let v = sample();
        for template in templates {
            let compiled = Compiled::parse(template).unwrap();
            assert_ne!(compiled.kind(), "engine", "{template}");
            for (escape, registry) in [(Escape::None, &*PLAIN), (Escape::Html, &*HTML)] {
                let expected = registry.render_template(template, &v).unwrap();
                let got = compiled.render_with_blanks(&v, escape).unwrap();
                assert_eq!(got, expected, "{template} {escape:?}");
            }
        }
    }

    /// The scanner must list the placeholders the parser's tree lists, at the same positions.
    #[test]
    fn the_scanner_finds_what_the_parser_finds() {
        let templates = [
            "Hi {{name}}, ID {{trackingId}}.",
            "Numéro {{ trackingId }}\nsuite {{name}} et {{name}}",
            "{{a}}{{b}}\r\n\r\n   {{c_d}} }} {",
        ];
        for template in templates {
            let plain = Compiled::parse(template).unwrap();
            assert_eq!(plain.kind(), "plain", "{template}");
            let tree = Compiled::parse_tree(template).unwrap();
            assert_eq!(plain.uses(), tree.uses(), "{template}");
        }
    }

    #[test]
    fn templates_beyond_the_direct_writer_still_render() {
        let compiled =
            Compiled::parse("{{#with name}}[{{this}}]{{/with}} {{lookup map k}}").unwrap();
        assert_eq!(compiled.kind(), "engine");
        let v = values(&[("name", "O'Brien")]);
        assert_eq!(
            compiled.render_with_blanks(&v, Escape::Html).unwrap(),
            "[O&#x27;Brien] "
        );
    }
}
