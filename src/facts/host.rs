//! Registry snapshots grouped per host, with typed look-ups, and the NPS EAP revocation settings
//! they produce.
//!
//! NPS reads `HKLM\SYSTEM\CurrentControlSet\Services\RasMan\PPP\EAP\<type>` (13 = EAP-TLS,
//! 25 = PEAP); each revocation value is a REG_DWORD, 0 or 1, 0 when absent.
//! <https://learn.microsoft.com/en-us/windows-server/networking/technologies/nps/network-policy-server-certificate-revocation-list-check-registry-settings>

use std::collections::BTreeMap;

use crate::load::{RegData, RegistryFile};
use crate::location::Location;

use super::fact::Fact;

/// Key of EAP-TLS settings, below HKLM.
pub(crate) const EAP_TLS_KEY: &str = r"system\currentcontrolset\services\rasman\ppp\eap\13";
/// Key of PEAP settings, below HKLM.
pub(crate) const PEAP_KEY: &str = r"system\currentcontrolset\services\rasman\ppp\eap\25";

/// A value as the registry holds it after every snapshot of the host was applied in order.
#[derive(Debug, Clone)]
pub struct HostValue {
    /// The value name as written.
    pub name: String,
    /// Its data.
    pub data: RegData,
    /// The line that set it.
    pub location: Location,
}

/// A key present on the host, with its values by lower-case name.
#[derive(Debug, Clone)]
pub struct HostKey {
    /// The `[KEY]` line that created it (the last one, if several files name it).
    pub location: Location,
    /// Values by lower-case name.
    pub values: BTreeMap<String, HostValue>,
}

/// One host's registry, merged from its snapshots in path order.
#[derive(Debug, Clone)]
pub struct RegistryHost {
    /// The host's name: a `; host: NAME` comment, else the file name without its extension.
    pub name: String,
    /// The files that make it up, in path order.
    pub files: Vec<Location>,
    /// Keys by normalised path (lower case, below HKLM, `ControlSet00N` as `CurrentControlSet`).
    pub keys: BTreeMap<String, HostKey>,
    /// EAP-TLS revocation settings, when the host has the EAP\13 key.
    pub eap_tls: Option<EapRevocation>,
    /// PEAP revocation settings, when the host has the EAP\25 key.
    pub peap: Option<EapRevocation>,
}

/// A DWORD setting with its documented default when absent.
#[derive(Debug, Clone, Default)]
pub struct Setting {
    /// The effective value: the DWORD when set, else the default 0.
    pub value: u32,
    /// Where it was set; `None` when absent (default in force) or set with a type NPS ignores.
    pub location: Option<Location>,
}

/// The four NPS revocation values of one EAP type.
#[derive(Debug, Clone)]
pub struct EapRevocation {
    /// The `[...\EAP\<type>]` key line.
    pub key_location: Location,
    /// `IgnoreNoRevocationCheck`: accept when revocation could not be checked.
    pub ignore_no_revocation_check: Setting,
    /// `NoRevocationCheck`: skip revocation checking entirely.
    pub no_revocation_check: Setting,
    /// `IgnoreRevocationOffline`: accept when the CRL server is unreachable.
    pub ignore_revocation_offline: Setting,
    /// `NoRootRevocationCheck`: skip the root's revocation check.
    pub no_root_revocation_check: Setting,
}

impl EapRevocation {
    /// NPS accepts a client chain with no revocation information: `IgnoreNoRevocationCheck=1`
    /// or `NoRevocationCheck=1`.
    pub fn accepts_missing_revocation(&self) -> bool {
        self.ignore_no_revocation_check.value == 1 || self.no_revocation_check.value == 1
    }
}

impl RegistryHost {
    /// Holds the EAP-TLS or PEAP key: an NPS (or RRAS) server snapshot.
    pub fn is_nps(&self) -> bool {
        self.eap_tls.is_some() || self.peap.is_some()
    }

    /// A value, by key path below HKLM and value name, both case-insensitive.
    pub fn value(&self, key: &str, name: &str) -> Option<&HostValue> {
        self.keys
            .get(&normalise_key(key)?)?
            .values
            .get(&name.to_ascii_lowercase())
    }

    /// Every value present on the host, by normalised key path, in key then name order.
    pub fn values(&self) -> impl Iterator<Item = (&str, &HostValue)> {
        self.keys
            .iter()
            .flat_map(|(path, key)| key.values.values().map(move |v| (path.as_str(), v)))
    }

    /// The location a finding on the whole host points at: the EAP-TLS key, else the PEAP
    /// key, else its first file.
    pub fn primary_location(&self) -> Location {
        self.eap_tls
            .as_ref()
            .or(self.peap.as_ref())
            .map(|e| e.key_location.clone())
            .or_else(|| self.files.first().cloned())
            .unwrap_or_else(|| Location::file("".into()))
    }
}

/// Groups registry files into hosts. `files` must be in path order; the hosts come out sorted
/// by lower-case name.
pub(crate) fn build_hosts(files: &[&RegistryFile]) -> Vec<RegistryHost> {
    let mut hosts: BTreeMap<String, RegistryHost> = BTreeMap::new();
    for f in files {
        let name = f
            .host_hint
            .clone()
            .unwrap_or_else(|| host_from_path(&f.location.path));
        // Windows host names are case-insensitive: NPS01.reg and nps01.reg are one host, named
        // as its first file spells it.
        let host = hosts
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| RegistryHost {
                name,
                files: Vec::new(),
                keys: BTreeMap::new(),
                eap_tls: None,
                peap: None,
            });
        host.files.push(f.location.clone());
        apply(host, f);
    }
    let mut out: Vec<RegistryHost> = hosts.into_values().collect();
    for h in &mut out {
        h.eap_tls = eap_settings(h, EAP_TLS_KEY);
        h.peap = eap_settings(h, PEAP_KEY);
    }
    out
}

/// Applies one file as regedit would import it: keys created, values set, deletions applied.
fn apply(host: &mut RegistryHost, file: &RegistryFile) {
    for key in &file.keys {
        let Some(path) = normalise_key(&key.path) else {
            continue;
        };
        if key.deleted {
            // The key and its subkeys: `path`, then the contiguous run of keys starting with
            // `path\` (']' is the character after '\\'), removed by range, not by a pass over
            // every key for every deletion.
            host.keys.remove(&path);
            let doomed: Vec<String> = host
                .keys
                .range(format!("{path}\\")..format!("{path}]"))
                .map(|(k, _)| k.clone())
                .collect();
            for k in doomed {
                host.keys.remove(&k);
            }
            continue;
        }
        let entry = host.keys.entry(path).or_insert_with(|| HostKey {
            location: key.location.clone(),
            values: BTreeMap::new(),
        });
        entry.location = key.location.clone();
        for v in &key.values {
            let lname = v.name.to_ascii_lowercase();
            if v.data == RegData::Delete {
                entry.values.remove(&lname);
            } else {
                entry.values.insert(
                    lname,
                    HostValue {
                        name: v.name.clone(),
                        data: v.data.clone(),
                        location: v.location.clone(),
                    },
                );
            }
        }
    }
}

fn eap_settings(host: &RegistryHost, key: &str) -> Option<EapRevocation> {
    let k = host.keys.get(key)?;
    let setting = |name: &str| match k.values.get(&name.to_ascii_lowercase()) {
        // NPS reads these as REG_DWORD; a value of another type leaves the default in force.
        Some(HostValue {
            data: RegData::Dword(v),
            location,
            ..
        }) => Setting {
            value: *v,
            location: Some(location.clone()),
        },
        _ => Setting::default(),
    };
    Some(EapRevocation {
        key_location: k.location.clone(),
        ignore_no_revocation_check: setting("IgnoreNoRevocationCheck"),
        no_revocation_check: setting("NoRevocationCheck"),
        ignore_revocation_offline: setting("IgnoreRevocationOffline"),
        no_root_revocation_check: setting("NoRootRevocationCheck"),
    })
}

/// Lower-case path below HKLM, with `ControlSet00N` read as `CurrentControlSet` (an offline
/// SYSTEM hive exports the numbered set). `None` for keys outside HKLM.
pub(crate) fn normalise_key(path: &str) -> Option<String> {
    let lower = path.trim().trim_end_matches('\\').to_ascii_lowercase();
    let below = lower
        .strip_prefix(r"hkey_local_machine\")
        .or_else(|| lower.strip_prefix(r"hklm\"))?;
    let mut parts: Vec<&str> = below.split('\\').collect();
    if let Some(first) = parts.get(1)
        && first.len() == "controlset001".len()
        && first.starts_with("controlset")
        && first.bytes().skip(10).all(|b| b.is_ascii_digit())
        && let Some(p) = parts.get_mut(1)
    {
        *p = "currentcontrolset";
    }
    Some(parts.join("\\"))
}

/// The EAP method type of a normalised `…\RasMan\PPP\EAP\<type>` key (13 EAP-TLS, 25 PEAP).
pub(crate) fn eap_type(normalised_key: &str) -> Option<u32> {
    normalised_key
        .strip_prefix(r"system\currentcontrolset\services\rasman\ppp\eap\")?
        .parse()
        .ok()
}

/// `nps/NPS01.reg` → `NPS01`.
fn host_from_path(path: &str) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.rsplit_once('.')
        .map_or(file, |(stem, _)| stem)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_hive_names_and_control_sets() {
        assert_eq!(
            normalise_key(r"HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\RasMan\PPP\EAP\13")
                .as_deref(),
            Some(EAP_TLS_KEY)
        );
        assert_eq!(
            normalise_key(r"HKLM\System\CurrentControlSet\Services\RasMan\PPP\EAP\25\").as_deref(),
            Some(PEAP_KEY)
        );
        assert_eq!(normalise_key(r"HKEY_CURRENT_USER\Software"), None);
    }

    #[test]
    fn eap_type_reads_the_method_number() {
        assert_eq!(eap_type(EAP_TLS_KEY), Some(13));
        assert_eq!(eap_type(PEAP_KEY), Some(25));
        assert_eq!(
            eap_type(r"system\currentcontrolset\services\rasman\ppp\eap\13\sub"),
            None
        );
        assert_eq!(eap_type(r"software\x"), None);
    }

    #[test]
    fn host_names_group_case_insensitively_and_later_files_win() {
        let parse = |path: &str, text: &str| {
            let p = crate::load::registry::load(&path.into(), text.as_bytes());
            match p.artifacts.into_iter().next() {
                Some(crate::load::Artifact::Registry(r)) => r,
                _ => panic!("{path}: {:?}", p.problem),
            }
        };
        let key = r"[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\RasMan\PPP\EAP\13]";
        let a = parse(
            "a/NPS01.reg",
            &format!("REGEDIT4\n{key}\n\"IgnoreNoRevocationCheck\"=dword:00000001\n"),
        );
        let b = parse(
            "b/nps01.reg",
            &format!("REGEDIT4\n{key}\n\"IgnoreNoRevocationCheck\"=-\n"),
        );
        let c = parse(
            "c/other.reg",
            "REGEDIT4\n; host: nps01\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n",
        );
        let hosts = build_hosts(&[&a, &b, &c]);
        assert_eq!(hosts.len(), 1);
        assert_eq!(hosts[0].name, "NPS01");
        assert_eq!(hosts[0].files.len(), 3);
        let Some(tls) = hosts[0].eap_tls.as_ref() else {
            panic!("NPS01 has no EAP\\13 key")
        };
        assert_eq!(
            tls.ignore_no_revocation_check.value, 0,
            "the later file deletes the value"
        );
    }

    #[test]
    fn a_deleted_key_takes_its_subkeys_and_only_them() -> Result<(), String> {
        let text = "REGEDIT4\n\
            [HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\
            [HKEY_LOCAL_MACHINE\\SOFTWARE\\A\\B]\n\
            [HKEY_LOCAL_MACHINE\\SOFTWARE\\A\\B\\C]\n\
            [HKEY_LOCAL_MACHINE\\SOFTWARE\\A-sibling]\n\
            [HKEY_LOCAL_MACHINE\\SOFTWARE\\AB]\n\
            [-HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n";
        let p = crate::load::registry::load(&"NPS01.reg".into(), text.as_bytes());
        let Some(crate::load::Artifact::Registry(file)) = p.artifacts.into_iter().next() else {
            return Err(format!("not read: {:?}", p.problem));
        };
        let hosts = build_hosts(&[&file]);
        let keys: Vec<&str> = hosts
            .first()
            .ok_or("no host")?
            .keys
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, [r"software\a-sibling", r"software\ab"]);
        Ok(())
    }

    #[test]
    fn host_name_comes_from_the_file_stem() {
        assert_eq!(host_from_path("a/nps/NPS01.reg"), "NPS01");
    }
}

/// A registry value in force on a host, with the host and the (normalised) key it belongs to:
/// the entity of the `registry_value` scope.
#[derive(Debug, Clone, Copy)]
pub struct RegistryValueRef<'b> {
    /// The host.
    pub host: &'b RegistryHost,
    /// The key path below HKLM, lower case.
    pub key: &'b str,
    /// The value.
    pub value: &'b HostValue,
}

impl RegistryHost {
    /// Every value in force on the host as an entity of its own, in key then name order.
    pub fn registry_values(&self) -> impl Iterator<Item = RegistryValueRef<'_>> {
        self.values().map(move |(key, value)| RegistryValueRef {
            host: self,
            key,
            value,
        })
    }
}

impl Fact for RegistryHost {
    fn kind_name(&self) -> &'static str {
        "registry host"
    }
    fn identity(&self) -> String {
        format!("registry host {}", self.name)
    }
    fn display_name(&self) -> String {
        self.name.clone()
    }
    fn location(&self) -> Option<Location> {
        Some(self.primary_location())
    }
    fn summary(&self) -> Option<String> {
        None
    }
    fn also_seen(&self) -> &[Location] {
        &[]
    }
}

impl Fact for RegistryValueRef<'_> {
    fn kind_name(&self) -> &'static str {
        "registry value"
    }
    fn identity(&self) -> String {
        format!(
            "registry value {}\\HKLM\\{}\\{}",
            self.host.name,
            self.key,
            self.value.name.to_ascii_lowercase()
        )
    }
    fn display_name(&self) -> String {
        format!("{} on {}", self.value.name, self.host.name)
    }
    fn location(&self) -> Option<Location> {
        Some(self.value.location.clone())
    }
    fn summary(&self) -> Option<String> {
        None
    }
    fn also_seen(&self) -> &[Location] {
        &[]
    }
}
