//! Microsoft365DSC configurations (`.ps1`): the subset of PowerShell a DSC configuration is
//! written in, parsed into the Graph objects its Intune resources stand for, every value keeping
//! its place in the script.
//!
//! A configuration is `Configuration Name { … node localhost { Resource 'Instance' { … } } }`.
//! A resource block is a list of `Property = value` statements, ended by a new line or `;`.
//! Values are strings (`'…'` with `''` for a quote, `"…"` with backtick escapes, here-strings
//! `@'…'@` and `@"…"@`), numbers, `$True`/`$False`/`$null`, variables (`$TenantId`,
//! `$ConfigurationData.NonNodeData.X`: not known statically, so the property is left out),
//! arrays `@(…)`, hashtables `@{…}` and CIM instances (`MSFT_MicrosoftGraphvpnServer { … }`).
//! Anything else in a value — a command, a parenthesised expression — is read past and left
//! out; a statement that is not a property assignment is a syntax error at its place.
//!
//! The resources are mapped to Graph types (Microsoft365DSC's resource names and property names
//! are Graph's, PascalCased; `docs/failure-modes.md` §2.1): trusted certificate, SCEP and PKCS
//! certificate profiles, VPN, Wi-Fi and wired-network policies for Windows 10. Properties are
//! camel-cased back (`TrustedRootCertificate` → `trustedRootCertificate`), so the Graph reader
//! reads them; a resource with `Ensure = 'Absent'` is removed by the configuration and yields
//! nothing.

use std::borrow::Cow;
use std::sync::Arc;

use jsonc_parser::ast::{
    Array, BooleanLit, NullKeyword, NumberLit, Object, ObjectProp, ObjectPropName, StringLit, Value,
};
use jsonc_parser::common::{Range, Ranged};

use super::text::{Fallback, decode_or_note};
use super::{LoadError, LoadProblem, Parsed, intune};

/// Values nested deeper than this are refused (configurations are a few levels deep).
const MAX_DEPTH: usize = 64;

/// Whether `head` (the start of a file, trimmed) is a DSC configuration that uses
/// Microsoft365DSC resources.
pub(crate) fn sniff(head: &str) -> bool {
    let lower = head.to_ascii_lowercase();
    lower.contains("import-dscresource") && lower.contains("microsoft365dsc")
}

/// Loads a configuration: each Intune PKI resource it declares, as the Graph object it stands
/// for. A configuration with none of them holds nothing of ours.
pub(crate) fn load(path: &Arc<str>, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::default();
    let Some(text) = decode_or_note(path, bytes, Fallback::Utf8Only, &mut out) else {
        return out;
    };
    match resources(&text) {
        Ok(found) => {
            let mut names: Vec<String> = found.iter().map(|r| r.name.to_owned()).collect();
            let objects: Vec<Value<'_>> = found
                .into_iter()
                .filter_map(graph_object)
                .map(Value::Object)
                .collect();
            let unread = intune::read_values(path, &text, &objects, &mut out);
            for a in &mut out.artifacts {
                if let super::Artifact::VpnProfile(p) = a {
                    p.source = "Microsoft365DSC";
                }
            }
            if out.artifacts.is_empty() && out.problem.is_none() {
                // Resources are named as written; those mapped to a Graph type trustlint does
                // not read (a pre-shared-key Wi-Fi network) by that type instead.
                if !unread.is_empty() {
                    names = unread;
                }
                out.skipped = Some(intune::nothing_to_read(
                    "a Microsoft365DSC configuration",
                    names,
                ));
            }
        }
        Err(e) => out.note(LoadError::in_text(
            path,
            &text,
            e.offset,
            LoadProblem::Malformed(format!("Microsoft365DSC configuration: {}", e.message)),
        )),
    }
    let broken = out.problem.as_ref().map(|p| p.location.byte_offset);
    out.text = Some(super::FileText::Decoded(super::text::redact_secrets(
        text, broken,
    )));
    out
}

/// A syntax error: what was expected, and where.
#[derive(Debug, PartialEq, Eq)]
struct SyntaxError {
    message: String,
    offset: usize,
}

type Result<T> = std::result::Result<T, SyntaxError>;

fn error<T>(offset: usize, message: impl Into<String>) -> Result<T> {
    Err(SyntaxError {
        message: message.into(),
        offset,
    })
}

/// One token of the script, with its byte range.
#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    /// A line break (a statement separator); a backtick before it continues the line instead.
    Newline,
    /// A string literal, escapes undone.
    Str(Cow<'a, str>),
    /// A number as written.
    Number(&'a str),
    /// `$name`, with any `.member` accesses after it: the name as written, `$` excluded.
    Variable(&'a str),
    /// A bare word: a keyword, a resource or CIM class name, a property name, a command.
    Word(&'a str),
    /// `[type]` (a cast or an attribute): its text.
    Type,
    /// `@(`
    ArrayOpen,
    /// `@{`
    HashOpen,
    /// One character of punctuation: `{ } ( ) = ; ,` and any other.
    Punct(char),
}

/// A token and its byte range in the script.
#[derive(Debug, Clone)]
struct Lexeme<'a> {
    token: Token<'a>,
    start: usize,
    end: usize,
}

/// Splits `text` into tokens; comments are dropped. Errors: an unterminated string, comment or
/// here-string, at its start.
fn tokens(text: &str) -> Result<Vec<Lexeme<'_>>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        let rest = text.get(i..).unwrap_or_default();
        let token = match b {
            b'\n' => {
                i = i.saturating_add(1);
                Token::Newline
            }
            b' ' | b'\t' | b'\r' => {
                i = i.saturating_add(1);
                continue;
            }
            // A backtick at the end of a line continues the statement on the next.
            b'`' if rest.starts_with("`\n") || rest.starts_with("`\r\n") => {
                i = i.saturating_add(if rest.starts_with("`\n") { 2 } else { 3 });
                continue;
            }
            b'<' if rest.starts_with("<#") => {
                let Some(end) = rest.find("#>") else {
                    return error(start, "a block comment '<#' is never closed with '#>'");
                };
                i = i.saturating_add(end).saturating_add(2);
                continue;
            }
            b'#' => {
                i = i.saturating_add(rest.find('\n').unwrap_or(rest.len()));
                continue;
            }
            b'@' if rest.starts_with("@'") || rest.starts_with("@\"") => {
                let (value, len) = here_string(rest).ok_or_else(|| SyntaxError {
                    message: "a here-string is never closed ('@ or \"@ at the start of a line)"
                        .to_owned(),
                    offset: start,
                })?;
                i = i.saturating_add(len);
                Token::Str(value)
            }
            b'@' if rest.starts_with("@(") => {
                i = i.saturating_add(2);
                Token::ArrayOpen
            }
            b'@' if rest.starts_with("@{") => {
                i = i.saturating_add(2);
                Token::HashOpen
            }
            b'\'' | b'"' => {
                let (value, len) = quoted(rest).ok_or_else(|| SyntaxError {
                    message: "a string is never closed".to_owned(),
                    offset: start,
                })?;
                i = i.saturating_add(len);
                Token::Str(value)
            }
            b'$' => {
                let len = rest
                    .get(1..)
                    .unwrap_or_default()
                    .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | ':' | '.')))
                    .map_or(rest.len(), |n| n.saturating_add(1));
                i = i.saturating_add(len.max(1));
                Token::Variable(rest.get(1..len).unwrap_or_default().trim_end_matches('.'))
            }
            b'[' => {
                let Some(end) = rest.find(']') else {
                    return error(start, "a type '[' is never closed with ']'");
                };
                i = i.saturating_add(end).saturating_add(1);
                Token::Type
            }
            b'0'..=b'9' => {
                let len = word_len(rest);
                i = i.saturating_add(len);
                Token::Number(rest.get(..len).unwrap_or_default())
            }
            b'-' if rest.as_bytes().get(1).is_some_and(|c| c.is_ascii_digit()) => {
                let len = word_len(rest.get(1..).unwrap_or_default()).saturating_add(1);
                i = i.saturating_add(len);
                Token::Number(rest.get(..len).unwrap_or_default())
            }
            _ if is_word_char(rest.chars().next().unwrap_or(' ')) => {
                let len = word_len(rest);
                i = i.saturating_add(len);
                Token::Word(rest.get(..len).unwrap_or_default())
            }
            _ => {
                let c = rest.chars().next().unwrap_or(' ');
                i = i.saturating_add(c.len_utf8());
                Token::Punct(c)
            }
        };
        out.push(Lexeme {
            token,
            start,
            end: i,
        });
    }
    Ok(out)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '\\' | '/' | '*')
}

fn word_len(s: &str) -> usize {
    s.find(|c: char| !is_word_char(c)).unwrap_or(s.len())
}

/// A quoted string at the start of `s`: its value and length. Single quotes take `''` (and the
/// typographic quotes PowerShell also accepts are not special here); double quotes take `""`
/// and backtick escapes (`` `n `` and friends; `$variables` are kept as written).
fn quoted(s: &str) -> Option<(Cow<'_, str>, usize)> {
    let quote = s.chars().next()?;
    let body = s.get(1..)?;
    let mut value = String::new();
    let mut chars = body.char_indices().peekable();
    let mut plain = true;
    while let Some((at, c)) = chars.next() {
        if c == quote {
            if chars.peek().is_some_and(|&(_, n)| n == quote) {
                chars.next();
                value.push(quote);
                plain = false;
                continue;
            }
            let len = at.saturating_add(2);
            let value = if plain {
                Cow::Borrowed(body.get(..at)?)
            } else {
                Cow::Owned(value)
            };
            return Some((value, len));
        }
        if quote == '"' && c == '`' {
            plain = false;
            let (_, e) = chars.next()?;
            value.push(match e {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                '0' => '\0',
                other => other,
            });
            continue;
        }
        value.push(c);
    }
    None
}

/// A here-string at the start of `s` (`@'` or `@"`, its text from the next line, closed by `'@`
/// or `"@` at the start of a line): its value and length.
fn here_string(s: &str) -> Option<(Cow<'_, str>, usize)> {
    let close = if s.starts_with("@'") { "\n'@" } else { "\n\"@" };
    let first_line = s.find('\n')?.saturating_add(1);
    let body = s.get(first_line.saturating_sub(1)..)?;
    let end = body.find(close)?;
    let value = body.get(1..end).unwrap_or_default();
    let value = value.strip_suffix('\r').unwrap_or(value);
    let len = first_line
        .saturating_sub(1)
        .saturating_add(end)
        .saturating_add(close.len());
    Some((Cow::Borrowed(value), len))
}

/// A resource block: its resource name, and its properties as a Graph-like object whose names
/// are still PascalCase.
struct Resource<'a> {
    name: &'a str,
    name_range: Range,
    body: Object<'a>,
}

/// Every resource block of `text` whose resource name starts with `Intune` (the others are
/// parsed for their syntax, then dropped).
fn resources(text: &str) -> Result<Vec<Resource<'_>>> {
    let tokens = tokens(text)?;
    let mut parser = Parser {
        tokens: &tokens,
        at: 0,
        end: text.len(),
    };
    parser.configuration()
}

struct Parser<'t, 'a> {
    tokens: &'t [Lexeme<'a>],
    at: usize,
    /// The text's length: where "the end of the file" is.
    end: usize,
}

impl<'a> Parser<'_, 'a> {
    fn peek(&self) -> Option<&Lexeme<'a>> {
        self.tokens.get(self.at)
    }

    fn peek_at(&self, ahead: usize) -> Option<&Lexeme<'a>> {
        self.tokens.get(self.at.saturating_add(ahead))
    }

    fn next(&mut self) -> Option<Lexeme<'a>> {
        let t = self.tokens.get(self.at).cloned();
        self.at = self.at.saturating_add(1);
        t
    }

    fn offset(&self) -> usize {
        self.peek().map_or(self.end, |t| t.start)
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek().map(|t| &t.token), Some(Token::Newline)) {
            self.at = self.at.saturating_add(1);
        }
    }

    fn skip_separators(&mut self) {
        while matches!(
            self.peek().map(|t| &t.token),
            Some(Token::Newline | Token::Punct(';'))
        ) {
            self.at = self.at.saturating_add(1);
        }
    }

    /// The whole script: braces and parentheses balanced; resource blocks (`Word 'Name' {`)
    /// parsed as property lists wherever they are.
    fn configuration(&mut self) -> Result<Vec<Resource<'a>>> {
        let mut found = Vec::new();
        let mut open: Vec<(char, usize)> = Vec::new();
        while let Some(t) = self.peek().cloned() {
            if let Some(r) = self.resource_head() {
                let body = self.block(1)?;
                found.push(Resource {
                    name: r.0,
                    name_range: r.1,
                    body,
                });
                continue;
            }
            self.at = self.at.saturating_add(1);
            match t.token {
                Token::Punct(c @ ('{' | '(')) => open.push((c, t.start)),
                Token::ArrayOpen => open.push(('(', t.start)),
                Token::HashOpen => open.push(('{', t.start)),
                Token::Punct(c @ ('}' | ')')) => {
                    let want = if c == '}' { '{' } else { '(' };
                    match open.pop() {
                        Some((o, _)) if o == want => {}
                        _ => return error(t.start, format!("'{c}' closes nothing")),
                    }
                }
                _ => {}
            }
        }
        match open.pop() {
            Some((c, at)) => error(at, format!("'{c}' is never closed")),
            None => Ok(found),
        }
    }

    /// `Resource 'Instance' {` or `Resource Instance {` at the cursor, for a resource whose name
    /// starts with `Intune`: consumes the head up to the `{` and returns the resource's name.
    fn resource_head(&mut self) -> Option<(&'a str, Range)> {
        let t = self.peek()?;
        let Token::Word(name) = t.token else {
            return None;
        };
        if !name.to_ascii_lowercase().starts_with("intune") {
            return None;
        }
        let range = Range {
            start: t.start,
            end: t.end,
        };
        if !matches!(
            self.peek_at(1).map(|t| &t.token),
            Some(Token::Str(_) | Token::Word(_) | Token::Variable(_))
        ) {
            return None;
        }
        let mut ahead = 2usize;
        while matches!(self.peek_at(ahead).map(|t| &t.token), Some(Token::Newline)) {
            ahead = ahead.saturating_add(1);
        }
        if !matches!(
            self.peek_at(ahead).map(|t| &t.token),
            Some(Token::Punct('{'))
        ) {
            return None;
        }
        self.at = self.at.saturating_add(ahead);
        Some((name, range))
    }

    /// Values nested past [`MAX_DEPTH`] are an error at the cursor.
    fn depth_allowed(&self, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return error(
                self.offset(),
                format!("values nested deeper than {MAX_DEPTH} levels"),
            );
        }
        Ok(())
    }

    /// `{ Name = value … }` with the cursor on the `{`: a resource body, a CIM instance or a
    /// hashtable (`@{`).
    fn block(&mut self, depth: usize) -> Result<Object<'a>> {
        self.depth_allowed(depth)?;
        let open = self.next().map_or(self.end, |t| t.start);
        let mut properties = Vec::new();
        loop {
            self.skip_separators();
            let Some(t) = self.next() else {
                return error(open, "'{' is never closed");
            };
            let name = match t.token {
                Token::Punct('}') => {
                    return Ok(Object {
                        range: Range {
                            start: open,
                            end: t.end,
                        },
                        properties,
                    });
                }
                Token::Word(w) => w,
                Token::Str(_) => {
                    // The string itself is not quoted: it may be a secret (a pre-shared key).
                    return error(t.start, "expected a property name, found a string");
                }
                _ => {
                    return error(
                        t.start,
                        "expected a property name (Name = value) or '}'".to_owned(),
                    );
                }
            };
            self.skip_newlines_before_equals();
            match self.next() {
                Some(Lexeme {
                    token: Token::Punct('='),
                    ..
                }) => {}
                other => {
                    return error(
                        other.map_or(self.end, |o| o.start),
                        format!("expected '=' after the property name '{name}'"),
                    );
                }
            }
            self.skip_newlines();
            let mut value = self.value(depth)?;
            if self.operator_ahead() {
                // `'a' + 'b'`, `$x -f 1`: an expression, not known statically.
                self.skip_expression(t.start)?;
                value = None;
            }
            self.statement_end(name)?;
            if let Some(value) = value {
                let end = value.range().end;
                properties.push(ObjectProp {
                    range: Range {
                        start: t.start,
                        end,
                    },
                    name: ObjectPropName::String(StringLit {
                        range: Range {
                            start: t.start,
                            end: t.end,
                        },
                        value: Cow::Borrowed(name),
                    }),
                    value,
                });
            }
        }
    }

    /// PowerShell lets a statement run on after `Name` only with a backtick; a new line before
    /// `=` is tolerated here because the error it would cause is the same.
    fn skip_newlines_before_equals(&mut self) {
        let save = self.at;
        self.skip_newlines();
        if !matches!(self.peek().map(|t| &t.token), Some(Token::Punct('='))) {
            self.at = save;
        }
    }

    /// An operator after a value: the value is the start of an expression (`+`, `-f`,
    /// `-replace`, a member access or an index).
    fn operator_ahead(&self) -> bool {
        match self.peek().map(|t| &t.token) {
            Some(Token::Punct(c)) => matches!(c, '+' | '*' | '/' | '%' | '.' | '['),
            Some(Token::Type) => true,
            Some(Token::Word(w)) => w.starts_with('-') && w.len() > 1,
            _ => false,
        }
    }

    /// After a value: a new line, `;`, or the `}` that closes the block.
    fn statement_end(&mut self, name: &str) -> Result<()> {
        match self.peek().map(|t| &t.token) {
            None | Some(Token::Newline | Token::Punct(';' | '}')) => Ok(()),
            Some(_) => error(
                self.offset(),
                format!("expected a new line or ';' after the value of '{name}'"),
            ),
        }
    }

    /// One value; `None` for what cannot be known statically (variables, commands,
    /// expressions), which is read past.
    fn value(&mut self, depth: usize) -> Result<Option<Value<'a>>> {
        let Some(t) = self.peek().cloned() else {
            return error(self.end, "expected a value at the end of the file");
        };
        let range = Range {
            start: t.start,
            end: t.end,
        };
        Ok(match t.token {
            Token::Str(s) => {
                self.at = self.at.saturating_add(1);
                Some(Value::StringLit(StringLit { range, value: s }))
            }
            Token::Number(n) => {
                self.at = self.at.saturating_add(1);
                Some(Value::NumberLit(NumberLit { range, value: n }))
            }
            Token::Variable(v) => {
                self.at = self.at.saturating_add(1);
                match v.to_ascii_lowercase().as_str() {
                    "true" => Some(Value::BooleanLit(BooleanLit { range, value: true })),
                    "false" => Some(Value::BooleanLit(BooleanLit {
                        range,
                        value: false,
                    })),
                    "null" => Some(Value::NullKeyword(NullKeyword { range })),
                    _ => None,
                }
            }
            Token::Type => {
                // A cast: the value follows.
                self.at = self.at.saturating_add(1);
                self.value(depth)?
            }
            Token::ArrayOpen => Some(Value::Array(self.array(depth.saturating_add(1))?)),
            Token::HashOpen => Some(Value::Object(self.block(depth.saturating_add(1))?)),
            Token::Word(_) if self.cim_instance_ahead() => {
                self.at = self.at.saturating_add(1);
                self.skip_newlines();
                let mut o = self.block(depth.saturating_add(1))?;
                o.range.start = t.start;
                Some(Value::Object(o))
            }
            _ => {
                let before = self.at;
                self.skip_expression(t.start)?;
                if self.at == before {
                    // A closing bracket or a separator where a value belongs: nothing was read,
                    // and the caller must not loop on it.
                    return error(t.start, "expected a value");
                }
                None
            }
        })
    }

    /// A word followed by `{` (new lines between allowed): a CIM instance.
    fn cim_instance_ahead(&self) -> bool {
        let mut ahead = 1usize;
        while matches!(self.peek_at(ahead).map(|t| &t.token), Some(Token::Newline)) {
            ahead = ahead.saturating_add(1);
        }
        matches!(
            self.peek_at(ahead).map(|t| &t.token),
            Some(Token::Punct('{'))
        )
    }

    /// `@( v, v … )` with the cursor on `@(`: elements separated by `,`, `;` or new lines.
    fn array(&mut self, depth: usize) -> Result<Array<'a>> {
        self.depth_allowed(depth)?;
        let open = self.next().map_or(self.end, |t| t.start);
        let mut elements = Vec::new();
        loop {
            while matches!(
                self.peek().map(|t| &t.token),
                Some(Token::Newline | Token::Punct(';' | ','))
            ) {
                self.at = self.at.saturating_add(1);
            }
            match self.peek() {
                None => return error(open, "'@(' is never closed"),
                Some(Lexeme {
                    token: Token::Punct(')'),
                    end,
                    ..
                }) => {
                    let end = *end;
                    self.at = self.at.saturating_add(1);
                    return Ok(Array {
                        range: Range { start: open, end },
                        elements,
                    });
                }
                Some(_) => {
                    if let Some(v) = self.value(depth)? {
                        elements.push(v);
                    }
                }
            }
        }
    }

    /// Reads past an expression that is not a literal (a command, `(…)`, arithmetic) up to the
    /// end of its statement or element, brackets balanced.
    fn skip_expression(&mut self, start: usize) -> Result<()> {
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            match t.token {
                Token::Punct('(' | '{') | Token::ArrayOpen | Token::HashOpen => {
                    depth = depth.saturating_add(1);
                }
                Token::Punct(')' | '}') if depth == 0 => return Ok(()),
                Token::Punct(')' | '}') => depth = depth.saturating_sub(1),
                Token::Newline | Token::Punct(';' | ',') if depth == 0 => return Ok(()),
                _ => {}
            }
            self.at = self.at.saturating_add(1);
        }
        if depth > 0 {
            return error(start, "an expression's brackets are never closed");
        }
        Ok(())
    }
}

/// The Graph type a Microsoft365DSC resource stands for; `None` for resources trustlint does not
/// read. Enterprise Wi-Fi is the Wi-Fi resource with an EAP type.
fn graph_type(resource: &str, body: &Object<'_>) -> Option<&'static str> {
    let r = resource.to_ascii_lowercase();
    let r = r.strip_prefix("intune")?;
    let graph = if r.ends_with("trustedcertificatepolicywindows10") {
        "windows81TrustedRootCertificate"
    } else if r.ends_with("scepcertificatepolicywindows10") {
        "windows81SCEPCertificateProfile"
    } else if r.ends_with("pkcscertificatepolicywindows10") {
        "windows10PkcsCertificateProfile"
    } else if r == "vpnconfigurationpolicywindows10" || r.ends_with("vpnpolicywindows10") {
        "windows10VpnConfiguration"
    } else if r.ends_with("wificonfigurationpolicywindows10") {
        if body.get("EapType").is_some() {
            "windowsWifiEnterpriseEAPConfiguration"
        } else {
            "windowsWifiConfiguration"
        }
    } else if r.ends_with("wirednetworkpolicywindows10") {
        "windowsWiredNetworkConfiguration"
    } else {
        return None;
    };
    Some(graph)
}

/// The Graph object a resource stands for: its `@odata.type` (located at the resource name),
/// its properties camel-cased, nested CIM instances too. `None` for resources trustlint does
/// not read, and for those the configuration removes (`Ensure = 'Absent'`).
fn graph_object(r: Resource<'_>) -> Option<Object<'_>> {
    let graph = graph_type(r.name, &r.body)?;
    if r.body
        .get_string("Ensure")
        .is_some_and(|e| e.value.eq_ignore_ascii_case("absent"))
    {
        return None;
    }
    let mut body = camel_cased(r.body);
    // Microsoft365DSC names the VPN servers `ServerCollection`; Graph, `servers`.
    for p in &mut body.properties {
        if p.name.as_str() == "serverCollection" {
            rename(p, "servers");
        }
    }
    body.properties.push(ObjectProp {
        range: r.name_range,
        name: ObjectPropName::String(StringLit {
            range: r.name_range,
            value: Cow::Borrowed("@odata.type"),
        }),
        value: Value::StringLit(StringLit {
            range: r.name_range,
            value: Cow::Owned(format!("#microsoft.graph.{graph}")),
        }),
    });
    Some(body)
}

fn rename(p: &mut ObjectProp<'_>, name: &'static str) {
    let range = match &p.name {
        ObjectPropName::String(s) => s.range,
        ObjectPropName::Word(w) => w.range,
    };
    p.name = ObjectPropName::String(StringLit {
        range,
        value: Cow::Borrowed(name),
    });
}

/// Property names camel-cased, in nested objects and arrays too (iteratively bounded by the
/// parser's depth limit).
fn camel_cased(mut o: Object<'_>) -> Object<'_> {
    for p in &mut o.properties {
        let camel = intune::camel_case(p.name.as_str());
        let range = match &p.name {
            ObjectPropName::String(s) => s.range,
            ObjectPropName::Word(w) => w.range,
        };
        p.name = ObjectPropName::String(StringLit {
            range,
            value: Cow::Owned(camel),
        });
        let value = std::mem::replace(&mut p.value, Value::NullKeyword(NullKeyword { range }));
        p.value = camel_cased_value(value);
    }
    o
}

fn camel_cased_value(v: Value<'_>) -> Value<'_> {
    match v {
        Value::Object(o) => Value::Object(camel_cased(o)),
        Value::Array(mut a) => {
            a.elements = a.elements.into_iter().map(camel_cased_value).collect();
            Value::Array(a)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Result<Vec<String>> {
        Ok(resources(text)?
            .into_iter()
            .map(|r| r.name.to_owned())
            .collect())
    }

    #[test]
    fn strings_undo_their_escapes() {
        assert_eq!(
            quoted("'it''s'").map(|(v, n)| (v.into_owned(), n)),
            Some(("it's".to_owned(), 7))
        );
        assert_eq!(
            quoted("\"a`tb\"\"c\" rest").map(|(v, n)| (v.into_owned(), n)),
            Some(("a\tb\"c".to_owned(), 9))
        );
        assert_eq!(quoted("'open"), None);
        let here = "@'\r\nline 1\r\nline 2\r\n'@\r\nnext";
        let (v, n) = here_string(here).unwrap_or_default();
        assert_eq!(v, "line 1\r\nline 2");
        assert_eq!(here.get(n..), Some("\r\nnext"));
    }

    #[test]
    fn a_resource_block_becomes_an_object_with_its_places() -> Result<()> {
        let text = "Configuration C {\n Import-DscResource -ModuleName Microsoft365DSC\n \
                    node localhost {\n  IntuneX 'a' {\n   KeySize = \"size2048\"; Count = 5\n   \
                    Tenant = $TenantId\n   Flags = @('x', 'y')\n   Inner = MSFT_Y {\n    Name = 'n'\n   }\n  }\n }\n}\n";
        let found = resources(text)?;
        let [r] = found.as_slice() else {
            return error(0, format!("{} resources", found.len()));
        };
        assert_eq!(r.name, "IntuneX");
        let key = r.body.get_string("KeySize").map(|s| s.range);
        assert_eq!(
            key.and_then(|k| text.get(k.start..k.end)),
            Some("\"size2048\"")
        );
        assert!(r.body.get("Tenant").is_none(), "a variable is not known");
        assert_eq!(
            r.body
                .get("Flags")
                .and_then(|p| p.value.as_array())
                .map(|a| a.elements.len()),
            Some(2)
        );
        assert!(
            r.body
                .get("Inner")
                .and_then(|p| p.value.as_object())
                .and_then(|o| o.get_string("Name"))
                .is_some()
        );
        Ok(())
    }

    #[test]
    fn syntax_errors_are_located() {
        let unclosed = "Configuration C {\n node n {\n  IntuneX 'a' {\n   A = 'b'\n";
        assert_eq!(
            names(unclosed).map_err(|e| e.offset),
            Err(unclosed.find("{\n   A").unwrap_or_default())
        );
        let no_equals = "IntuneX 'a' {\n A 'b'\n}\n";
        let e = names(no_equals).err();
        assert_eq!(e.as_ref().map(|e| e.offset), no_equals.find("'b'"));
        // An expression is read past (its value is not known); two values in a row are an error.
        assert!(names("IntuneX 'a' {\n A = 'b' + 'c'; B = '{0}' -f 1\n C = 'd'\n}\n").is_ok());
        let two_values = "IntuneX 'a' {\n A = 'b' 'c'\n}\n";
        assert_eq!(
            names(two_values).err().map(|e| e.offset),
            two_values.find("'c'")
        );
        assert!(names("IntuneX 'a' { A = 'unterminated }").is_err());
        // A closing bracket where a value belongs (once an endless loop, found by fuzzing).
        assert!(names("IntuneX 'a' { A = @( 'x', } ) }").is_err());
        assert!(names("IntuneX 'a' { A = }").is_err());
        assert!(names("x }").is_err());
    }

    #[test]
    fn other_code_is_read_past() -> Result<()> {
        let text = "param([string]$x)\n$y = @{ a = 1 }\nif ($x) { Write-Host 'hi' }\n\
                    IntuneA 'a' { B = (Get-Thing -Name 'x')\n C = 'd' }\n";
        let found = resources(text)?;
        assert_eq!(found.len(), 1);
        assert!(found.first().and_then(|r| r.body.get("C")).is_some());
        Ok(())
    }
}
