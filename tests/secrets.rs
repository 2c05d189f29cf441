//! Secrets never leave the loader (issue 14): a canary planted in the error paths and secret
//! members of every text loader must not appear in any output format, on stdout or stderr —
//! not in a message, not in a snippet.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use std::fs;
use std::process::Command;

const CANARY: &str = "CANARYs3cr3tQ7x";

/// Files whose findings or parse errors sit on, or next to, a planted secret.
fn plant(dir: &std::path::Path) {
    let w = |name: &str, text: String| {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    // A private key on one line, and one over several lines: keys, never quoted.
    w(
        "keys/one-line.key",
        format!(
            "-----BEGIN PRIVATE KEY-----MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg{CANARY}-----END PRIVATE KEY-----\n"
        ),
    );
    w(
        "keys/multi.pem",
        format!(
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA{CANARY}\n{CANARY}{CANARY}\n-----END RSA PRIVATE KEY-----\n"
        ),
    );
    // Registry: a secret the parser cannot read (the error's line), one it can, a broken line.
    w(
        "nps/NPS01.reg",
        format!(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\\13]\r\n\"SharedSecret\"=\"{CANARY}\"\r\n\"RadiusSecret\"={CANARY}\r\n"
        ),
    );
    w(
        "nps/NPS02.reg",
        format!(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n{CANARY} is not a value line\r\n"
        ),
    );
    w(
        "nps/NPS03.reg",
        format!(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"Psk\"=dword:{CANARY}\r\n\"Blob\"=hex:01,{CANARY}\r\n"
        ),
    );
    // Graph JSON on one line: a Wi-Fi profile with a pre-shared key, and a finding on the line.
    w(
        "intune/wifi.json",
        format!(
            "{{\"@odata.type\":\"#microsoft.graph.windowsWifiEnterpriseEAPConfiguration\",\"displayName\":\"Corp\",\"preSharedKey\":\"{CANARY}\",\"eapType\":\"peap\",\"authenticationMethod\":\"usernameAndPassword\",\"trustedServerCertificateNames\":[]}}\n"
        ),
    );
    // The same in YAML, with a duplicate key after the secret.
    w(
        "intunecd/wifi.yaml",
        format!(
            "'@odata.type': '#microsoft.graph.windowsWifiEnterpriseEAPConfiguration'\ndisplayName: Corp\npreSharedKey: {CANARY}\neapType: peap\neapType: eapTls\n"
        ),
    );
    // XML: a Wi-Fi passphrase right after a finding's place on the same line, as plain markup
    // and escaped inside SyncML.
    let wlan = fs::read_to_string(
        "testdata/rules/vpn-mschapv2-with-credential-guard/fail/wifi/Contoso Corp.xml",
    )
    .unwrap()
    .replace(
        "</TrustedRootCA>",
        &format!("</TrustedRootCA><keyMaterial>{CANARY}</keyMaterial><Password>{CANARY}&amp;{CANARY}</Password>"),
    );
    assert!(wlan.contains(CANARY));
    w("wifi/plain.xml", wlan.clone());
    let body = wlan
        .trim_start_matches(|c| c != '<')
        .replacen("<?xml version=\"1.0\"?>", "", 1);
    let escaped = body
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    w(
        "wifi/syncml.xml",
        format!(
            "<SyncML><SyncBody><Add><Item><Target><LocURI>./Vendor/MSFT/WiFi/Profile/Corp/WlanXml</LocURI></Target><Data>{escaped}</Data></Item></Add></SyncBody></SyncML>\n"
        ),
    );
    // Broken XML whose error is on the passphrase's line, before it: the error's snippet shows
    // the rest of that line.
    w(
        "wifi/broken.xml",
        format!(
            "<?xml version=\"1.0\"?>\n<WLANProfile xmlns=\"http://www.microsoft.com/networking/WLAN/profile/v1\"><name>Corp</name><x a=><sharedKey><keyMaterial>{CANARY}</keyMaterial></sharedKey><EAPConfig><EapHostConfig xmlns=\"http://www.microsoft.com/provisioning/EapHostConfig\"/></EAPConfig></WLANProfile>\n"
        ),
    );
    // NPS configuration exports (issue 15): RADIUS client and remote-server secrets, one on
    // the line of a broken msEAPConfiguration (the error's snippet shows that line), and an
    // export cut short right after a secret (it does not parse).
    let nps = fs::read_to_string(
        "testdata/rules/nps-export-contains-secrets/fail/nps/NPS01_npsconfig.txt",
    )
    .unwrap()
    .replace("tl-CANARY-radius-7f3a9c", CANARY)
    .replace(
        "<msNPAllowDialin",
        &format!("<msEAPConfiguration dt:dt=\"bin.hex\">1900</msEAPConfiguration><Shared_Secret>{CANARY}</Shared_Secret><msNPAllowDialin"),
    )
    .replace(
        "<RADIUS_Server_Groups name=\"RADIUS_Server_Groups\">\n\t\t\t\t\t<Children>",
        &format!("<RADIUS_Server_Groups name=\"RADIUS_Server_Groups\">\n\t\t\t\t\t<Children><Proxy name=\"Proxy\"><Children><S name=\"10.0.0.9\"><Properties><Address>10.0.0.9</Address><Authentication_Secret>{CANARY}</Authentication_Secret><Accounting_Secret>{CANARY}</Accounting_Secret></Properties></S></Children></Proxy>"),
    );
    assert_eq!(nps.matches(CANARY).count(), 4, "{nps}");
    w("nps/NPS04_npsconfig.txt", nps.clone());
    let cut = nps
        .find(&format!("{CANARY}</Authentication_Secret>"))
        .unwrap()
        + CANARY.len();
    w("nps/NPS05_npsconfig.txt", nps[..cut].to_owned());
    // Microsoft365DSC: a secret beside a finding, and a syntax error on a secret's line.
    w(
        "dsc/wifi.ps1",
        format!(
            "Configuration C\n{{\n    Import-DscResource -ModuleName Microsoft365DSC\n    Node localhost\n    {{\n        IntuneWifiConfigurationPolicyWindows10 'Corp'\n        {{\n            DisplayName = 'Corp'\n            EapType = 'peap'\n            AuthenticationMethod = 'usernameAndPassword'\n            PreSharedKey = '{CANARY}'\n            ApplicationSecret = \"{CANARY}\"\n        }}\n    }}\n}}\n"
        ),
    );
    w(
        "dsc/broken.ps1",
        format!(
            "Configuration C\n{{\n    Import-DscResource -ModuleName Microsoft365DSC\n    Node localhost\n    {{\n        IntuneDeviceConfigurationScepCertificatePolicyWindows10 'SCEP'\n        {{\n            '{CANARY}'\n            Password = '{CANARY}' 'x'\n        }}\n    }}\n}}\n"
        ),
    );
}

#[test]
fn no_planted_secret_reaches_any_output_format() {
    let dir = tempfile::tempdir().unwrap();
    plant(dir.path());
    let root = dir.path().to_str().unwrap();
    let mut seen_findings = 0;
    for format in ["human", "json", "sarif", "junit", "github"] {
        let o = Command::new(env!("CARGO_BIN_EXE_trustlint"))
            .args([
                "check",
                "--format",
                format,
                "--now",
                "2026-11-30T00:00:00Z",
                root,
            ])
            .env_remove("NO_COLOR")
            .output()
            .expect("run trustlint");
        let stdout = String::from_utf8_lossy(&o.stdout);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!stdout.contains(CANARY), "{format} stdout:\n{stdout}");
        assert!(!stderr.contains(CANARY), "{format} stderr:\n{stderr}");
        seen_findings += stdout.matches("unparseable-file").count();
    }
    // The planted files did reach the error paths (a canary nobody looks at proves nothing).
    assert!(seen_findings >= 6, "{seen_findings}");
    let o = Command::new(env!("CARGO_BIN_EXE_trustlint"))
        .args([
            "check",
            "--format",
            "json",
            "--now",
            "2026-11-30T00:00:00Z",
            root,
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for expected in [
        "private-key-in-bundle",
        "unparseable-file",
        "vpn-mschapv2-with-credential-guard",
    ] {
        assert!(rules.contains(&expected), "{expected}: {rules:?}");
    }
    // Both NPS exports, the whole one and the one cut short, say they hold secrets, and the
    // broken blob of the whole one is a finding at its line.
    for file in ["NPS04_npsconfig.txt", "NPS05_npsconfig.txt"] {
        for rule in ["nps-export-contains-secrets", "unparseable-file"] {
            assert!(
                json["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| { f["rule"] == rule && f["path"].as_str().unwrap().ends_with(file) }),
                "{rule} on {file}"
            );
        }
    }
    assert!(rules.contains(&"nps-export-contains-secrets"), "{rules:?}");
    // Both XML files were read and have a finding on the passphrase's line.
    for file in ["plain.xml", "syncml.xml"] {
        assert!(
            json["findings"].as_array().unwrap().iter().any(|f| {
                f["rule"] == "vpn-trusted-root-not-found"
                    && f["path"].as_str().unwrap().ends_with(file)
            }),
            "{file}"
        );
    }
    assert_eq!(
        rules
            .iter()
            .filter(|r| **r == "private-key-in-bundle")
            .count(),
        2,
        "{rules:?}"
    );
}

/// Nothing injectable: a file name with a line break and a GitHub workflow command in it, and a
/// profile name with terminal escape sequences, reach no output as control characters.
#[test]
fn names_from_the_files_cannot_drive_a_terminal_or_a_ci_log() {
    let dir = tempfile::tempdir().unwrap();
    let name = "x\n::error file=INJECTED.cer,line=1::owned\u{1b}[2J.json";
    let wifi = r##"{"@odata.type":"#microsoft.graph.windowsWifiEnterpriseEAPConfiguration","displayName":"\u001b]0;pwned\u0007Corp\u202e","eapType":"peap","authenticationMethod":"usernameAndPassword","trustedServerCertificateNames":[]}"##;
    fs::write(dir.path().join(name), wifi).unwrap();
    let root = dir.path().to_str().unwrap();
    for format in ["human", "github", "json", "sarif", "junit"] {
        let o = Command::new(env!("CARGO_BIN_EXE_trustlint"))
            .args(["check", "--format", format, root])
            .env_remove("NO_COLOR")
            .output()
            .expect("run trustlint");
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            stdout.contains("Corp"),
            "{format}: the file was read:\n{stdout}"
        );
        for c in ['\u{1b}', '\u{7}', '\u{202e}'] {
            assert!(!stdout.contains(c), "{format}: {c:?} in\n{stdout}");
        }
        assert!(
            !stdout
                .lines()
                .any(|l| l.trim_start().starts_with("::error file=INJECTED")),
            "{format}:\n{stdout}"
        );
    }
    // The list of files names it too, escaped.
    let o = Command::new(env!("CARGO_BIN_EXE_trustlint"))
        .args(["check", "--list-files", root])
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&o.stdout);
    assert!(list.contains("x\\u{a}::error file=INJECTED.cer"), "{list}");
}

/// The NPS fixtures plant a RADIUS secret (issue 15): no snapshot and no generated page may hold
/// it, while the fixture does (else this test would prove nothing).
#[test]
fn no_snapshot_or_doc_page_holds_the_nps_canary_secret() {
    const NPS_CANARY: &str = "tl-CANARY-radius-7f3a9c";
    let fixture = fs::read_to_string(
        "testdata/rules/nps-export-contains-secrets/fail/nps/NPS01_npsconfig.txt",
    )
    .unwrap();
    assert!(fixture.contains(NPS_CANARY));
    let mut checked = 0;
    for dir in ["tests/snapshots", "docs", "docs/rules"] {
        for e in fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_file() {
                let text = fs::read_to_string(&path).unwrap_or_default();
                assert!(!text.contains(NPS_CANARY), "{path:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
}
