//! The CI formats: SARIF 2.1.0 (validated for real by `.ci/validate-sarif` with Microsoft's
//! Multitool; here, the shape GitHub code scanning relies on).

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

use crate::common;

use serde_json::Value;

const FOUNDING: &str = "testdata/scenarios/cloud-pki-aovpn";

#[test]
fn sarif_describes_every_rule_and_locates_every_result() {
    let sarif = common::sarif(&common::scan(FOUNDING));
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), common::rules().len());
    for r in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                r[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{key} of {}",
                r["id"]
            );
        }
        assert!(
            r["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("Why it matters")
        );
        assert!(
            ["error", "warning", "note"]
                .contains(&r["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleId"], "TL1001");
    let index = usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap();
    assert_eq!(rules[index]["id"], "TL1001");
    assert_eq!(r["level"], "error");
    assert!(r["message"]["text"].as_str().unwrap().contains("lacks CDP"));
    let loc = &r["locations"][0]["physicalLocation"];
    // Spaces in file names are percent-encoded; the base is the directory trustlint ran in.
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "testdata/scenarios/cloud-pki-aovpn/certs/cloud-pki/Contoso%20Cloud%20PKI%20Issuing%20CA.cer"
    );
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    // A binary file: a byte region on line 1 (GitHub needs a start line), with the
    // certificate's summary as its snippet.
    assert_eq!(loc["region"]["byteOffset"], 0);
    assert_eq!(loc["region"]["startLine"], 1);
    assert!(
        loc["region"]["snippet"]["text"]
            .as_str()
            .unwrap()
            .contains("subject:    CN=Contoso Cloud PKI Issuing CA"),
        "{}",
        loc["region"]
    );
    // GitHub's own partial fingerprint, of line 1 of the file as GitHub hashes it.
    let cer = std::fs::read(
        "testdata/scenarios/cloud-pki-aovpn/certs/cloud-pki/Contoso Cloud PKI Issuing CA.cer",
    )
    .unwrap();
    assert_eq!(
        r["partialFingerprints"]["primaryLocationLineHash/v1"],
        trustlint::report::line_hash::line_hashes(&cer)[0]
    );
    assert_eq!(run["automationDetails"]["id"], "trustlint/");
    // %SRCROOT% is described, never the machine's absolute path (the bytes would differ
    // between checkouts).
    let root = &run["originalUriBaseIds"]["%SRCROOT%"];
    assert!(
        root["description"]["text"]
            .as_str()
            .unwrap()
            .contains("directory trustlint ran in")
    );
    assert!(root.get("uri").is_none());
    // Related: the Cloud PKI export (JSON, a line region) and both NPS snapshots.
    let related = r["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 3);
    assert_eq!(related[1]["physicalLocation"]["region"]["startLine"], 5);
    assert!(
        related[1]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("NPS01")
    );
    assert!(
        r["partialFingerprints"]["trustlintFingerprint/v1"]
            .as_str()
            .is_some()
    );
    insta::assert_json_snapshot!("sarif-founding", sarif);
}

fn fingerprint_of(sarif: &Value) -> Value {
    sarif["runs"][0]["results"][0]["partialFingerprints"].clone()
}

#[test]
fn sarif_fingerprints_survive_a_file_move() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(FOUNDING, dir.path());
    let before = fingerprint_of(&common::sarif(&common::scan(dir.path())));
    let certs = dir.path().join("certs/cloud-pki");
    std::fs::rename(
        certs.join("Contoso Cloud PKI Issuing CA.cer"),
        dir.path().join("moved-issuing.cer"),
    )
    .unwrap();
    let after = common::sarif(&common::scan(dir.path()));
    assert!(
        after["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("moved-issuing.cer")
    );
    assert_eq!(fingerprint_of(&after), before);
}

#[test]
fn junit_has_a_suite_per_rule_a_case_per_entity_and_a_failure_per_finding() {
    let report = common::scan("testdata/scenarios/scep-issues-server-auth");
    let xml = common::junit(&report);
    let suites = xml.matches("<testsuite ").count();
    assert_eq!(suites, common::rules().len());
    let cases = xml.matches("<testcase ").count();
    let checked: usize = report.checked.iter().map(|c| c.entities.len()).sum();
    assert_eq!(cases, checked);
    assert!(cases > 100, "{cases}");
    assert_eq!(xml.matches("<failure ").count(), report.findings.len());
    // The scenario's two findings and the healthy deployment's note on the SID URI.
    assert!(xml.contains(&format!(
        "<testsuites name=\"trustlint\" tests=\"{cases}\" skipped=\"0\" failures=\"3\" errors=\"0\" time=\"0.000\""
    )));
    // The failing case names the entity and carries the message, severity and place.
    let start = xml
        .find("<testsuite name=\"TL5001 client-auth-eku-missing\"")
        .unwrap();
    let suite = &xml[start..xml[start..].find("</testsuite>").unwrap() + start];
    assert!(suite.contains(
        "<testcase name=\"certificate &apos;alice@contoso.com&apos; in testdata/scenarios/scep-issues-server-auth/users/alice.contoso.com.cer\""
    ));
    assert!(suite.contains("type=\"error\""));
    assert!(suite.contains("users/alice.contoso.com.cer (byte 0)"));
    assert!(
        suite.contains(
            "related: testdata/scenarios/scep-issues-server-auth/vpn/ProfileXML_User.xml:"
        )
    );
    insta::assert_snapshot!("junit-founding", common::junit(&common::scan(FOUNDING)));
}

#[test]
fn github_annotations_are_one_escaped_command_per_finding() {
    let report = common::scan("testdata/scenarios/user-cert-without-strong-mapping");
    let out = common::github(&report);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), report.findings.len());
    // A JSON member: file, line and column; the rule in the title with ':' escaped.
    let scep = lines
        .iter()
        .find(|l| l.contains("scep-profile-without-sid-uri"))
        .unwrap();
    assert!(
        scep.starts_with("::warning file=testdata/scenarios/user-cert-without-strong-mapping/intune/AOVPN User Certificate.scep.json,line=1,col=1,title=TL7005 scep-profile-without-sid-uri%3A "),
        "{scep}"
    );
    // A binary file: no line; the message continues on escaped new lines.
    let cert = lines
        .iter()
        .find(|l| l.contains("strong-mapping-missing"))
        .unwrap();
    assert!(cert.starts_with("::error file=testdata/scenarios/user-cert-without-strong-mapping/users/alice.contoso.com.cer,title="), "{cert}");
    assert!(cert.contains("%0Asymptom: VPN client error 853"), "{cert}");
    assert!(!cert.contains('\n'));
}

/// One cause shared by many places lists the first `MAX_RELATED` of them and counts the rest,
/// in every format: 1,000 leaves beside 1,000 NPS snapshots once gave 230 MB of JSON.
#[test]
fn related_places_are_capped_and_the_rest_counted_in_every_format() {
    let hosts = trustlint::MAX_RELATED + 5;
    let case = crate::stress::CASES
        .iter()
        .find(|c| c.name == "cross-product")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    (case.write)(dir.path(), hosts);
    let report = common::scan(dir.path());
    let leaves: Vec<_> = report
        .findings
        .iter()
        .filter(|f| &*f.rule_name == "leaf-without-revocation-info")
        .collect();
    assert_eq!(leaves.len(), hosts);
    for f in &leaves {
        assert_eq!(f.related.len(), trustlint::MAX_RELATED);
        assert_eq!(f.related_omitted, 5);
        // The first places in the bundle's order: the NPS hosts sorted by path.
        let paths: Vec<&str> = f.related.iter().map(|r| &*r.location.path).collect();
        let mut sorted = paths.clone();
        sorted.sort_unstable();
        assert_eq!(paths, sorted);
        assert!(paths[0].ends_with("NPS0000.reg"), "{paths:?}");
    }

    let json: Value = serde_json::from_str(&common::json(&report)).unwrap();
    let first = &json["findings"][0];
    assert_eq!(
        first["related"].as_array().unwrap().len(),
        trustlint::MAX_RELATED
    );
    assert_eq!(first["related_omitted"], 5);
    let sarif = common::sarif(&report);
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["relatedLocations"].as_array().unwrap().len(),
        trustlint::MAX_RELATED
    );
    assert_eq!(result["properties"]["relatedLocationsOmitted"], 5);
    let line = "5 more places not listed (the first 10 are)";
    for (format, text) in [
        ("human", common::human(&report)),
        ("github", common::github(&report)),
        ("junit", common::junit(&report)),
    ] {
        assert_eq!(text.matches(line).count(), hosts, "{format}:\n{text}");
    }
}

/// A finding on a long line shows an excerpt of it, at the finding's own line and column: the
/// whole line once went under every finding (90,000 findings on one 8 MB line).
#[test]
fn human_snippets_of_a_one_line_file_are_excerpts_at_the_right_place() {
    let case = crate::stress::CASES
        .iter()
        .find(|c| c.name == "eap-one-line")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    (case.write)(dir.path(), 2_000);
    let report = common::scan(dir.path());
    assert_eq!(report.findings.len(), 2_000);
    let text = common::human(&report);
    let longest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 400, "a line of {longest} characters");
    let shown = trustlint::report::human::MAX_SHOWN_PER_RULE_AND_FILE;
    for f in report.findings.iter().take(shown) {
        let header = format!("eap.xml:1:{}]", f.location.column.unwrap());
        assert!(text.contains(&header), "{header}");
    }
    // The rest of one rule's findings in one file are counted, not drawn.
    let hidden = report.findings[shown].location.column.unwrap();
    assert!(!text.contains(&format!("eap.xml:1:{hidden}]")));
    assert!(
        text.contains(&format!(
            "not shown: {} more of TL6001 vpn-trusted-root-not-found in ",
            2_000 - shown
        )),
        "{text}"
    );
}

/// A related list read in part (the field knows its length): the first places in id order,
/// the rest counted, the same as building the whole list would give.
#[test]
fn a_long_related_list_is_read_in_part_and_counted_whole() {
    let case = crate::stress::CASES
        .iter()
        .find(|c| c.name == "profiles-x-certificates")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    (case.write)(dir.path(), 30);
    let report = common::scan(dir.path());
    let missing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| &*f.rule_name == "client-auth-eku-missing")
        .collect();
    assert_eq!(missing.len(), 30);
    for f in missing {
        assert_eq!(f.related.len(), trustlint::MAX_RELATED);
        assert_eq!(f.related_omitted, 30 - trustlint::MAX_RELATED);
        // Profiles in id order: the export's order, SCEP 0, SCEP 1, …
        let lines: Vec<Option<u32>> = f.related.iter().map(|r| r.location.line).collect();
        assert!(lines.windows(2).all(|w| w[0] < w[1]), "{lines:?}");
    }
}

/// GitLab keeps the first of equal test-case names: every case of a suite is named apart (the
/// entity, its file, a #n for what still matches), carries its file, and the run is stamped
/// with the scan's --now and a time, as Azure DevOps expects.
#[test]
fn junit_case_names_are_unique_and_carry_their_file_time_and_timestamp() {
    let mut cases = 0;
    let mut with_file = 0;
    // Each scenario alone is under the cap: a case per checked entity.
    for scenario in std::fs::read_dir("testdata/scenarios").unwrap() {
        let report = common::scan(scenario.unwrap().path());
        let entities: usize = report.checked.iter().map(|c| c.entities.len()).sum();
        if entities > trustlint::report::junit::MAX_CASES {
            continue; // same-subject-500: the compact form, tested below
        }
        let xml = common::junit(&report);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        for suite in doc.descendants().filter(|n| n.has_tag_name("testsuite")) {
            assert_eq!(suite.attribute("timestamp"), Some("2026-12-01T00:00:00Z"));
            assert!(suite.attribute("time").is_some());
            let mut names = std::collections::HashSet::new();
            for case in suite.children().filter(|n| n.has_tag_name("testcase")) {
                cases += 1;
                let name = case.attribute("name").unwrap();
                assert!(
                    names.insert(name),
                    "{}: '{name}' twice",
                    suite.attribute("name").unwrap()
                );
                assert!(case.attribute("time").is_some());
                if let Some(file) = case.attribute("file") {
                    with_file += 1;
                    assert!(name.contains(file), "{name} / {file}");
                    assert!(std::path::Path::new(file).exists(), "{file}");
                }
            }
        }
    }
    assert!(cases > 1000, "{cases}");
    // Every entity of the scenarios is in a file.
    assert_eq!(with_file, cases);
}

/// `--rule-docs-url` (or `rule-docs-url` in trustlint.yaml) links every SARIF rule to its page;
/// without one, no rule has a helpUri (a relative one would not be a URI GitHub can open).
#[test]
fn rule_docs_url_gives_every_sarif_rule_its_help_uri() {
    let run = |args: &[&str], dir: &std::path::Path| {
        let mut all = vec!["check", "bundle", "--now", common::NOW, "--format", "sarif"];
        all.extend_from_slice(args);
        let o = crate::binary::check_in(dir, &all, &[]);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["name"].as_str().unwrap().to_owned(),
                    r.get("helpUri").cloned(),
                )
            })
            .collect::<Vec<_>>()
    };
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(FOUNDING, dir.path().join("bundle"));
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    assert!(run(&[], dir.path()).iter().all(|(_, u)| u.is_none()));
    let linked = run(
        &[
            "--rule-docs-url",
            "https://example.org/trustlint/docs/rules/",
        ],
        dir.path(),
    );
    for (name, uri) in &linked {
        assert_eq!(
            uri.as_ref().and_then(Value::as_str),
            Some(format!("https://example.org/trustlint/docs/rules/{name}.md").as_str())
        );
    }
    std::fs::write(
        dir.path().join("trustlint.yaml"),
        "rule-docs-url: https://docs.example.org/rules\n",
    )
    .unwrap();
    let from_config = run(&[], dir.path());
    assert!(
        from_config
            .iter()
            .all(|(name, u)| u.as_ref().and_then(Value::as_str)
                == Some(format!("https://docs.example.org/rules/{name}.md").as_str()))
    );
    // Not a URL: a usage error, before any scan.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_trustlint"))
        .args(["check", "bundle", "--rule-docs-url", "docs/rules"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

/// `automationDetails`: `trustlint/` by default; `--automation-id` or `automation-id` in
/// trustlint.yaml name the category; in an Azure Pipelines job, the id and the four properties
/// GHAzDO requires, from the job's variables; a job with variables missing keeps the given id
/// and says on stderr why GHAzDO will not attach the run.
#[test]
fn automation_details_come_from_the_flag_the_config_or_the_azure_pipelines_job() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(FOUNDING, dir.path().join("bundle"));
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let pipeline = [
        ("TF_BUILD", "True"),
        ("SYSTEM_COLLECTIONURI", "https://dev.azure.com/contoso/"),
        (
            "SYSTEM_TEAMPROJECTID",
            "11111111-1111-1111-1111-111111111111",
        ),
        ("BUILD_DEFINITIONID", "42"),
        ("BUILD_DEFINITIONNAME", "PKI gate"),
        ("BUILD_BUILDID", "4711"),
        ("SYSTEM_PHASEID", "22222222-2222-2222-2222-222222222222"),
        ("SYSTEM_PHASENAME", "Lint"),
        ("BUILD_SOURCEBRANCH", "refs/heads/main"),
    ];
    let run = |args: &[&str], vars: &[(&str, &str)]| {
        let mut all = vec!["check", "bundle", "--now", common::NOW, "--format", "sarif"];
        all.extend_from_slice(args);
        let o = crate::binary::check_in(dir.path(), &all, vars);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        (
            v["runs"][0]["automationDetails"].clone(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (default, _) = run(&[], &[]);
    assert_eq!(default, serde_json::json!({"id": "trustlint/"}));
    let (flag, _) = run(&["--automation-id", "pki/prod/"], &[]);
    assert_eq!(flag["id"], "pki/prod/");
    std::fs::write(
        dir.path().join("trustlint.yaml"),
        "automation-id: pki/lab/\n",
    )
    .unwrap();
    assert_eq!(run(&[], &[]).0["id"], "pki/lab/");
    assert_eq!(
        run(&["--automation-id", "pki/prod/"], &[]).0["id"],
        "pki/prod/"
    );
    std::fs::remove_file(dir.path().join("trustlint.yaml")).unwrap();

    let (azure, stderr) = run(&[], &pipeline);
    assert_eq!(
        azure["id"],
        "azuredevops/pipeline/build/contoso/11111111-1111-1111-1111-111111111111/42/22222222-2222-2222-2222-222222222222/refs/heads/main/4711"
    );
    assert_eq!(
        azure["properties"],
        serde_json::json!({
            "azuredevops/pipeline/build/buildDefinitionId": "42",
            "azuredevops/pipeline/build/buildDefinitionName": "PKI gate",
            "azuredevops/pipeline/build/phaseId": "22222222-2222-2222-2222-222222222222",
            "azuredevops/pipeline/build/phaseName": "Lint",
        })
    );
    assert!(!stderr.contains("Azure Pipelines"), "{stderr}");

    let partial: Vec<(&str, &str)> = pipeline
        .iter()
        .copied()
        .filter(|(k, _)| *k != "SYSTEM_PHASEID")
        .collect();
    let (kept, stderr) = run(&[], &partial);
    assert_eq!(kept, serde_json::json!({"id": "trustlint/"}));
    assert!(
        stderr.contains("Azure Pipelines") && stderr.contains("SYSTEM_PHASEID is not set"),
        "{stderr}"
    );
}

/// Every machine format names files relative to the repository root whatever the working
/// directory: a scan from the root, from inside the bundle's folder and by absolute path give
/// the same bytes (SARIF's line hashes included: the files are read from the root).
#[test]
fn paths_are_relative_to_the_repository_root_from_any_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    common::copy_tree(FOUNDING, repo.join("pki"));
    std::fs::create_dir(repo.join(".git")).unwrap();
    let absolute = repo.join("pki").to_string_lossy().into_owned();
    let run = |cwd: &std::path::Path, path: &str, format: &str| {
        let args = ["check", path, "--now", common::NOW, "--format", format];
        String::from_utf8(crate::binary::check_in(cwd, &args, &[]).stdout).unwrap()
    };
    let check_all_formats = |names_the_certificate: bool| {
        for format in ["json", "sarif", "junit", "github"] {
            let from_root = run(&repo, "pki", format);
            assert!(
                !names_the_certificate || from_root.contains("pki/certs/cloud-pki/Contoso"),
                "{format}: {from_root}"
            );
            assert_eq!(
                run(&repo.join("pki"), ".", format),
                from_root,
                "{format} from pki/"
            );
            assert_eq!(
                run(&repo.join("pki/nps"), "..", format),
                from_root,
                "{format} from pki/nps/"
            );
            assert_eq!(
                run(std::path::Path::new("/"), &absolute, format),
                from_root,
                "{format} by absolute path"
            );
            assert!(!from_root.contains(&absolute), "{format}");
        }
    };
    check_all_formats(true);
    // A path ignore of the repository's trustlint.yaml applies alike from every directory.
    std::fs::write(
        repo.join("trustlint.yaml"),
        "ignore:\n  - { paths: [\"pki/certs/**\"], rules: [issuing-ca-without-cdp], reason: lab copy }\n",
    )
    .unwrap();
    check_all_formats(false);
    let json: Value = serde_json::from_str(&run(&repo.join("pki/nps"), "..", "json")).unwrap();
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] != "issuing-ca-without-cdp"),
        "{json}"
    );
    assert!(
        json["suppressed"].as_array().is_some_and(|s| !s.is_empty()),
        "{json}"
    );
    let sarif: Value = serde_json::from_str(&run(&repo.join("pki"), ".", "sarif")).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert!(
        result["partialFingerprints"]["primaryLocationLineHash/v1"].is_string(),
        "{result}"
    );
}

/// Every result names its related places in its message as SARIF embedded links whose ids are
/// its related locations (code scanning shows the join in the alert); text regions end where
/// their item does.
#[test]
fn sarif_messages_link_their_related_places_and_text_regions_end() {
    let (mut linked, mut ended) = (0, 0);
    let link = regex::Regex::new(r"\]\((\d+)\)").unwrap();
    for scenario in ["cloud-pki-aovpn", "client-profiles", "nps-cert-renewed"] {
        let sarif = common::sarif(&common::scan(format!("testdata/scenarios/{scenario}")));
        for r in sarif["runs"][0]["results"].as_array().unwrap() {
            let text = r["message"]["text"].as_str().unwrap();
            let ids: Vec<i64> = r["relatedLocations"]
                .as_array()
                .map(|l| l.iter().map(|l| l["id"].as_i64().unwrap()).collect())
                .unwrap_or_default();
            let links: Vec<i64> = link
                .captures_iter(text)
                .map(|c| c[1].parse().unwrap())
                .collect();
            assert_eq!(links, ids, "{text}");
            linked += links.len();
            let region = &r["locations"][0]["physicalLocation"]["region"];
            if let Some(end) = region["endLine"].as_i64() {
                assert!(end >= region["startLine"].as_i64().unwrap(), "{region}");
                ended += 1;
            }
        }
    }
    assert!(linked >= 3, "{linked}");
    assert!(ended >= 3, "{ended}");
}

/// Above 5,000 cases (all scenarios at once: about 6,800) JUnit is compacted: every finding and
/// every suppressed one is still a case of its own, each rule's passes one case that counts them.
#[test]
fn junit_above_its_cap_counts_passes_and_keeps_every_finding() {
    let report = common::scan("testdata/scenarios");
    let entities: usize = report.checked.iter().map(|c| c.entities.len()).sum();
    assert!(entities > trustlint::report::junit::MAX_CASES, "{entities}");
    let xml = common::junit(&report);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert!(cases.len() < 1_000, "{}", cases.len());
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    let skipped = doc
        .descendants()
        .filter(|n| n.has_tag_name("skipped"))
        .count();
    assert_eq!(failures, report.findings.len());
    assert_eq!(skipped, report.suppressed.len());
    // The passes are counted: found + passed = checked, rule by rule.
    let count = regex::Regex::new(r"^(\d+) entit(y|ies) passed").unwrap();
    for check in &report.checked {
        let suite = doc
            .descendants()
            .find(|n| {
                n.attribute("name") == Some(&format!("{} {}", check.rule_id, check.rule_name))
            })
            .unwrap();
        let passed: usize = suite
            .children()
            .filter_map(|c| c.attribute("name"))
            .find_map(|n| count.captures(n).map(|c| c[1].parse().unwrap()))
            .unwrap_or(0);
        let found: std::collections::HashSet<&str> = report
            .findings
            .iter()
            .map(|f| (f, None))
            .chain(report.suppressed.iter().map(|s| (&s.finding, Some(()))))
            .filter(|(f, _)| f.rule_id == check.rule_id)
            .map(|(f, _)| f.entity.as_str())
            .collect();
        assert_eq!(
            passed + found.len(),
            check.entities.len(),
            "{}",
            check.rule_name
        );
    }
}

/// With the rule pages' home known, each finding's rule links to its page: an OSC 8 hyperlink
/// on a terminal that draws colour, the plain URL after the rule anywhere else; without it,
/// neither.
#[test]
fn human_output_links_rules_to_their_pages() {
    let report = common::scan(FOUNDING);
    let render = |options: trustlint::report::human::HumanOptions| {
        let mut out = Vec::new();
        trustlint::report::human::render(&report, &options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let page = "https://example.org/rules/issuing-ca-without-cdp.md";
    let base = trustlint::report::human::HumanOptions {
        rule_docs_url: Some("https://example.org/rules/".to_owned()),
        ..Default::default()
    };
    let plain = render(base.clone());
    assert!(
        plain.contains(&format!("TL1001(issuing-ca-without-cdp) ({page})")),
        "{plain}"
    );
    assert!(!plain.contains('\u{1b}'));
    let linked = render(trustlint::report::human::HumanOptions {
        color: true,
        hyperlinks: true,
        ..base
    });
    assert!(
        linked.contains(&format!("\u{1b}]8;;{page}\u{1b}\\")),
        "{linked}"
    );
    let none = render(trustlint::report::human::HumanOptions::default());
    assert!(!none.contains("https://example.org") && !none.contains("]8;;"));
}

/// The HTML page: self-contained (nothing to fetch, a policy that forbids fetching), the
/// verdict names the founding error and its Windows symptom, every finding is a row, the same
/// bytes for the same scan, and under its size budget for every scenario.
#[test]
fn html_is_one_self_contained_deterministic_page_under_its_budget() {
    let html = |dir: &std::path::Path, args: &[&str]| {
        let mut all = vec!["check", ".", "--now", common::NOW, "--format", "html"];
        all.extend_from_slice(args);
        String::from_utf8(crate::binary::check_in(dir, &all, &[]).stdout).unwrap()
    };
    let founding = std::path::Path::new(FOUNDING);
    let page = html(founding, &[]);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    // Nothing to fetch (a fix may name an http:// URL in its text, never in markup).
    for fetch in [
        "<link",
        "<img",
        " src=",
        "url(h",
        "url(/",
        "@import",
        "href=\"http",
    ] {
        assert!(!page.contains(fetch), "{fetch}");
    }
    let verdict = page
        .lines()
        .find(|l| l.contains("class=\"verdict"))
        .unwrap();
    assert!(
        verdict.contains("1 error(s) will break authentication"),
        "{verdict}"
    );
    assert!(verdict.contains("VPN client error 853") && verdict.contains("reason code 258"));
    assert_eq!(page.matches("<tr id=\"finding-").count(), 1);
    // The founding join in the graph: the CDP-less issuing CA carries the error, and a join
    // edge leads from it to each NPS host that lacks the value, each host linking to details
    // that show the value and the finding.
    let node = |name: &str| {
        page.lines()
            .find(|l| {
                // The node's tooltip holds the whole name (the drawn label may be cut).
                let titles =
                    ["intermediate CA", "NPS host"].map(|k| format!("{k}: {name}</title>"));
                l.contains("class=\"node ") && titles.iter().any(|t| l.contains(t.as_str()))
            })
            .unwrap_or_else(|| panic!("no node {name}"))
            .to_owned()
    };
    assert!(node("Contoso Cloud PKI Issuing CA").contains("n-error"));
    for host in ["NPS01", "NPS02"] {
        let n = node(host);
        assert!(n.contains("n-error"), "{n}");
        let anchor = n
            .split("href=\"#")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        // The section, whose fix text may run over several lines.
        let details = page
            .split(&format!("id=\"{anchor}\""))
            .nth(1)
            .and_then(|rest| rest.split("</section>").next())
            .unwrap();
        assert!(
            details.contains("IgnoreNoRevocationCheck</dt><dd>0"),
            "{details}"
        );
        assert!(details.contains("issuing-ca-without-cdp"), "{details}");
        // What to do about it, beside it.
        assert!(
            details
                .split("<strong>Fix:</strong>")
                .nth(1)
                .is_some_and(|fix| fix.contains("IgnoreNoRevocationCheck")),
            "{details}"
        );
    }
    // Joined to both hosts and to the Intune Cloud PKI CA object that publishes it.
    assert_eq!(page.matches("class=\"edge e-join j-error\"").count(), 3);
    assert!(page.contains("<title>Intune: Contoso Cloud PKI Issuing CA</title>"));
    assert!(page.contains("class=\"edge e-issued\""));
    assert_eq!(page, html(founding, &["-j", "1"]));
    assert_eq!(page, html(founding, &["-j", "8"]));
    let budget = trustlint::report::html::SIZE_BUDGET;
    for scenario in std::fs::read_dir("testdata/scenarios").unwrap() {
        let dir = scenario.unwrap().path();
        assert!(html(&dir, &[]).len() < budget, "{}", dir.display());
    }
    assert!(html(std::path::Path::new("testdata/scenarios"), &[]).len() < budget);
    // The real-world samples (1,225 graph nodes: Federal PKI bundles, x509-limbo's
    // certificates…) draw 400 nodes, findings first, and stay under the budget too.
    let samples = html(std::path::Path::new("../shared/samples"), &[]);
    assert!(samples.len() < budget, "{}", samples.len());
    assert!(samples.contains("400 of "), "no node cap stated");
}

/// Many leaves of one CA become a node per purpose, counted (client and server certificates of
/// one CA fail in different places); a CA with few keeps its leaves one by one.
#[test]
fn html_groups_many_leaves_per_issuing_ca_and_purpose() {
    use rcgen::{CertificateParams, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair};
    let dir = tempfile::tempdir().unwrap();
    let ca = |cn: &str| {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, cn);
        params.is_ca = IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let der = params.self_signed(&key).unwrap().der().to_vec();
        (Issuer::new(params, key), der)
    };
    let leaf_key = KeyPair::generate().unwrap();
    let write = |name: String, der: &[u8]| std::fs::write(dir.path().join(name), der).unwrap();
    let (big, big_der) = ca("Big Issuing CA");
    let (small, small_der) = ca("Small Issuing CA");
    write("big.cer".into(), &big_der);
    write("small.cer".into(), &small_der);
    let leaves = [
        (&big, ExtendedKeyUsagePurpose::ClientAuth, 8),
        (&big, ExtendedKeyUsagePurpose::ServerAuth, 7),
        (&small, ExtendedKeyUsagePurpose::ClientAuth, 3),
    ];
    for (n, (issuer, eku, count)) in leaves.into_iter().enumerate() {
        for i in 0..count {
            let mut params =
                CertificateParams::new(vec![format!("host{n}-{i}.contoso.com")]).unwrap();
            params
                .distinguished_name
                .push(rcgen::DnType::CommonName, format!("leaf {n}-{i}"));
            params.extended_key_usages = vec![eku.clone()];
            let der = params.signed_by(&leaf_key, issuer).unwrap().der().to_vec();
            write(format!("leaf-{n}-{i}.cer"), &der);
        }
    }
    let args = ["check", ".", "--now", common::NOW, "--format", "html"];
    let page = String::from_utf8(crate::binary::check_in(dir.path(), &args, &[]).stdout).unwrap();
    let titles: Vec<&str> = page
        .split("<title>")
        .skip(1)
        .filter_map(|t| t.split("</title>").next())
        .filter(|t| t.starts_with("certificate"))
        .collect();
    let mut groups: Vec<&&str> = titles
        .iter()
        .filter(|t| t.starts_with("certificates: "))
        .collect();
    groups.sort();
    assert_eq!(
        groups,
        [
            &"certificates: 7 server certificates",
            &"certificates: 8 client certificates"
        ],
        "{titles:?}"
    );
    assert_eq!(
        titles
            .iter()
            .filter(|t| t.starts_with("certificate: leaf 2-"))
            .count(),
        3
    );
    assert!(!titles.iter().any(|t| t.starts_with("certificate: leaf 0-")));
    // Each group says whose and what for.
    assert!(page.contains(
        "<dt>issued by</dt><dd>Big Issuing CA</dd><dt>purpose</dt><dd>server authentication</dd>"
    ));
}

/// Names from the scanned tree are text, never markup; above 1,000 findings the table sums
/// them up (saying so) and the page stays under its budget.
#[test]
fn html_escapes_what_it_shows_and_sums_up_a_long_table() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("<img onerror=alert(1)>.cer"),
        b"-----BEGIN CERTIFICATE-----\nnot base64\n",
    )
    .unwrap();
    for n in 0..1_200 {
        std::fs::write(
            dir.path().join(format!("broken-{n:04}.cer")),
            b"-----BEGIN CERTIFICATE-----\nnot base64\n",
        )
        .unwrap();
    }
    let args = ["check", ".", "--now", common::NOW, "--format", "html"];
    let page = String::from_utf8(crate::binary::check_in(dir.path(), &args, &[]).stdout).unwrap();
    assert!(!page.contains("<img"));
    assert!(page.contains("&lt;img onerror=alert(1)&gt;.cer"));
    let rows = page.matches("<tr id=\"finding-").count();
    assert!(
        (1..=trustlint::report::html::MAX_ROWS).contains(&rows),
        "{rows}"
    );
    assert!(
        page.contains("1201 findings, summed up in"),
        "{}",
        &page[..2000]
    );
    assert!(page.len() < trustlint::report::html::SIZE_BUDGET);
}

/// The regions of results in a PEM file (here certutil's CR LF armour, which the scan does not
/// hold as text: it is rebuilt from the certificates for the report) end where the block ends,
/// and are the same when a comment line makes the file one the scan keeps as text (one line
/// further down).
#[test]
fn sarif_regions_in_a_pem_file_end_at_the_end_of_the_block() {
    let scenario = "testdata/scenarios/same-subject-500";
    let pem = "certs/woodgrove-rollover-cas.pem";
    let regions = |dir: &std::path::Path| -> Vec<(u64, u64)> {
        let sarif = common::sarif(&common::scan(dir));
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["locations"][0]["physicalLocation"])
            .filter(|l| {
                l["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .ends_with(".pem")
            })
            .map(|l| {
                let end = l["region"]["endLine"].as_u64();
                (l["region"]["startLine"].as_u64().unwrap(), end.unwrap_or(0))
            })
            .collect()
    };
    let text = std::fs::read_to_string(std::path::Path::new(scenario).join(pem)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let rebuilt = regions(std::path::Path::new(scenario));
    assert!(!rebuilt.is_empty());
    for (start, end) in &rebuilt {
        let line = |n: u64| lines[usize::try_from(n).unwrap() - 1];
        assert!(
            line(*start).starts_with("-----BEGIN CERTIFICATE-----"),
            "{start}"
        );
        assert_eq!(line(*end), "-----END CERTIFICATE-----", "{start}..{end}");
    }
    let work = tempfile::tempdir().unwrap();
    common::copy_tree(scenario, work.path());
    std::fs::write(work.path().join(pem), format!("# rollover CAs\r\n{text}")).unwrap();
    let shifted: Vec<(u64, u64)> = rebuilt.iter().map(|(s, e)| (s + 1, e + 1)).collect();
    assert_eq!(regions(work.path()), shifted);
}
