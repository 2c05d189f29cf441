//! What the terminal can show: whether to colour the human output and how wide to draw it,
//! decided as the tools admins already use decide it (ruff, cargo, zizmor): an explicit
//! `--color` first, then `FORCE_COLOR` and `NO_COLOR` (each only when set to a non-empty value,
//! as force-color.org and no-color.org define them), then whether stdout is a terminal; the width
//! of the terminal, else `COLUMNS`, else 100.

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and the environment does not say otherwise.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The width drawn when nothing says otherwise.
pub const DEFAULT_WIDTH: usize = 100;
/// Narrower than this and a snippet cannot be drawn legibly.
const MIN_WIDTH: usize = 40;

/// Whether to colour: `choice`, then `FORCE_COLOR`, then `NO_COLOR` (`env` reads a variable),
/// then `is_terminal`.
pub fn use_color(
    choice: ColorChoice,
    is_terminal: bool,
    env: impl Fn(&str) -> Option<String>,
) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("FORCE_COLOR") => true,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto => is_terminal,
    }
}

/// The width to draw at: the terminal's (`terminal`, when stdout is one), else `COLUMNS`, else
/// [`DEFAULT_WIDTH`]; never below 40 columns.
pub fn width(terminal: Option<usize>, env: impl Fn(&str) -> Option<String>) -> usize {
    terminal
        .or_else(|| env("COLUMNS").and_then(|c| c.trim().parse().ok()))
        .unwrap_or(DEFAULT_WIDTH)
        .max(MIN_WIDTH)
}

/// The width of the terminal stdout is, when it is one.
pub fn stdout_width() -> Option<usize> {
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(terminal_size::Width(w), _)| usize::from(w))
}

#[cfg(test)]
mod tests {
    use super::{ColorChoice, DEFAULT_WIDTH, use_color, width};

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn the_flag_wins_then_force_color_then_no_color_then_the_terminal() {
        let cases = [
            (ColorChoice::Always, false, &[("NO_COLOR", "1")][..], true),
            (ColorChoice::Never, true, &[("FORCE_COLOR", "1")][..], false),
            (ColorChoice::Auto, false, &[("FORCE_COLOR", "1")][..], true),
            (ColorChoice::Auto, true, &[("NO_COLOR", "1")][..], false),
            // Set but empty is not set.
            (ColorChoice::Auto, true, &[("NO_COLOR", "")][..], true),
            (ColorChoice::Auto, false, &[("FORCE_COLOR", "")][..], false),
            (ColorChoice::Auto, true, &[][..], true),
            (ColorChoice::Auto, false, &[][..], false),
        ];
        for (choice, tty, vars, want) in cases {
            assert_eq!(
                use_color(choice, tty, env(vars)),
                want,
                "{choice:?} {tty} {vars:?}"
            );
        }
    }

    #[test]
    fn the_width_is_the_terminal_s_else_columns_else_100() {
        assert_eq!(width(Some(132), env(&[("COLUMNS", "80")])), 132);
        assert_eq!(width(None, env(&[("COLUMNS", "80")])), 80);
        assert_eq!(width(None, env(&[("COLUMNS", "wide")])), DEFAULT_WIDTH);
        assert_eq!(width(None, env(&[])), DEFAULT_WIDTH);
        assert_eq!(width(Some(10), env(&[])), 40);
    }
}
