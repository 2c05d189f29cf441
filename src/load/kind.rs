//! What a file claims to be: each format's own sniff, tried in a fixed order on the content,
//! then the file name's extension when no format recognises the content. `None`: not ours,
//! listed as read and skipped (never judged).

use super::{
    der, dsc, intune, intune_yaml, nps_export, pem, powershell_profile, profile_xml, registry,
    rras_output, text,
};

/// What a file claims to be. Decided by content when the content says, else by extension.
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
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
    /// A Microsoft365DSC configuration (`.ps1`) declaring Intune resources.
    Dsc,
    /// Microsoft Graph objects written as YAML (an IntuneCD backup, `-o yaml`).
    Yaml,
    /// An NPS configuration export (`netsh nps export`, `Export-NpsConfiguration`, `ias.xml`).
    NpsExport,
    /// RRAS settings as PowerShell prints them (`Get-VpnAuthProtocol`, `CertAuthFlags`).
    RrasOutput,
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
            FileKind::Dsc => "Microsoft365DSC configuration",
            FileKind::Yaml => "YAML",
            FileKind::NpsExport => "NPS configuration export",
            FileKind::RrasOutput => "RRAS settings (PowerShell output)",
        }
    }
}

/// PEM armour may follow text such as OpenSSL's "Bag Attributes"; text formats show themselves
/// within this many bytes.
pub(crate) const SNIFF_WINDOW: usize = 64 * 1024;

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
    // Text formats start with markup, a bracket, a quote, a comment or a word; DER ('0') and
    // PEM ('-') do not, and are not decoded here.
    if plain_start.is_none_or(|b| {
        matches!(b, b'<' | b'{' | b'[' | b'#' | b'$' | b'\'' | b'"') || b.is_ascii_alphabetic()
    }) {
        let head = text::head(bytes, SNIFF_WINDOW);
        let head = head.trim_start();
        if unsupported(head).is_some() {
            return None;
        }
        if nps_export::sniff(head) {
            return Some(FileKind::NpsExport);
        }
        if rras_output::sniff(head) {
            return Some(FileKind::RrasOutput);
        }
        if profile_xml::sniff(head) {
            return Some(FileKind::Xml);
        }
        // A profile may sit deep in a large XML document (a SyncML batch, an export with a long
        // preamble): its marker is looked for in the whole file, once.
        if head.starts_with('<')
            && bytes.len() > SNIFF_WINDOW
            && profile_xml::sniff(text::head(bytes, bytes.len()).trim_start())
        {
            return Some(FileKind::Xml);
        }
        if intune::sniff(head) {
            return Some(FileKind::Json);
        }
        if dsc::sniff(head) {
            return Some(FileKind::Dsc);
        }
        if powershell_profile::sniff(head) {
            return Some(FileKind::PowerShell);
        }
        if intune_yaml::sniff(head) {
            return Some(FileKind::Yaml);
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

/// The name of a format trustlint recognises and does not read, when `bytes` look like one: the
/// note a user gets instead of silence.
pub(crate) fn unsupported_format(bytes: &[u8]) -> Option<&'static str> {
    unsupported(text::head(bytes, SNIFF_WINDOW).trim_start())
}

/// [`unsupported_format`] of a decoded head. Checked before the formats trustlint reads: console
/// output holds a ProfileXML that the XML sniff would otherwise claim, and then fail on.
fn unsupported(head: &str) -> Option<&'static str> {
    let lower = head.to_ascii_lowercase();
    if lower.contains("__class") && lower.contains("mdm_vpnv2_01") {
        // What `Get-CimInstance`/`Get-WmiObject -Class MDM_VPNv2_01` prints: the ProfileXML is
        // wrapped at the console's width, so it cannot be read back reliably.
        Some("PowerShell console output of the MDM_VPNv2_01 WMI class")
    } else {
        None
    }
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
    fn a_profile_past_the_sniff_window_is_still_found() {
        let mut xml = String::from("<?xml version=\"1.0\"?>\n<SyncML>\n<!--");
        xml.push_str(&"padding ".repeat(SNIFF_WINDOW / 8 + 16));
        xml.push_str("-->\n<Data><VPNProfile/></Data></SyncML>\n");
        assert_eq!(sniff(xml.as_bytes(), "batch.xml"), Some(FileKind::Xml));
        let other = xml.replace("<VPNProfile/>", "<Other/>");
        assert_eq!(sniff(other.as_bytes(), "batch.xml"), None);
    }

    #[test]
    fn known_formats_are_named_and_prose_about_them_is_not() {
        let console = "\r\n__GENUS          : 2\r\n__CLASS          : MDM_VPNv2_01\r\nProfileXML : <VPNProfile>";
        assert_eq!(
            unsupported_format(console.as_bytes()),
            Some("PowerShell console output of the MDM_VPNv2_01 WMI class")
        );
        let nps = "<?xml version=\"1.0\"?>\n<Root xmlns:dt=\"urn:schemas-microsoft-com:datatypes\">\n<Children>\n<Microsoft_Internet_Authentication_Service name=\"Microsoft_Internet_Authentication_Service\">";
        assert_eq!(unsupported_format(nps.as_bytes()), None);
        assert_eq!(
            sniff(nps.as_bytes(), "NPS01_npsconfig.txt"),
            Some(FileKind::NpsExport),
            "read by content, whatever the name"
        );
        let prose =
            "# Notes\nThe export holds <Root> and Microsoft_Internet_Authentication_Service.\n";
        assert_eq!(unsupported_format(prose.as_bytes()), None);
        assert_eq!(sniff(prose.as_bytes(), "notes.md"), None);
        assert_eq!(
            sniff(console.as_bytes(), "vpn.txt"),
            None,
            "skipped, not read"
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
