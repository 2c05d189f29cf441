//! Rule and field documentation as text: `trustlint rules`, `trustlint explain`, `trustlint
//! fields`. Everything comes from the rule YAML and the field registry.

use std::fmt::Write;

use super::fields::{Scope, fields};
use super::rule::Rule;

/// One line per rule: id, name, severity, title.
pub fn catalogue(rules: &[Rule]) -> String {
    let mut out = String::new();
    for r in rules {
        let _ = writeln!(
            out,
            "{:<7} {:<36} {:<8} {}",
            r.id,
            r.name,
            r.severity.name(),
            r.title
        );
    }
    out
}

/// The rule named by `query` (id or name, case-insensitive).
pub fn find<'r>(rules: &'r [Rule], query: &str) -> Option<&'r Rule> {
    rules
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(query) || r.name.eq_ignore_ascii_case(query))
}

/// Rules whose symptom carries the number in `query` (`853`, `reason 258`, `event 6273`, an
/// HRESULT as hex `0x80092013` or as the negative decimal Windows logs, `-2146885613`); for a
/// query without a code, the rules whose symptom or title holds every word of it (`no
/// certificate is issued`, `prompted`): what an admin sees when nothing logs a number.
pub fn by_symptom<'r>(rules: &'r [Rule], query: &str) -> Vec<&'r Rule> {
    let Some(code) = query.split_whitespace().last().and_then(parse_code) else {
        return by_symptom_text(rules, query);
    };
    let q = query.to_ascii_lowercase();
    // How a symptom's text may write the code: decimal, 0x-hex, negative decimal (RasClient
    // event 20227 logs HRESULTs that way).
    let spellings = [
        code.to_string(),
        format!("0x{code:08x}"),
        i32::from_ne_bytes(code.to_ne_bytes()).to_string(),
    ];
    rules
        .iter()
        .filter(|r| {
            r.symptom.as_ref().is_some_and(|s| {
                let reason = s.nps_reason == Some(code);
                let event = [s.nps_event, s.rasclient_event, s.kdc_event].contains(&Some(code));
                let client = s.client_error == Some(code);
                let other = s.other.as_deref().is_some_and(|o| {
                    let o = o.to_ascii_lowercase();
                    o.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                        .any(|w| spellings.iter().any(|s| s == w))
                });
                if q.starts_with("reason") {
                    reason
                } else if q.starts_with("event") {
                    event
                } else {
                    reason || event || client || other
                }
            })
        })
        .collect()
}

/// Words shorter than three letters (`a`, `is`, `to`) say nothing about a symptom.
const MIN_SYMPTOM_WORD: usize = 3;

/// The rules whose symptom text or title holds every word of `query` of three letters or more,
/// case ignored; none when the query has no such word.
fn by_symptom_text<'r>(rules: &'r [Rule], query: &str) -> Vec<&'r Rule> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= MIN_SYMPTOM_WORD)
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    rules
        .iter()
        .filter(|r| {
            let text = format!(
                "{} {}",
                r.symptom
                    .as_ref()
                    .and_then(|s| s.other.as_deref())
                    .unwrap_or_default(),
                r.title
            )
            .to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .collect()
}

/// A symptom code as written: decimal, `0x` hex, or a negative decimal HRESULT.
fn parse_code(word: &str) -> Option<u32> {
    let w = word.trim().to_ascii_lowercase();
    if let Some(hex) = w.strip_prefix("0x") {
        return u32::from_str_radix(hex, 16).ok();
    }
    if w.starts_with('-') {
        return w
            .parse::<i32>()
            .ok()
            .map(|i| u32::from_ne_bytes(i.to_ne_bytes()));
    }
    w.parse().ok()
}

/// A rule's full documentation.
pub fn explain(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {}: {}", rule.id, rule.name, rule.title);
    let scopes: Vec<&str> = rule.scopes.iter().map(|s| s.name()).collect();
    let _ = writeln!(
        out,
        "severity: {}   scope: {}   tags: {}",
        rule.severity.name(),
        scopes.join(", "),
        rule.tags.join(", ")
    );
    if let Some(s) = &rule.symptom {
        let _ = writeln!(out, "symptom: {}", s.describe());
    }
    let _ = writeln!(out, "\nWhy it matters\n{}", indent(&rule.why));
    let _ = writeln!(out, "How to fix\n{}", indent(&rule.fix));
    let _ = writeln!(out, "References");
    for r in &rule.references {
        let _ = writeln!(out, "  - {r}");
    }
    let _ = writeln!(out, "\nDefined in {}", rule.origin);
    out
}

fn indent(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("  {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Every field of every scope with its type and meaning.
pub fn fields_doc() -> String {
    let mut out = String::new();
    for &scope in Scope::ALL {
        let _ = writeln!(out, "scope: {}", scope.name());
        for f in fields(scope) {
            let name = if scope == Scope::Bundle {
                format!("bundle.{}", f.name)
            } else {
                f.name.to_owned()
            };
            let place = if f.at.is_some() { " [at]" } else { "" };
            let _ = writeln!(
                out,
                "  {:<42} {:<22} {}{place}",
                name,
                f.ty.describe(),
                f.doc
            );
        }
        out.push('\n');
    }
    out.push_str("Bundle fields can be used from every scope with the `bundle.` prefix.\n");
    out.push_str("An entity field (type = a scope name) is followed by a dot and a field of that scope: issuer.key.bits.\n");
    out.push_str("[at]: the field has a place in its file; a rule's `at:` may name it to point its findings there.\n");
    out
}

/// Every field of every scope as Markdown (`docs/fields.md`): the contract for rule authors,
/// generated from the field tables, so review sees every added, renamed or retyped field.
pub fn fields_markdown() -> String {
    let mut out = String::from(
        "# trustlint fields\n\n<!-- Generated from the field tables (src/engine/fields/) by `TRUSTLINT_UPDATE_DOCS=1 cargo test --test main docs::`; do not edit. -->\n\n",
    );
    out.push_str("What a rule's `when`, `message`, `related` and `at` may name, scope by scope (`trustlint fields` prints the same). Bundle fields can be used from every scope with the `bundle.` prefix. An entity field (its type a scope name) is followed by a dot and a field of that scope: `issuer.key.bits`. **at**: the field has a place in its file, so a rule's `at:` may name it to point its findings there.\n");
    for &scope in Scope::ALL {
        let _ = write!(
            out,
            "\n## `{}`\n\n| field | type | at | meaning |\n|---|---|---|---|\n",
            scope.name()
        );
        for f in fields(scope) {
            let name = if scope == Scope::Bundle {
                format!("bundle.{}", f.name)
            } else {
                f.name.to_owned()
            };
            let _ = writeln!(
                out,
                "| `{name}` | {} | {} | {} |",
                f.ty.describe().replace('<', "&lt;").replace('>', "&gt;"),
                if f.at.is_some() { "yes" } else { "" },
                f.doc.replace('|', "\\|")
            );
        }
    }
    out
}

/// The rule catalogue as Markdown (`docs/rules.md`), generated from the rule files only.
pub fn markdown(rules: &[Rule]) -> String {
    let mut out = String::from(
        "# trustlint rules\n\n<!-- Generated from rules/**/*.yaml by `TRUSTLINT_UPDATE_DOCS=1 cargo test --test main docs::`; do not edit. -->\n\n",
    );
    out.push_str("| id | name | severity | title |\n|---|---|---|---|\n");
    for r in rules {
        let _ = writeln!(
            out,
            "| {} | [{}](#{}) | {} | {} |",
            r.id,
            r.name,
            r.name,
            r.severity.name(),
            r.title
        );
    }
    for r in rules {
        out.push('\n');
        out.push_str(&rule_markdown(r, "##"));
    }
    out
}

/// One rule's documentation as Markdown, its title at heading level `h` (`#`, `##`): the section
/// of `docs/rules.md`, the SARIF `help.markdown`.
pub fn rule_markdown(r: &Rule, h: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{h} {}\n\n**{}** · {} · severity `{}` · scope `{}`\n",
        r.name,
        r.id,
        r.title,
        r.severity.name(),
        r.scopes
            .iter()
            .map(|s| s.name())
            .collect::<Vec<_>>()
            .join("`, `")
    );
    if r.security_severity.is_some() || r.precision != super::Precision::High {
        let mut parts = Vec::new();
        if let Some(s) = r.security_severity {
            parts.push(format!("security severity `{s:.1}`"));
        }
        parts.push(format!("precision `{}`", r.precision.name()));
        let _ = writeln!(out, "{}\n", parts.join(" · "));
    }
    if let Some(s) = &r.symptom {
        let _ = writeln!(out, "**Windows symptom:** {}\n", s.describe());
    }
    // Overrides that change the symptom (a Wi-Fi or wired profile rather than a VPN), once each.
    let mut shown: Vec<String> = Vec::new();
    for o in r.programs.iter().flat_map(|p| &p.overrides) {
        if let Some(s) = &o.symptom {
            let text = s.describe();
            if !shown.contains(&text) {
                let _ = writeln!(
                    out,
                    "**Windows symptom, where an override applies:** {text}\n"
                );
                shown.push(text);
            }
        }
    }
    let _ = writeln!(out, "{h}# Why it matters\n\n{}\n", r.why.trim_end());
    let _ = writeln!(out, "{h}# How to fix\n\n{}\n", r.fix.trim_end());
    let _ = writeln!(out, "{h}# References\n");
    for link in &r.references {
        let _ = writeln!(out, "- <{link}>");
    }
    let _ = writeln!(
        out,
        "\nDefined in `{}`; fixtures in `testdata/rules/{}/`.",
        r.origin, r.name
    );
    out
}

/// The page `trustlint explain RULE` prints: a built-in rule's generated `docs/rules/<name>.md`
/// (embedded at build time, kept in step by a test), else the rule's Markdown.
pub fn page(r: &Rule) -> String {
    let file = format!("{}.md", r.name);
    super::rule::BUILTIN_RULE_PAGES
        .iter()
        .find(|(path, _)| r.origin.starts_with("rules/") && *path == file)
        .map_or_else(|| rule_markdown(r, "#"), |(_, text)| (*text).to_owned())
}

/// What a reporter needs to know of a rule.
pub fn rule_doc(r: &Rule) -> crate::report::RuleDoc {
    crate::report::RuleDoc {
        id: r.id.clone(),
        name: r.name.clone(),
        title: r.title.clone(),
        severity: r.severity,
        tags: r.tags.clone(),
        security_severity: r.security_severity,
        precision: r.precision.name(),
        why: r.why.clone(),
        help_text: explain(r),
        help_markdown: rule_markdown(r, "#"),
        help_uri: None,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_code;

    #[test]
    fn symptom_codes_are_read_as_windows_writes_them() {
        assert_eq!(parse_code("853"), Some(853));
        assert_eq!(parse_code("0x80092013"), Some(0x8009_2013));
        assert_eq!(parse_code("0X800B0101"), Some(0x800B_0101));
        // RasClient event 20227 logs the HRESULT as a negative decimal.
        assert_eq!(parse_code("-2146885613"), Some(0x8009_2013));
        assert_eq!(parse_code("reason"), None);
    }
}
