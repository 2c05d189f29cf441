//! The identity of an analysis run: SARIF's `run.automationDetails`. GitHub code scanning
//! reads its `id` as the category that tells two analyses of one commit apart; GitHub Advanced
//! Security for Azure DevOps (GHAzDO) attaches a run to its pipeline by an id of the form
//! `azuredevops/pipeline/build/<org>/<project id>/<definition id>/<phase id>/<branch>/<build id>`
//! and four `azuredevops/pipeline/build/*` properties, and drops a run without them (the SARIF
//! Multitool's rules GHAzDO1019 and GHAzDO1020).
//!
//! In an Azure Pipelines job (`TF_BUILD=True`) the id and properties come from the pipeline's
//! predefined variables, as the Multitool's own `AdoPipelineContext` reads them
//! (<https://learn.microsoft.com/en-us/azure/devops/pipelines/build/variables>). The output then
//! depends on those variables: they are inputs of the run like its files.

use std::collections::BTreeMap;

/// The id outside Azure Pipelines, when none is given: GitHub's category `trustlint`.
pub const DEFAULT_ID: &str = "trustlint/";

/// The prefix GHAzDO requires of `automationDetails.id`.
const AZURE_PREFIX: &str = "azuredevops/pipeline/build/";

/// `run.automationDetails`: its `id` and its properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Automation {
    /// `automationDetails.id`.
    pub id: String,
    /// `automationDetails.properties` (GHAzDO's four pipeline properties, when in a pipeline).
    pub properties: BTreeMap<String, String>,
}

impl Default for Automation {
    fn default() -> Self {
        Automation {
            id: DEFAULT_ID.to_owned(),
            properties: BTreeMap::new(),
        }
    }
}

/// What the environment says of an Azure Pipelines job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AzurePipelines {
    /// Not in a pipeline (`TF_BUILD` not `True`), or none of its variables are set.
    Absent,
    /// In a pipeline, but variables are missing or malformed: each problem, one line. The run
    /// is then no GHAzDO run, and the caller says so rather than write ids ingestion drops.
    Partial(Vec<String>),
    /// Every variable present and well-formed.
    Complete(Automation),
}

impl AzurePipelines {
    /// Reads the pipeline's predefined variables through `env` (a test seam for
    /// `std::env::var`).
    pub fn detect(env: impl Fn(&str) -> Option<String>) -> AzurePipelines {
        let var = |name: &str| {
            env(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let in_pipeline =
            var("TF_BUILD").is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
        if !in_pipeline {
            return AzurePipelines::Absent;
        }
        // Job names and ids are the YAML pipelines' names of phases; either serves.
        let either = |a: &str, b: &str| var(a).or_else(|| var(b));
        let values = [
            ("SYSTEM_COLLECTIONURI", var("SYSTEM_COLLECTIONURI")),
            ("SYSTEM_TEAMPROJECTID", var("SYSTEM_TEAMPROJECTID")),
            (
                "BUILD_DEFINITIONID",
                either("BUILD_DEFINITIONID", "SYSTEM_DEFINITIONID"),
            ),
            ("BUILD_DEFINITIONNAME", var("BUILD_DEFINITIONNAME")),
            ("BUILD_BUILDID", var("BUILD_BUILDID")),
            ("SYSTEM_PHASEID", either("SYSTEM_PHASEID", "SYSTEM_JOBID")),
            (
                "SYSTEM_PHASENAME",
                either("SYSTEM_PHASENAME", "SYSTEM_JOBNAME"),
            ),
            ("BUILD_SOURCEBRANCH", var("BUILD_SOURCEBRANCH")),
        ];
        if values.iter().all(|(_, v)| v.is_none()) {
            return AzurePipelines::Absent;
        }
        let mut problems: Vec<String> = values
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(name, _)| format!("{name} is not set"))
            .collect();
        let [
            collection_uri,
            project_id,
            definition_id,
            definition_name,
            build_id,
            phase_id,
            phase_name,
            branch,
        ] = values.map(|(_, v)| v.unwrap_or_default());
        let organization = organization(&collection_uri);
        if !collection_uri.is_empty() && organization.is_none() {
            problems.push(format!(
                "SYSTEM_COLLECTIONURI '{collection_uri}' names no organization (dev.azure.com/<org> or <org>.visualstudio.com)"
            ));
        }
        for (name, value) in [
            ("SYSTEM_TEAMPROJECTID", &project_id),
            ("SYSTEM_PHASEID", &phase_id),
        ] {
            if !value.is_empty() && !is_guid(value) {
                problems.push(format!("{name} '{value}' is not a non-empty GUID"));
            }
        }
        for (name, value) in [
            ("BUILD_DEFINITIONID", &definition_id),
            ("BUILD_BUILDID", &build_id),
        ] {
            if !value.is_empty() && !value.parse::<u64>().is_ok_and(|n| n > 0) {
                problems.push(format!("{name} '{value}' is not a positive integer"));
            }
        }
        if !problems.is_empty() {
            return AzurePipelines::Partial(problems);
        }
        let organization = organization.unwrap_or_default();
        let phase_id = phase_id.to_ascii_lowercase();
        let project_id = project_id.to_ascii_lowercase();
        let id = format!(
            "{AZURE_PREFIX}{organization}/{project_id}/{definition_id}/{phase_id}/{branch}/{build_id}"
        );
        let properties = [
            ("buildDefinitionId", definition_id),
            ("buildDefinitionName", definition_name),
            ("phaseId", phase_id),
            ("phaseName", phase_name),
        ]
        .into_iter()
        .map(|(k, v)| (format!("{AZURE_PREFIX}{k}"), v))
        .collect();
        AzurePipelines::Complete(Automation { id, properties })
    }
}

/// The run's identity: an id given by flag or configuration wins (with the pipeline's
/// properties when in one); else the pipeline's; else [`DEFAULT_ID`].
pub fn resolve(explicit: Option<&str>, pipeline: &AzurePipelines) -> Automation {
    let detected = match pipeline {
        AzurePipelines::Complete(a) => Some(a.clone()),
        AzurePipelines::Absent | AzurePipelines::Partial(_) => None,
    };
    match (explicit, detected) {
        (Some(id), detected) => Automation {
            id: id.to_owned(),
            properties: detected.map(|a| a.properties).unwrap_or_default(),
        },
        (None, Some(a)) => a,
        (None, None) => Automation::default(),
    }
}

/// The organization of `https://dev.azure.com/<org>/` or `https://<org>.visualstudio.com/`
/// (and their `vsrm.` release-management forms).
fn organization(collection_uri: &str) -> Option<String> {
    let rest = collection_uri
        .strip_prefix("https://")
        .or_else(|| collection_uri.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let org = if host == "dev.azure.com" || host == "vsrm.dev.azure.com" {
        path.split('/').next().unwrap_or_default().to_owned()
    } else {
        let sub = host.strip_suffix(".visualstudio.com")?;
        sub.strip_suffix(".vsrm").unwrap_or(sub).to_owned()
    };
    (!org.is_empty()).then_some(org)
}

/// A GUID in its 8-4-4-4-12 form, not all zeros.
fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    let shape = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12]);
    shape
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
        && s.chars().any(|c| c.is_ascii_hexdigit() && c != '0')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipeline_env(name: &str) -> Option<String> {
        let value = match name {
            "TF_BUILD" => "True",
            "SYSTEM_COLLECTIONURI" => "https://dev.azure.com/contoso/",
            "SYSTEM_TEAMPROJECTID" => "11111111-1111-1111-1111-111111111111",
            "BUILD_DEFINITIONID" => "1234",
            "BUILD_DEFINITIONNAME" => "PKI gate",
            "BUILD_BUILDID" => "98765",
            "SYSTEM_PHASEID" => "22222222-2222-2222-2222-222222222222",
            "SYSTEM_PHASENAME" => "Lint",
            "BUILD_SOURCEBRANCH" => "refs/heads/main",
            _ => return None,
        };
        Some(value.to_owned())
    }

    #[test]
    fn a_complete_pipeline_gives_the_ghazdo_id_and_properties() -> Result<(), String> {
        let AzurePipelines::Complete(a) = AzurePipelines::detect(pipeline_env) else {
            return Err("not detected as complete".into());
        };
        assert_eq!(
            a.id,
            "azuredevops/pipeline/build/contoso/11111111-1111-1111-1111-111111111111/1234/22222222-2222-2222-2222-222222222222/refs/heads/main/98765"
        );
        assert_eq!(
            a.properties
                .get("azuredevops/pipeline/build/buildDefinitionId")
                .map(String::as_str),
            Some("1234")
        );
        assert_eq!(
            a.properties
                .get("azuredevops/pipeline/build/phaseName")
                .map(String::as_str),
            Some("Lint")
        );
        assert_eq!(a.properties.len(), 4);
        Ok(())
    }

    #[test]
    fn outside_a_pipeline_nothing_is_detected_and_the_default_id_stays() {
        let without_tf_build = |n: &str| (n != "TF_BUILD").then(|| pipeline_env(n)).flatten();
        let detected = AzurePipelines::detect(without_tf_build);
        assert_eq!(detected, AzurePipelines::Absent);
        assert_eq!(resolve(None, &detected), Automation::default());
        let only_tf_build = |n: &str| (n == "TF_BUILD").then(|| "True".to_owned());
        assert_eq!(
            AzurePipelines::detect(only_tf_build),
            AzurePipelines::Absent
        );
    }

    #[test]
    fn a_partial_pipeline_names_what_is_missing_or_malformed() -> Result<(), String> {
        let broken = |n: &str| match n {
            "SYSTEM_PHASEID" | "SYSTEM_JOBID" => None,
            "BUILD_BUILDID" => Some("latest".to_owned()),
            "SYSTEM_COLLECTIONURI" => Some("https://example.org/tfs/".to_owned()),
            other => pipeline_env(other),
        };
        let AzurePipelines::Partial(problems) = AzurePipelines::detect(broken) else {
            return Err("not detected as partial".into());
        };
        assert_eq!(
            problems,
            [
                "SYSTEM_PHASEID is not set",
                "SYSTEM_COLLECTIONURI 'https://example.org/tfs/' names no organization (dev.azure.com/<org> or <org>.visualstudio.com)",
                "BUILD_BUILDID 'latest' is not a positive integer",
            ]
        );
        assert_eq!(
            resolve(None, &AzurePipelines::Partial(problems)),
            Automation::default()
        );
        Ok(())
    }

    #[test]
    fn job_variables_stand_in_for_phase_variables_and_old_hosts_name_the_organization()
    -> Result<(), String> {
        let yaml_job = |n: &str| match n {
            "SYSTEM_PHASEID" | "SYSTEM_PHASENAME" => None,
            "SYSTEM_JOBID" => Some("33333333-3333-3333-3333-33333333333A".to_owned()),
            "SYSTEM_JOBNAME" => Some("Job".to_owned()),
            "SYSTEM_COLLECTIONURI" => Some("https://fabrikam.vsrm.visualstudio.com/".to_owned()),
            other => pipeline_env(other),
        };
        let AzurePipelines::Complete(a) = AzurePipelines::detect(yaml_job) else {
            return Err("not detected as complete".into());
        };
        assert!(
            a.id.starts_with("azuredevops/pipeline/build/fabrikam/"),
            "{}",
            a.id
        );
        assert_eq!(
            a.properties
                .get("azuredevops/pipeline/build/phaseId")
                .map(String::as_str),
            Some("33333333-3333-3333-3333-33333333333a")
        );
        assert!(!is_guid("00000000-0000-0000-0000-000000000000"));
        assert!(!is_guid("1234"));
        Ok(())
    }

    #[test]
    fn an_explicit_id_wins_and_keeps_the_pipeline_properties() {
        let a = resolve(Some("pki/prod"), &AzurePipelines::detect(pipeline_env));
        assert_eq!(a.id, "pki/prod");
        assert_eq!(a.properties.len(), 4);
        assert_eq!(
            resolve(Some("pki/prod"), &AzurePipelines::Absent)
                .properties
                .len(),
            0
        );
    }
}
