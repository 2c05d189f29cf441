//! GitHub Actions workflow commands (`--format github`): one `::error` / `::warning` /
//! `::notice` line per finding, which GitHub shows as an annotation on the file and line.
//!
//! Escaping follows GitHub's toolkit (`@actions/core` `command.ts`): in the message `%`, CR and
//! LF are percent-encoded; in properties also `:` and `,`.

use std::io::{self, Write};

use super::{Report, Severity};

/// Writes one workflow command per finding.
pub fn render(report: &Report, out: &mut impl Write) -> io::Result<()> {
    for f in &report.findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = vec![format!("file={}", property(&f.location.path))];
        if let Some(line) = f.location.line {
            props.push(format!("line={line}"));
            if let Some(col) = f.location.column {
                props.push(format!("col={col}"));
            }
        }
        props.push(format!(
            "title={}",
            property(&format!("{} {}: {}", f.rule_id, f.rule_name, f.title))
        ));
        let mut message = f.message.clone();
        for r in &f.related {
            let at = match r.location.line {
                Some(line) => format!("{}:{line}", r.location.path),
                None => r.location.path.to_string(),
            };
            message.push_str(&format!("\nrelated: {at}: {}", r.message));
        }
        if let Some(more) = f.related_omitted_line() {
            message.push_str(&format!("\nrelated: {more}"));
        }
        if let Some(s) = &f.symptom {
            message.push_str(&format!("\nsymptom: {}", s.describe()));
        }
        writeln!(out, "::{command} {}::{}", props.join(","), data(&message))?;
    }
    Ok(())
}

/// Escapes a command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_actions_toolkit_does() {
        assert_eq!(data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
