//! A plain-text rendition of a rendered email body, for reading a preview in a terminal: tags are
//! dropped (with what is inside `<head>`, `<style>` and `<script>`), block elements and `<br>`
//! become line breaks, links keep their address, entities are decoded and whitespace collapses
//! the way a browser collapses it. Not a general HTML parser: enough for notification emails.

/// Elements whose content is never shown.
const HIDDEN: &[&str] = &["head", "style", "script", "title", "template"];
/// Elements that start and end on their own lines.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "tr",
    "hr",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "body",
    "html",
];

/// The text a reader of the email sees, as lines.
pub fn plain_text(html: &str) -> String {
    let mut text = Text::default();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.words(&rest[..open]);
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let starts_tag = rest[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let Some(close) = tag_end(rest).filter(|_| starts_tag) else {
            // A `<` that opens no tag is text.
            text.words("<");
            rest = &rest[1..];
            continue;
        };
        let tag = Tag::parse(&rest[1..close]);
        rest = &rest[close + 1..];
        if !tag.closing && HIDDEN.contains(&tag.name.as_str()) {
            rest = skip_element(rest, &tag.name);
            continue;
        }
        text.tag(&tag);
    }
    text.words(rest);
    text.finish()
}

/// The index of the `>` that ends the tag `rest` starts with, past quoted attribute values.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in rest.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// What follows the end of the element `name` (case-insensitively), or nothing when it never ends.
fn skip_element<'a>(rest: &'a str, name: &str) -> &'a str {
    let closing = format!("</{name}");
    let lower = rest.to_ascii_lowercase();
    match lower.find(&closing) {
        Some(at) => rest[at..].find('>').map_or("", |end| &rest[at + end + 1..]),
        None => "",
    }
}

struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
}

impl Tag {
    fn parse(inner: &str) -> Tag {
        let closing = inner.starts_with('/');
        let body = inner.trim_start_matches('/');
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let href = (name == "a").then(|| attribute(body, "href")).flatten();
        Tag {
            name,
            closing,
            href,
        }
    }
}

/// The value of attribute `name` in a tag's text, entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before = lower[..at].chars().next_back();
        if before.is_some_and(|c| !c.is_whitespace()) {
            continue;
        }
        let after = tag[from..].trim_start();
        let Some(value) = after.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let raw = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or_default(),
            _ => value.split(char::is_whitespace).next().unwrap_or_default(),
        };
        return Some(decode_entities(raw));
    }
    None
}

/// The text being built: collapsed words, with pending line breaks.
#[derive(Default)]
struct Text {
    out: String,
    /// Where the open link's text started in `out`, and its address.
    link: Option<(usize, String)>,
}

impl Text {
    fn words(&mut self, raw: &str) {
        let decoded = decode_entities(raw);
        for (i, word) in decoded
            .split(|c: char| c.is_whitespace() && c != '\u{00A0}')
            .enumerate()
        {
            if i > 0 {
                self.space();
            }
            self.out.push_str(&word.replace('\u{00A0}', " "));
        }
    }

    fn space(&mut self) {
        if !self.out.ends_with([' ', '\n']) && !self.out.is_empty() {
            self.out.push(' ');
        }
    }

    fn tag(&mut self, tag: &Tag) {
        match tag.name.as_str() {
            "br" => self.line_break(),
            "a" if !tag.closing => {
                self.link = tag.href.clone().map(|href| (self.out.len(), href));
            }
            "a" => self.end_link(),
            "td" | "th" if tag.closing => self.space(),
            "li" if !tag.closing => {
                self.trim_end_spaces();
                if !self.out.is_empty() && !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
                self.out.push_str("- ");
            }
            name if BLOCKS.contains(&name) => self.block_break(),
            _ => {}
        }
    }

    fn end_link(&mut self) {
        let Some((start, href)) = self.link.take() else {
            return;
        };
        let label = self.out[start..].trim();
        if !href.is_empty() && label != href && !href.starts_with('#') {
            self.out.push_str(&format!(" <{href}>"));
        }
    }

    fn line_break(&mut self) {
        self.trim_end_spaces();
        self.out.push('\n');
    }

    fn block_break(&mut self) {
        self.trim_end_spaces();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push_str(if self.out.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            });
        }
    }

    fn trim_end_spaces(&mut self) {
        let kept = self.out.trim_end_matches(' ').len();
        self.out.truncate(kept);
    }

    fn finish(self) -> String {
        let mut lines: Vec<&str> = Vec::new();
        for line in self.out.lines().map(str::trim) {
            let blank = line.is_empty();
            if blank && lines.last().is_none_or(|l| l.is_empty()) {
                continue;
            }
            lines.push(line);
        }
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        let mut text = lines.join("\n");
        text.push('\n');
        text
    }
}

/// Decodes character references: numeric ones and the named ones email copy uses.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match rest.find(';').filter(|&end| end <= 10) {
            Some(end) => match entity(&rest[1..end]) {
                Some(c) => {
                    out.push(c);
                    rest = &rest[end + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            },
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{00A0}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "bull" => '•',
        "middot" => '·',
        "euro" => '€',
        "pound" => '£',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_go_and_blocks_become_paragraphs() {
        let html = "<!DOCTYPE html><html><head><title>T</title><style>p { color: red; }</style></head>\
                    <body>\n  <div class=\"card\">\n    <h1>Birth   registered</h1>\n    \
                    <p>Dear Chipo,<br>\n      Congratulations!</p>\n  <!-- a note -->\n\
                    <p>ID: <span class=\"key\">B7X2K9Q</span></p></div></body></html>";
        assert_eq!(
            plain_text(html),
            "Birth registered\n\nDear Chipo,\nCongratulations!\n\nID: B7X2K9Q\n"
        );
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            plain_text("<p>O&#x27;Brien &amp; Sons &lt;3&gt; caf&eacute; &#233;&nbsp;ok</p>"),
            "O'Brien & Sons <3> caf&eacute; é ok\n"
        );
    }

    #[test]
    fn links_keep_their_address_unless_it_is_the_text() {
        assert_eq!(
            plain_text(
                "<p><a href=\"https://login.example.org\">Sign in</a> or \
                 <a href='https://x.org'>https://x.org</a></p>"
            ),
            "Sign in <https://login.example.org> or https://x.org\n"
        );
    }

    #[test]
    fn list_items_are_bulleted_and_a_lone_angle_bracket_is_text() {
        assert_eq!(
            plain_text("<ul><li>one</li><li>two</li></ul><p>1 < 2</p>"),
            "- one\n- two\n\n1 < 2\n"
        );
    }

    #[test]
    fn attributes_with_a_closing_bracket_inside_quotes_do_not_end_the_tag() {
        assert_eq!(plain_text("<img alt=\"a > b\" src=\"x\">text"), "text\n");
    }
}
