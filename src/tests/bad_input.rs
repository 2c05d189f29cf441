//! Bad input is a finding, never a crash: each broken file gets one `unparseable-file` finding
//! naming the file and where it broke, and every other file is still scanned.

#![allow(clippy::indexing_slicing, reason = "test code")]

use super::common;

use std::fs;
use std::path::Path;

use trustlint::discover::DiscoveredFile;
use trustlint::load::{FileProblem, load_file};

const FOUNDING: &str = "testdata/scenarios/cloud-pki-aovpn";

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

fn issuing_der() -> std::io::Result<Vec<u8>> {
    fs::read(Path::new(FOUNDING).join("certs/cloud-pki/Contoso Cloud PKI Issuing CA.cer"))
}

fn utf16(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// (file name, content, text the message must contain, expected line, expected byte offset)
type Case = (
    &'static str,
    Vec<u8>,
    &'static str,
    Option<u32>,
    Option<usize>,
);

fn broken_files() -> std::io::Result<Vec<Case>> {
    let der = issuing_der()?;
    let pem_body = pem::encode(&pem::Pem::new("CERTIFICATE", der.clone()));
    let mut odd = utf16("Windows Registry Editor Version 5.00\r\n");
    odd.push(0x41);
    let odd_len = odd.len();
    let mut trailing = der.clone();
    trailing.extend_from_slice(b"JUNK");
    Ok(vec![
        (
            "truncated.cer",
            der[..700].to_vec(),
            "truncated DER",
            None,
            Some(700),
        ),
        ("empty.cer", Vec::new(), "empty file", None, Some(0)),
        (
            "trailing.cer",
            trailing,
            "4 bytes of trailing data",
            None,
            Some(der.len()),
        ),
        (
            "garbage.crt",
            b"\x30\x82\xff\xffnot asn1 at all".to_vec(),
            "truncated DER",
            None,
            None,
        ),
        (
            "bad-base64.pem",
            format!("# chain\n{}", pem_body.replace("MII", "M!I")).into_bytes(),
            "does not decode",
            Some(2),
            None,
        ),
        (
            "empty-block.pem",
            b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n".to_vec(),
            "is empty",
            Some(1),
            None,
        ),
        (
            "no-end.pem",
            b"\n\n-----BEGIN CERTIFICATE-----\nMIIB\n".to_vec(),
            "no matching END",
            Some(3),
            None,
        ),
        (
            "no-blocks.pem",
            b"just text\n".to_vec(),
            "no PEM block found",
            Some(1),
            None,
        ),
        (
            "odd.reg",
            odd,
            "odd number of bytes",
            None,
            Some(odd_len - 1),
        ),
        (
            "unterminated.reg",
            utf16(
                "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"Name\"=\"open\r\n",
            ),
            "unterminated string",
            Some(4),
            None,
        ),
        (
            "no-header.reg",
            b"[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n".to_vec(),
            "missing registry header",
            Some(1),
            None,
        ),
        (
            "broken-profile.xml",
            b"<VPNProfile>\n  <NativeProfile>\n    <Servers>vpn.contoso.com</Servers>\n  </NativeProfil>\n</VPNProfile>\n".to_vec(),
            "invalid XML",
            Some(4),
            None,
        ),
        (
            "escaped-broken.xml",
            b"<SyncML>\n<Data>&lt;VPNProfile&gt;\n&lt;NativeProfile&gt;&lt;/VPNProfile&gt;</Data>\n</SyncML>\n".to_vec(),
            "invalid XML in escaped text",
            Some(3),
            None,
        ),
        (
            "entity-bomb.xml",
            b"<!DOCTYPE VPNProfile [<!ENTITY a \"aaaaaaaaaa\">]>\n<VPNProfile>&a;</VPNProfile>\n".to_vec(),
            "invalid XML",
            Some(1),
            None,
        ),
        (
            "broken.json",
            b"{\n  \"@odata.type\": \"#microsoft.graph.windows81SCEPCertificateProfile\",\n  \"keySize\": size2048\n}\n".to_vec(),
            "invalid JSON",
            Some(3),
            None,
        ),
        (
            "bad-base64.json",
            b"{\n  \"@odata.type\": \"#microsoft.graph.windows81TrustedRootCertificate\",\n  \"trustedRootCertificate\": \"MIIB!!\"\n}\n".to_vec(),
            "trustedRootCertificate is not valid base64",
            Some(3),
            None,
        ),
        (
            "bad-dword.reg",
            b"REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"D\"=dword:xyz\r\n".to_vec(),
            "dword value is not hex",
            Some(4),
            None,
        ),
    ])
}

#[test]
fn each_broken_file_gets_one_precise_finding_and_the_rest_is_still_scanned() -> TestResult {
    let dir = tempfile::tempdir()?;
    // A healthy bundle beside the broken files: its finding must be unchanged.
    common::copy_tree(FOUNDING, dir.path());
    let cases = broken_files()?;
    fs::create_dir_all(dir.path().join("broken"))?;
    for (name, bytes, ..) in &cases {
        fs::write(dir.path().join("broken").join(name), bytes)?;
    }
    let report = common::scan(dir.path());
    for (name, _, text, line, offset) in &cases {
        let hits: Vec<_> = report
            .findings
            .iter()
            .filter(|f| {
                f.location.path.ends_with(&format!("broken/{name}"))
                    && &*f.rule_name == "unparseable-file"
            })
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "{name}: {:?}",
            hits.iter().map(|f| &f.message).collect::<Vec<_>>()
        );
        let f = hits[0];
        assert!(f.message.contains(text), "{name}: {}", f.message);
        assert!(
            f.message.contains(name),
            "{name}: the message names the file: {}",
            f.message
        );
        if let Some(line) = line {
            assert_eq!(f.location.line, Some(*line), "{name}: {}", f.message);
        }
        if let Some(offset) = offset {
            assert_eq!(f.location.byte_offset, *offset, "{name}: {}", f.message);
        }
    }
    // The human report shows the broken line of a text file, its value blanked: a line that
    // does not parse may hold a secret under any name.
    let text = common::human(&report);
    assert!(text.contains("\"Name\"=*****"), "{text}");
    assert!(!text.contains("\"Name\"=\"open"), "{text}");
    let founding: Vec<_> = report
        .findings
        .iter()
        .filter(|f| &*f.rule_name == "issuing-ca-without-cdp")
        .collect();
    assert_eq!(founding.len(), 1);
    let nps: Vec<_> = founding[0]
        .related
        .iter()
        .filter(|r| r.message.starts_with("NPS host"))
        .collect();
    assert_eq!(nps.len(), 2);
    Ok(())
}

#[test]
fn cut_and_flipped_fixtures_never_panic_a_loader() -> TestResult {
    // Every committed fixture, cut at a spread of lengths and with bytes flipped: each result
    // either parses or carries a problem. A panic fails the test.
    let files: Vec<_> = walkdir::WalkDir::new("testdata")
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    assert!(files.len() > 50);
    let dir = tempfile::tempdir()?;
    let mut checked = 0usize;
    for path in files {
        let bytes = fs::read(&path)?;
        let name = path
            .file_name()
            .ok_or("a walked file has a name")?
            .to_string_lossy()
            .into_owned();
        let step = (bytes.len() / 24).max(1);
        let mut variants: Vec<Vec<u8>> = (0..bytes.len())
            .step_by(step)
            .map(|n| bytes[..n].to_vec())
            .collect();
        for i in (0..bytes.len()).step_by(step) {
            let mut v = bytes.clone();
            v[i] ^= 0x5A;
            variants.push(v);
        }
        for v in variants {
            let target = dir.path().join(&name);
            fs::write(&target, &v)?;
            let file = DiscoveredFile {
                display: name.clone().into(),
                fs_path: target,
                explicit: false,
            };
            let loaded = load_file(&file, 1 << 20);
            if loaded.kind.is_some() {
                assert!(
                    !loaded.artifacts.is_empty()
                        || matches!(loaded.problem, Some(FileProblem::Unparseable(_))),
                    "{name}: neither artifacts nor a problem"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 2000, "only {checked} variants");
    Ok(())
}

#[test]
fn a_file_that_cannot_be_read_is_a_problem_not_a_crash() {
    // A file that vanished between the walk and the read (as an unreadable one would fail).
    let file = DiscoveredFile {
        display: "gone/issuing.cer".into(),
        fs_path: "testdata/does-not-exist/issuing.cer".into(),
        explicit: false,
    };
    let loaded = load_file(&file, 1 << 20);
    let Some(FileProblem::Unparseable(e)) = loaded.problem else {
        panic!("{:?}", loaded.problem)
    };
    assert!(
        e.message().starts_with("cannot read file:"),
        "{}",
        e.message()
    );
    assert_eq!(&*e.location.path, "gone/issuing.cer");
}

#[test]
fn a_thumbprint_that_is_not_one_is_a_precise_rule_finding() -> TestResult {
    let dir = tempfile::tempdir()?;
    let xml = fs::read_to_string(
        "testdata/rules/vpn-trusted-root-not-found/fail/vpn/ProfileXML_User.xml",
    )?;
    let start = xml.find("<TrustedRootCA>").ok_or("no TrustedRootCA")? + "<TrustedRootCA>".len();
    let end = xml[start..].find('<').ok_or("no end tag")? + start;
    let broken = format!("{}This is my root hash{}", &xml[..start], &xml[end..]);
    fs::write(dir.path().join("profile.xml"), &broken)?;
    let report = common::scan(dir.path());
    let hit = report
        .findings
        .iter()
        .find(|f| &*f.rule_name == "vpn-trusted-root-not-found")
        .ok_or("no vpn-trusted-root-not-found finding")?;
    assert!(
        hit.message
            .contains("'This is my root hash' is not a SHA-1 thumbprint"),
        "{}",
        hit.message
    );
    let line = broken[..start].lines().count();
    assert_eq!(hit.location.line, Some(u32::try_from(line)?));
    Ok(())
}

#[test]
fn resource_limits_are_findings_or_clear_errors_never_crashes() -> TestResult {
    let dir = tempfile::tempdir()?;
    // XML nested 150,000 levels deep (a stack overflow before the limit existed).
    let n = 150_000;
    let deep = format!(
        "<r><x><VPNProfile/></x>{}{}</r>",
        "<a>".repeat(n),
        "</a>".repeat(n)
    );
    fs::write(dir.path().join("deep.xml"), deep)?;
    // BER nested 200,000 levels deep.
    let mut ber = [0x30u8, 0x80].repeat(200_000);
    ber.extend([0u8, 0].repeat(200_000));
    fs::write(dir.path().join("deep.p7b"), ber)?;
    // More PEM blocks than the limit.
    let block = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
    fs::write(
        dir.path().join("blocks.pem"),
        block.repeat(trustlint::load::pem::MAX_BLOCKS + 1),
    )?;
    let report = common::scan(dir.path());
    let message = |file: &str| {
        report
            .findings
            .iter()
            .find(|f| &*f.rule_name == "unparseable-file" && f.location.path.ends_with(file))
            .map(|f| f.message.clone())
            .unwrap_or_default()
    };
    assert!(
        message("deep.xml").contains("XML nested deeper than 256 elements"),
        "{}",
        message("deep.xml")
    );
    assert!(
        message("deep.p7b").contains("BerMaxDepth"),
        "{}",
        message("deep.p7b")
    );
    // The first empty block is the first problem; the limit stops the reading either way.
    assert!(
        message("blocks.pem").contains("is empty"),
        "{}",
        message("blocks.pem")
    );
    let parsed = trustlint::load::pem::load(
        &std::sync::Arc::from("blocks.pem"),
        block
            .repeat(trustlint::load::pem::MAX_BLOCKS + 1)
            .as_bytes(),
    );
    assert!(parsed.artifacts.is_empty());
    Ok(())
}

/// Every input a fuzz target once failed on (`testdata/fuzz-regressions/<target>/`), loaded by
/// that target's loader: each must now finish and hold together. The folder names the target.
#[test]
fn fuzz_regressions_load_and_hold_together() -> std::io::Result<()> {
    use trustlint::pipeline::FileKind;
    let root = Path::new("testdata/fuzz-regressions");
    let mut seen = 0;
    for dir in fs::read_dir(root)? {
        let dir = dir?.path();
        let kind = match dir.file_name().and_then(|n| n.to_str()) {
            Some("dsc") => FileKind::Dsc,
            Some("yaml") => FileKind::Yaml,
            Some("powershell") => FileKind::PowerShell,
            Some("intune") => FileKind::Json,
            Some("xml") => FileKind::Xml,
            Some("registry") => FileKind::Registry,
            Some("pem") => FileKind::Pem,
            Some("der") => FileKind::Der,
            other => {
                return Err(std::io::Error::other(format!(
                    "{other:?}: a folder of fuzz regressions is named after its target"
                )));
            }
        };
        for file in fs::read_dir(&dir)? {
            let file = file?.path();
            let bytes = fs::read(&file)?;
            let loaded =
                trustlint::pipeline::load_as(kind, file.to_string_lossy().as_ref(), &bytes);
            if let Some(FileProblem::Unparseable(e)) = &loaded.problem {
                assert!(!e.message().is_empty(), "{file:?}");
            }
            seen += 1;
        }
    }
    assert!(seen > 0, "no regression inputs under {root:?}");
    Ok(())
}

/// Snippet text of XML: the content of secret-looking elements is blanked byte for byte, in
/// plain and escaped markup; everything else, and every offset, is unchanged.
#[test]
fn xml_secrets_are_blanked_in_the_text_reports_quote() {
    use crate::load::text::redact_xml_secrets;
    let cases = [
        (
            "<a><keyMaterial>p@ss&amp;word</keyMaterial><name>Corp</name></a>",
            "<a><keyMaterial>*************</keyMaterial><name>Corp</name></a>",
        ),
        (
            "&lt;wlan:Password attr=\"1\"&gt;S3cret&lt;/wlan:Password&gt;&lt;PSK/&gt;x",
            "&lt;wlan:Password attr=\"1\"&gt;******&lt;/wlan:Password&gt;&lt;PSK/&gt;x",
        ),
        (
            "<SharedSecret/><Secret>abc</Secret><TrustedRootCA>aa bb</TrustedRootCA>",
            "<SharedSecret/><Secret>***</Secret><TrustedRootCA>aa bb</TrustedRootCA>",
        ),
        (
            "<keyMaterial>open to the end",
            "<keyMaterial>***************",
        ),
    ];
    for (text, want) in cases {
        let got = redact_xml_secrets(std::sync::Arc::from(text));
        assert_eq!(&*got, want);
        assert_eq!(got.len(), text.len());
    }
}

/// A PEM file of many blocks is decoded in parallel: its certificates still come in file order,
/// and the problem reported is the first in the file, whichever thread met it first.
#[test]
fn a_large_pem_file_keeps_its_order_and_its_first_problem() -> TestResult {
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.encode(issuing_der()?);
    let lines: Vec<String> = body
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let good = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    );
    let bad = "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n";
    let mut text = String::new();
    let mut first_bad_line = 0;
    for i in 0..300 {
        if i == 150 || i == 250 {
            if first_bad_line == 0 {
                first_bad_line = text.lines().count() + 1;
            }
            text.push_str(bad);
        } else {
            text.push_str(&good);
        }
    }
    let loaded = trustlint::pipeline::load_bytes("bundle.pem", text.as_bytes());
    let indices: Vec<Option<u32>> = loaded
        .artifacts
        .iter()
        .map(|a| match a {
            trustlint::load::Artifact::Certificate(c) => c.location.container_index,
            _ => None,
        })
        .collect();
    assert_eq!(indices.len(), 298);
    assert!(
        indices.windows(2).all(|w| w[0] < w[1]),
        "certificates out of file order"
    );
    let line = match &loaded.problem {
        Some(FileProblem::Unparseable(e)) => e.location.line,
        _ => None,
    };
    assert_eq!(
        line,
        u32::try_from(first_bad_line).ok(),
        "{:?}",
        loaded.problem
    );
    Ok(())
}
