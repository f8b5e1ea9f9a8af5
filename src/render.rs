//! Renders message copy with sample values, as the handset or the inbox will show it. SMS copy is
//! rendered without HTML escaping (a text message is not HTML); email subjects and bodies are
//! escaped as handlebars.js does. A placeholder without a value is reported by name instead of
//! silently rendering as blank text.

use std::collections::BTreeMap;

use handlebars::Handlebars;

use crate::placeholders;

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

/// A reusable renderer: one Handlebars registry per escaping mode.
pub struct Renderer {
    plain: Handlebars<'static>,
    html: Handlebars<'static>,
}

impl Default for Renderer {
    fn default() -> Self {
        Renderer::new()
    }
}

impl Renderer {
    pub fn new() -> Renderer {
        let mut plain = Handlebars::new();
        plain.register_escape_fn(handlebars::no_escape);
        Renderer {
            plain,
            html: Handlebars::new(),
        }
    }

    /// Renders `template` with `values`; every placeholder it reads must have a value.
    pub fn render(
        &self,
        template: &str,
        values: &BTreeMap<String, String>,
        escape: Escape,
    ) -> Result<String, RenderError> {
        let used = placeholders::extract(template).map_err(|e| RenderError::Syntax(e.message))?;
        let mut missing: Vec<String> = used
            .placeholders
            .iter()
            .filter(|p| !values.contains_key(&p.name))
            .map(|p| p.name.clone())
            .collect();
        missing.dedup();
        if !missing.is_empty() {
            missing.sort();
            missing.dedup();
            return Err(RenderError::MissingValues(missing));
        }
        let registry = match escape {
            Escape::None => &self.plain,
            Escape::Html => &self.html,
        };
        registry
            .render_template(template, values)
            .map_err(|e| RenderError::Render(e.to_string()))
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
}
