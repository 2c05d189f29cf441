//! GitHub code scanning's `primaryLocationLineHash`: the partial fingerprint GitHub itself uses
//! to follow an alert from one analysis to the next. Computed as the CodeQL Action computes it
//! for uploads that lack it (`fingerprints.ts` in github/codeql-action): a rolling hash of the
//! first 100 characters from the start of each line, spaces and tabs skipped, line ends
//! normalised to `\n`, the text read as UTF-16 code units of the file decoded as UTF-8 (invalid
//! bytes as U+FFFD, as Node decodes them), a 65535 after the last character and zeros beyond;
//! then `<hash in hex>:<how many earlier lines had the same hash, plus one>`.
//!
//! trustlint writes it itself so a binary file's result (a `.cer` has no lines GitHub could
//! hash for it) and a text file's carry the same kind of key GitHub would compute, and an alert
//! follows its certificate when the file moves.

/// Characters of a line the hash covers.
const BLOCK_SIZE: usize = 100;
/// The hash's base.
const MOD: i64 = 37;
/// What the hash reads after the last character of the file.
const END_OF_FILE: u16 = 0xFFFF;

/// The `primaryLocationLineHash` of every line of `bytes`, line 1 first.
pub fn line_hashes(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut hasher = Hasher::new();
    for unit in text.encode_utf16() {
        hasher.character(unit);
    }
    hasher.character(END_OF_FILE);
    hasher.flush();
    let mut by_line: Vec<(u32, String)> = hasher.out;
    by_line.sort_by_key(|(line, _)| *line);
    by_line.into_iter().map(|(_, h)| h).collect()
}

/// The rolling state: a window of the last `BLOCK_SIZE` characters and, for each, the line it
/// starts (0 for none).
struct Hasher {
    window: [u16; BLOCK_SIZE],
    line_starts: [u32; BLOCK_SIZE],
    hash: i64,
    /// `MOD` to the power `BLOCK_SIZE`, wrapping as the 64-bit arithmetic of the original does.
    first_mod: i64,
    index: usize,
    line: u32,
    at_line_start: bool,
    after_cr: bool,
    counts: std::collections::HashMap<u64, u32>,
    out: Vec<(u32, String)>,
}

impl Hasher {
    fn new() -> Self {
        let mut first_mod: i64 = 1;
        for _ in 0..BLOCK_SIZE {
            first_mod = first_mod.wrapping_mul(MOD);
        }
        Hasher {
            window: [0; BLOCK_SIZE],
            line_starts: [0; BLOCK_SIZE],
            hash: 0,
            first_mod,
            index: 0,
            line: 0,
            at_line_start: true,
            after_cr: false,
            counts: std::collections::HashMap::new(),
            out: Vec::new(),
        }
    }

    /// Emits the hash of the line whose first character leaves the window now.
    fn emit(&mut self) {
        let Some(&line) = self.line_starts.get(self.index) else {
            return;
        };
        // The value as an unsigned 64-bit number, in lower-case hex.
        let value = self.hash as u64;
        let seen = self.counts.entry(value).or_insert(0);
        *seen += 1;
        self.out.push((line, format!("{value:x}:{seen}")));
        if let Some(slot) = self.line_starts.get_mut(self.index) {
            *slot = 0;
        }
    }

    fn update(&mut self, unit: u16) {
        let Some(slot) = self.window.get_mut(self.index) else {
            return;
        };
        let leaving = *slot;
        *slot = unit;
        self.hash = MOD
            .wrapping_mul(self.hash)
            .wrapping_add(i64::from(unit))
            .wrapping_sub(self.first_mod.wrapping_mul(i64::from(leaving)));
        self.index = (self.index + 1) % BLOCK_SIZE;
    }

    fn character(&mut self, unit: u16) {
        const TAB: u16 = b'\t' as u16;
        const SPACE: u16 = b' ' as u16;
        const LF: u16 = b'\n' as u16;
        const CR: u16 = b'\r' as u16;
        if unit == SPACE || unit == TAB || (self.after_cr && unit == LF) {
            self.after_cr = false;
            return;
        }
        let unit = if unit == CR {
            self.after_cr = true;
            LF
        } else {
            self.after_cr = false;
            unit
        };
        if self.line_starts.get(self.index).is_some_and(|&l| l != 0) {
            self.emit();
        }
        if self.at_line_start {
            self.at_line_start = false;
            self.line += 1;
            if let Some(slot) = self.line_starts.get_mut(self.index) {
                *slot = self.line;
            }
        }
        if unit == LF {
            self.at_line_start = true;
        }
        self.update(unit);
    }

    /// Emits the lines still in the window, reading zeros past the end.
    fn flush(&mut self) {
        for _ in 0..BLOCK_SIZE {
            if self.line_starts.get(self.index).is_some_and(|&l| l != 0) {
                self.emit();
            }
            self.update(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::line_hashes;

    /// The CodeQL Action's own test vectors (`src/fingerprints.test.ts` in github/codeql-action):
    /// indentation and every line-end convention hash alike; repeated lines are counted.
    #[test]
    fn hashes_match_the_codeql_action_test_vectors() -> Result<(), String> {
        let expect = |text: &str, want: &[&str]| -> Result<(), String> {
            let got = line_hashes(text.as_bytes());
            if got == want {
                Ok(())
            } else {
                Err(format!("{text:?}: {got:?} != {want:?}"))
            }
        };
        expect("", &["c129715d7a2bc9a3:1"])?;
        expect(
            " a\nb\n  \t\tc\n d",
            &[
                "271789c17abda88f:1",
                "54703d4cd895b18:1",
                "180aee12dab6264:1",
                "a23a3dc5e078b07b:1",
            ],
        )?;
        expect(
            " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
            &[
                "8b7cf3e952e7aeb2:1",
                "b1ae1287ec4718d9:1",
                "bff680108adb0fcc:1",
                "c6805c5e1288b612:1",
                "b86d3392aea1be30:1",
                "e6ceba753e1a442:1",
            ],
        )?;
        let ended = [
            "e9496ae3ebfced30:1",
            "fb7c023a8b9ccb3f:1",
            "ce8ba1a563dcdaca:1",
            "e20e36e16fcb0cc8:1",
            "b3edc88f2938467e:1",
            "c8e28b0b4002a3a0:1",
            "c129715d7a2bc9a3:1",
        ];
        for text in [
            " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
            " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
            " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
            " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
        ] {
            expect(text, &ended)?;
        }
        expect(
            &"Lorem ipsum dolor sit amet.\n".repeat(10),
            &[
                "a7f2ff13bc495cf2:1",
                "a7f2ff13bc495cf2:2",
                "a7f2ff13bc495cf2:3",
                "a7f2ff13bc495cf2:4",
                "a7f2ff13bc495cf2:5",
                "a7f2ff13bc495cf2:6",
                "a7f2ff1481e87703:1",
                "a9cf91f7bbf1862b:1",
                "55ec222b86bcae53:1",
                "cc97dc7b1d7d8f7b:1",
                "c129715d7a2bc9a3:1",
            ],
        )
    }
}
