//! What a file claims to be: each format's own sniff, tried in a fixed order on the content,
//! then the file name's extension when no format recognises the content. `None`: not ours,
//! listed as read and skipped (never judged).

use super::{der, intune, pem, powershell_profile, profile_xml, registry, text};

/// What a file claims to be. Decided by content when the content says, else by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// A DER-encoded ASN.1 structure: certificate, CRL, PKCS#7 or PKCS#12.
    Der,
    /// PEM armour: any mix of certificates, CRLs, PKCS#7 and keys.
    Pem,
    /// A Windows registry export (`.reg`).
    Registry,
    /// XML holding an Always On VPN ProfileXML or an EAP configuration, plain or escaped inside
    /// another document (MDM SyncML, a PowerShell export).
    Xml,
    /// Microsoft Graph JSON from Intune (`@odata.type` `#microsoft.graph.…`).
    Json,
    /// A PowerShell script that assigns a ProfileXML (`VPN_Profile.ps1` from MakeProfile).
    PowerShell,
}

impl FileKind {
    /// The lower-case name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Der => "DER",
            FileKind::Pem => "PEM",
            FileKind::Registry => "registry export",
            FileKind::Xml => "XML",
            FileKind::Json => "JSON",
            FileKind::PowerShell => "PowerShell script",
        }
    }
}

/// PEM armour may follow text such as OpenSSL's "Bag Attributes"; text formats show themselves
/// within this many bytes.
const SNIFF_WINDOW: usize = 64 * 1024;

/// Decides what `bytes` (the file's content) is, looking at the content first and at the file
/// name's extension only when the content is not recognised.
pub(crate) fn sniff(bytes: &[u8], file_name: &str) -> Option<FileKind> {
    if let Some(kind) = sniff_content(bytes) {
        return Some(kind);
    }
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "cer" | "crt" | "der" | "crl" | "p7b" | "p7c" | "pfx" | "p12" => Some(FileKind::Der),
        "pem" | "key" => Some(FileKind::Pem),
        "reg" => Some(FileKind::Registry),
        _ => None,
    }
}

fn sniff_content(bytes: &[u8]) -> Option<FileKind> {
    // A file that starts with a printable ASCII byte decodes to text that starts with it: then
    // the header checks need no decoding, and binary files (DER starts with 0x30, '0') are not
    // decoded at all. A BOM, UTF-16 or leading white space takes the decoding path.
    let plain_start = bytes.first().copied().filter(u8::is_ascii_graphic);
    if registry::sniff(bytes, plain_start.is_some()) {
        return Some(FileKind::Registry);
    }
    if plain_start.is_none_or(|b| matches!(b, b'<' | b'{' | b'[')) {
        let head = text::head(bytes, SNIFF_WINDOW);
        let head = head.trim_start();
        if profile_xml::sniff(head) {
            return Some(FileKind::Xml);
        }
        if intune::sniff(head) {
            return Some(FileKind::Json);
        }
        if powershell_profile::sniff(head) {
            return Some(FileKind::PowerShell);
        }
    }
    if pem::sniff(bytes.get(..SNIFF_WINDOW).unwrap_or(bytes)) {
        return Some(FileKind::Pem);
    }
    if der::sniff(bytes) {
        return Some(FileKind::Der);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_wins_over_extension() {
        assert_eq!(
            sniff(b"-----BEGIN CERTIFICATE-----\n", "x.cer"),
            Some(FileKind::Pem)
        );
        assert_eq!(sniff(b"REGEDIT4\r\n", "x.txt"), Some(FileKind::Registry));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "Windows Registry Editor Version 5.00"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert_eq!(sniff(&utf16, "snap.dat"), Some(FileKind::Registry));
        let mut der = vec![0x30, 0x82, 0x01, 0x00];
        der.resize(4 + 256, 0);
        assert_eq!(sniff(&der, "blob"), Some(FileKind::Der));
        assert_eq!(
            sniff(&[0x30, 0x80, 0x02, 0x01, 0x00], "ber"),
            Some(FileKind::Der)
        );
        assert_eq!(
            sniff("0€ text".as_bytes(), "notes"),
            None,
            "text starting with 0 is not DER"
        );
        assert_eq!(
            sniff(&[0x30, 0x82, 0x01, 0x00], "cut.bin"),
            None,
            "declared length beyond the file"
        );
    }

    #[test]
    fn extension_decides_unrecognised_content_and_unknown_is_skipped() {
        assert_eq!(sniff(b"", "empty.cer"), Some(FileKind::Der));
        assert_eq!(sniff(b"garbage", "x.reg"), Some(FileKind::Registry));
        assert_eq!(sniff(b"# readme", "README.md"), None);
        assert_eq!(sniff(&[0x30, 0x03, 0x01], "odd.bin"), None);
        assert_eq!(
            sniff(
                b"{\"pem\": \"-----BEGIN CERTIFICATE-----\\nMII\"}",
                "x.json"
            ),
            None
        );
    }
}
