//! Verify every leaf of a corpus against its issuer three ways: ring (the issuer's key parsed on
//! every verification, as trustlint does today), aws-lc-rs UnparsedPublicKey (the same), and
//! aws-lc-rs ParsedPublicKey built once per issuer (an issuer-key cache).
use std::time::Instant;
use x509_parser::prelude::*;

fn main() {
    let dir = std::env::args().nth(1).expect("dir");
    let issuer_path = std::env::args().nth(2).expect("issuer cert");
    let issuer_der = std::fs::read(&issuer_path).unwrap();
    let issuer_der = if issuer_der.starts_with(b"-----") {
        let s = String::from_utf8(issuer_der).unwrap();
        let (_, p) = x509_parser::pem::parse_x509_pem(s.as_bytes()).unwrap();
        p.contents
    } else { issuer_der };
    let (_, issuer) = X509Certificate::from_der(&issuer_der).unwrap();
    let spki_key = issuer.public_key().subject_public_key.data.to_vec();
    let mut leaves: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for e in walkdir::WalkDir::new(&dir).into_iter().flatten() {
        if !e.file_type().is_file() { continue; }
        let Ok(bytes) = std::fs::read(e.path()) else { continue };
        let der = if bytes.starts_with(b"-----") {
            match x509_parser::pem::parse_x509_pem(&bytes) { Ok((_, p)) => p.contents, Err(_) => continue }
        } else { bytes };
        let Ok((_, c)) = X509Certificate::from_der(&der) else { continue };
        if c.issuer() != issuer.subject() || c.signature_algorithm.algorithm.to_id_string() != "1.2.840.113549.1.1.11" { continue; }
        leaves.push((c.tbs_certificate.as_ref().to_vec(), c.signature_value.data.to_vec()));
    }
    println!("{} leaves signed by {}", leaves.len(), issuer.subject());
    for round in 0..3 {
        let t = Instant::now();
        let key = ring::signature::UnparsedPublicKey::new(&ring::signature::RSA_PKCS1_2048_8192_SHA256, &spki_key);
        let ok = leaves.iter().filter(|(m, s)| key.verify(m, s).is_ok()).count();
        let ring_t = t.elapsed();
        let t = Instant::now();
        let key = aws_lc_rs::signature::UnparsedPublicKey::new(&aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256, &spki_key);
        let ok2 = leaves.iter().filter(|(m, s)| key.verify(m, s).is_ok()).count();
        let aws_t = t.elapsed();
        let t = Instant::now();
        let parsed = aws_lc_rs::signature::ParsedPublicKey::new(&aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256, &spki_key).unwrap();
        let ok3 = leaves.iter().filter(|(m, s)| parsed.verify_sig(m, s).is_ok()).count();
        let awsp_t = t.elapsed();
        let n = leaves.len() as f64;
        println!("round {round}: ring {:.1} us/verify ({ok} ok), aws-lc-rs unparsed {:.1} us ({ok2}), aws-lc-rs parsed once {:.1} us ({ok3})",
            ring_t.as_secs_f64() * 1e6 / n, aws_t.as_secs_f64() * 1e6 / n, awsp_t.as_secs_f64() * 1e6 / n);
    }
}
