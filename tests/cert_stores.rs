//! Certificate-store registry exports (issue 15, first part): each store entry's `Blob` is read
//! for its certificate, which joins the bundle with the store that holds it; a blob that does
//! not parse is one finding at its value, and the rest of the scan goes on.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

use trustlint::pipeline::{bundle, load_bytes};

use super::common;

const ROOT: &str =
    "testdata/scenarios/cloud-pki-aovpn/certs/cloud-pki/Contoso Cloud PKI Root CA.cer";

fn store_export(key: &str, blob: &[u8]) -> String {
    format!(
        "Windows Registry Editor Version 5.00\n\n[{key}]\n{}\n",
        common::reg_binary("Blob", blob)
    )
}

#[test]
fn a_store_entry_brings_its_certificate_and_its_store() {
    let der = std::fs::read(ROOT).unwrap();
    let sha1 = common::sha1_hex(&der);
    let keys = [
        (
            format!(
                r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\ROOT\Certificates\{}",
                sha1.to_uppercase()
            ),
            "ROOT",
        ),
        (
            format!(
                r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\SystemCertificates\Root\Certificates\{sha1}"
            ),
            "ROOT",
        ),
        (
            format!(
                r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\EnterpriseCertificates\NTAuth\Certificates\{sha1}"
            ),
            "NTAUTH",
        ),
    ];
    for (key, store) in &keys {
        let text = store_export(key, &common::store_blob(&der));
        let b = bundle(
            vec![load_bytes("nps/NPS01-root.reg", text.as_bytes())],
            common::now(),
        );
        assert_eq!(b.certificates.len(), 1, "{key}");
        let c = b.certificates.iter().next().unwrap();
        assert_eq!(c.data.sha1, sha1);
        assert_eq!(c.store_names, [*store]);
        // At the Blob value's line, in the export.
        assert_eq!(c.stores[0].location.path.as_ref(), "nps/NPS01-root.reg");
        assert_eq!(c.stores[0].location.line, Some(4));
        assert_eq!(c.stores[0].slot.key_thumbprint, sha1);
    }

    // The same root as a file and in two stores: one certificate, both stores.
    let root_store = store_export(&keys[0].0, &common::store_blob(&der));
    let ntauth = store_export(&keys[2].0, &common::store_blob(&der));
    let b = bundle(
        vec![
            load_bytes("certs/root.cer", &der),
            load_bytes("nps/root.reg", root_store.as_bytes()),
            load_bytes("nps/ntauth.reg", ntauth.as_bytes()),
        ],
        common::now(),
    );
    assert_eq!(b.certificates.len(), 1);
    let c = b.certificates.iter().next().unwrap();
    assert_eq!(c.store_names, ["NTAUTH", "ROOT"]);
    assert_eq!(c.data.location.path.as_ref(), "certs/root.cer");

    // A key outside the stores is a registry value, not a certificate.
    let other = store_export(
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Contoso\Certificates\x",
        &common::store_blob(&der),
    );
    let b = bundle(
        vec![load_bytes("other.reg", other.as_bytes())],
        common::now(),
    );
    assert_eq!(b.certificates.len(), 0);
}

#[test]
fn a_broken_store_blob_is_one_finding_at_its_value_and_never_quotes_it() {
    let der = std::fs::read(ROOT).unwrap();
    let sha1 = common::sha1_hex(&der);
    let key =
        format!(r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\CA\Certificates\{sha1}");
    let mut overrun = common::store_blob(&der);
    overrun.truncate(overrun.len() - 100);
    let mut header_cut = common::store_blob(&der);
    header_cut.extend([0x20, 0x00, 0x00]);
    let no_certificate = {
        let mut b = Vec::new();
        b.extend(20u32.to_le_bytes());
        b.extend(1u32.to_le_bytes());
        b.extend(4u32.to_le_bytes());
        b.extend([0xC0, 0xFF, 0xEE, 0x00]);
        b
    };
    let not_der = common::store_blob(&[0x30, 0x82, 0xFF, 0xFF, 0x01]);
    for (name, bytes, what) in [
        ("overrun.reg", overrun, "past the blob's end"),
        ("header.reg", header_cut, "a property header needs 12 bytes"),
        (
            "empty.reg",
            no_certificate,
            "holds no certificate (property 32)",
        ),
        ("not-der.reg", not_der, "the Blob of CA store entry"),
    ] {
        let text = store_export(&key, &bytes);
        let found = common::findings_of(&[(name, &text)]);
        let broken: Vec<_> = found
            .iter()
            .filter(|f| &*f.rule_name == "unparseable-file")
            .filter(|f| f.location.path.ends_with(name))
            .collect();
        assert_eq!(broken.len(), 1, "{name}: {found:?}");
        assert!(
            broken[0].message.contains(what),
            "{name}: {}",
            broken[0].message
        );
        assert_eq!(broken[0].location.line, Some(4), "{name}");
        // Never a byte of the blob: no run of hex pairs in the message.
        assert!(
            !broken[0].message.contains("c0,ff"),
            "{}",
            broken[0].message
        );
    }
}

#[test]
fn a_store_entry_keeps_the_purposes_it_is_restricted_to_and_its_key_must_name_it() {
    let der = std::fs::read(ROOT).unwrap();
    let sha1 = common::sha1_hex(&der);
    let root_key = |thumbprint: &str| {
        format!(
            r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\ROOT\Certificates\{thumbprint}"
        )
    };
    // Property 9: Server Authentication and Code Signing only.
    let restricted =
        common::store_blob_restricted(&der, Some(&["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.3"]));
    let text = store_export(&root_key(&sha1), &restricted);
    let b = bundle(
        vec![load_bytes("nps/NPS01-Root.reg", text.as_bytes())],
        common::now(),
    );
    let c = b.certificates.iter().next().unwrap();
    assert_eq!(
        c.stores[0].slot.eku_restriction.as_deref(),
        Some(
            &[
                "1.3.6.1.5.5.7.3.1".to_owned(),
                "1.3.6.1.5.5.7.3.3".to_owned()
            ][..]
        )
    );
    let unrestricted = store_export(&root_key(&sha1), &common::store_blob(&der));
    let b = bundle(
        vec![load_bytes("nps/NPS01-Root.reg", unrestricted.as_bytes())],
        common::now(),
    );
    assert_eq!(
        b.certificates.iter().next().unwrap().stores[0]
            .slot
            .eku_restriction,
        None
    );

    // Property 9 that is not a list of OIDs, and a key that names another certificate: a
    // finding at the value each; the certificate is still read.
    let mut bad_purposes = Vec::new();
    for (id, value) in [(9u32, &[0x04u8, 0x01, 0x00][..]), (32, &der[..])] {
        bad_purposes.extend(id.to_le_bytes());
        bad_purposes.extend(1u32.to_le_bytes());
        bad_purposes.extend(u32::try_from(value.len()).unwrap().to_le_bytes());
        bad_purposes.extend(value);
    }
    let wrong_key = "0".repeat(40);
    for (name, text, what) in [
        (
            "purposes.reg",
            store_export(&root_key(&sha1), &bad_purposes),
            "property 9",
        ),
        (
            "key.reg",
            store_export(&root_key(&wrong_key), &common::store_blob(&der)),
            "not the one its key names",
        ),
    ] {
        let found = common::findings_of(&[(name, &text)]);
        let broken: Vec<_> = found
            .iter()
            .filter(|f| &*f.rule_name == "unparseable-file")
            .collect();
        assert_eq!(broken.len(), 1, "{name}: {found:?}");
        assert!(broken[0].message.contains(what), "{}", broken[0].message);
        assert_eq!(broken[0].location.line, Some(4), "{name}");
        let b = bundle(vec![load_bytes(name, text.as_bytes())], common::now());
        assert_eq!(b.certificates.len(), 1, "{name}");
    }
}
