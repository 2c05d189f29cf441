//! A rule's regular expression (`match:`): checked when the rule is read, compiled when a scan
//! first evaluates it. Compiling the built-in rules' 18 case-insensitive patterns was a fifth of
//! rule loading, a cost every run paid at start-up, while a scan of a few files reaches few of
//! them.

use std::sync::OnceLock;

use regex::Regex;

/// Patterns this long, or with a counted repetition (`{n}`), are compiled when read: they are
/// the ones that can exceed the compiled-size limit, which parsing alone does not see, and a
/// rule that cannot run must fail when it is loaded, not match nothing in silence.
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
        if text.len() > COMPILE_EAGERLY_ABOVE || text.contains('{') {
            let re = Regex::new(text).map_err(|e| e.to_string())?;
            let _ = compiled.set(Some(re));
        } else {
            // The error regex::Regex::new gives for bad syntax is this parser's.
            regex_syntax::Parser::new()
                .parse(text)
                .map_err(|e| e.to_string())?;
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
        Ok(())
    }
}
