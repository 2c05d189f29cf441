//! Signature checks between objects of the bundle, through x509-parser's `verify` (ring).

use x509_parser::asn1_rs::BitString;
use x509_parser::prelude::FromDer;
use x509_parser::verify::verify_signature;
use x509_parser::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo};

use crate::load::CertificateData;
use crate::load::x509::SignedParts;

/// The outcome of checking one signature with one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SignatureCheck {
    /// The key verifies the signature.
    Valid,
    /// The algorithm (or key type) is one ring cannot verify, so nothing is known.
    Unsupported,
    /// The key does not verify the signature.
    Invalid,
}

/// Checks `signed` (the object whose DER is `der`) with the public key of `signer`.
pub(crate) fn check(der: &[u8], signed: &SignedParts, signer: &CertificateData) -> SignatureCheck {
    let Some(spki_der) = signer.der.get(signer.spki.clone()) else {
        return SignatureCheck::Unsupported;
    };
    let (Ok((_, spki)), Some(tbs), Some(alg_der)) = (
        SubjectPublicKeyInfo::from_der(spki_der),
        der.get(signed.tbs.clone()),
        der.get(signed.algorithm.clone()),
    ) else {
        return SignatureCheck::Unsupported;
    };
    let Ok((_, alg)) = AlgorithmIdentifier::from_der(alg_der) else {
        return SignatureCheck::Unsupported;
    };
    let sig = BitString::new(0, &signed.signature);
    match verify_signature(&spki, &alg, &sig, tbs) {
        Ok(()) => SignatureCheck::Valid,
        Err(x509_parser::error::X509Error::SignatureVerificationError) => SignatureCheck::Invalid,
        Err(_) => SignatureCheck::Unsupported,
    }
}
