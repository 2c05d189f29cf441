//! A rule's regular expression (`match:`): checked when the rule is read, compiled when a scan
//! first evaluates it. Compiling the built-in rules' 18 case-insensitive patterns was a fifth of
//! rule loading, a cost every run paid at start-up, while a scan of a few files reaches few of
//! them.

use std::sync::OnceLock;

use regex::Regex;

/// Patterns this long, or with a counted repetition (`{n}`, `{n,m}`), are compiled when read:
/// they are the ones that can exceed the compiled-size limit, which parsing alone does not see,
/// and a rule that cannot run must fail when it is loaded, not match nothing in silence.
const COMPILE_EAGERLY_ABOVE: usize = 200;

#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    text: String,
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// Reads a pattern: its syntax checked now (the error a rule author sees), compiled now
    /// when it could be too large to compile, else on first use.
    pub(crate) fn new(text: &str) -> Result<Pattern, String> {
        let compiled = OnceLock::new();
        // The error regex::Regex::new gives for bad syntax is this parser's.
        let hir = regex_syntax::Parser::new()
            .parse(text)
            .map_err(|e| e.to_string())?;
        if text.len() > COMPILE_EAGERLY_ABOVE || counts_repetitions(&hir) {
            let re = Regex::new(text).map_err(|e| e.to_string())?;
            let _ = compiled.set(Some(re));
        }
        Ok(Pattern {
            text: text.to_owned(),
            compiled,
        })
    }

    /// Whether `s` matches.
    pub(crate) fn is_match(&self, s: &str) -> bool {
        // A pattern that got past `new` compiles (parsed, and small enough); `None` cannot
        // arise, and would match nothing.
        self.compiled
            .get_or_init(|| Regex::new(&self.text).ok())
            .as_ref()
            .is_some_and(|re| re.is_match(s))
    }
}

/// Whether `hir` repeats something a counted number of times (`a{3}`, `a{2,}`, `a{0,9}`), not
/// only `*`, `+` or `?`. Escaped braces (`\{`) are literals and do not count. The parser bounds
/// the nesting (250 levels), and so this recursion.
fn counts_repetitions(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Repetition(r) => {
            r.min > 1 || r.max.is_some_and(|m| m > 1) || counts_repetitions(&r.sub)
        }
        HirKind::Capture(c) => counts_repetitions(&c.sub),
        HirKind::Concat(all) | HirKind::Alternation(all) => all.iter().any(counts_repetitions),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_matches_as_the_regex_does_and_bad_ones_fail_when_read() -> Result<(), String> {
        let p = Pattern::new("(?i)^ldap:")?;
        assert!(p.is_match("LDAP://x") && !p.is_match("http://x"));
        // Held in a variable: clippy checks literal patterns, and this one is bad on purpose.
        let unclosed = String::from("(?i)^ldap:(");
        let err = Pattern::new(&unclosed)
            .err()
            .ok_or("an unclosed group was accepted")?;
        let expected = Regex::new(&unclosed).err().ok_or("regex accepted it")?;
        assert_eq!(err, expected.to_string());
        // Too large to compile: refused when read, as eagerly compiled.
        assert!(Pattern::new(r"\w{1000}{1000}").is_err());
        assert!(Pattern::new(r"(?i)^(\w{2,}:)?x").is_ok_and(|p| p.compiled.get().is_some()));
        // Escaped braces are literals: compiled on first use.
        let lazy = Pattern::new(r"(?i)\{\{(DeviceName)\}\}")?;
        assert!(lazy.compiled.get().is_none());
        assert!(lazy.is_match("CN={{devicename}}") && lazy.compiled.get().is_some());
        Ok(())
    }
}
