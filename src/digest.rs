//! Digests as trustlint prints them: lower-case hex SHA-256, SHA-1 (the Windows thumbprint).

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    // Every certificate's serial, key identifiers and two digests go through here: a table
    // lookup instead of `write!("{:02x}")` per byte is a tenth of the cost.
    let mut s = String::with_capacity(bytes.len().saturating_mul(2));
    for b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            let digit = HEX_DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0');
            s.push(char::from(digit));
        }
    }
    s
}

/// SHA-256 of `bytes`, lower-case hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// SHA-1 of `bytes`, lower-case hex: what Windows calls a certificate's thumbprint.
pub(crate) fn sha1_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, bytes).as_ref())
}

/// The first 128 bits of a hex digest, for sorting digests as integers (0 if it is not hex:
/// callers compare whole digests when prefixes are equal).
pub(crate) fn prefix(hex: &str) -> u128 {
    hex.get(..32)
        .and_then(|h| u128::from_str_radix(h, 16).ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_is_lower_case_two_digits_per_byte() {
        assert_eq!(super::hex(&[0x00, 0x0f, 0xa0, 0xff, 0x5c]), "000fa0ff5c");
        assert_eq!(super::hex(&[]), "");
    }

    #[test]
    fn prefix_orders_as_the_hex_does() {
        let (a, b) = (super::sha256_hex(b"a"), super::sha256_hex(b"b"));
        assert_eq!(a.cmp(&b), super::prefix(&a).cmp(&super::prefix(&b)));
        assert_eq!(super::prefix("not hex"), 0);
        assert_eq!(super::prefix(&"f".repeat(40)), u128::MAX);
    }
}
