//! Registry snapshots grouped per host, with typed look-ups, and the NPS EAP revocation settings
//! they produce.
//!
//! NPS reads `HKLM\SYSTEM\CurrentControlSet\Services\RasMan\PPP\EAP\<type>` (13 = EAP-TLS,
//! 25 = PEAP); each revocation value is a REG_DWORD, 0 or 1, 0 when absent.
//! <https://learn.microsoft.com/en-us/windows-server/networking/technologies/nps/network-policy-server-certificate-revocation-list-check-registry-settings>

use std::collections::{BTreeMap, HashMap};

use crate::load::{RegData, RegistryFile};
use crate::location::Location;

use super::fact::Fact;
use super::id::{Id, NpsServerId};
use crate::load::{NpsExportData, RrasSettingsData};

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
    /// Its NPS configuration exports.
    pub nps_exports: Vec<NpsServerId>,
    /// What its certificate-store exports show it trusts.
    pub trust: super::trust_stores::HostTrust,
    /// Its RRAS settings outputs (places in the bundle's list of them).
    pub rras_outputs: Vec<usize>,
    /// Its RRAS settings, from its snapshots and those outputs.
    pub rras: super::rras::RrasHost,
    /// Its NDES settings, joined with the bundle's SCEP profiles.
    pub ndes: super::ndes::NdesHost,
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
    /// An NPS (or RRAS) server: a snapshot holds its EAP-TLS or PEAP key, or the bundle holds
    /// its NPS configuration export.
    pub fn is_nps(&self) -> bool {
        self.has_eap_snapshot() || !self.nps_exports.is_empty()
    }

    /// A snapshot of the host holds its EAP-TLS or PEAP key: its revocation values are known.
    pub fn has_eap_snapshot(&self) -> bool {
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

/// Groups registry files and NPS configuration exports into hosts. Both lists must be in path
/// order (an export's place in `exports` is its [`NpsServerId`]); the hosts come out sorted by
/// lower-case name (then first file).
///
/// Files are one host when they have the same name (case ignored: Windows host names are) and
/// sit in the same folder: `prod/NPS01.reg` and `lab/NPS01.reg` are two servers. A registry
/// file's name is its file name without extension, an export's the same without a trailing
/// `_npsconfig` (`NPS01_npsconfig.txt`, as collectors save it). A `; host: NAME` comment (in an
/// export, `<!-- host: NAME -->`) names the host on purpose: the files that carry the same name
/// this way are one host wherever they are, and each also joins the host of that name in its
/// own folder. A name that two hosts share is shown with its folder (`NPS01 (prod)`).
pub(crate) fn build_hosts(
    files: &[&RegistryFile],
    exports: &[&NpsExportData],
    rras: &[&RrasSettingsData],
) -> Vec<RegistryHost> {
    /// A file of a host: its path, its host name and whether the name was given on purpose.
    struct Member<'a> {
        path: &'a str,
        name: String,
        hinted: bool,
        location: &'a Location,
        source: Source<'a>,
    }
    enum Source<'a> {
        Registry(&'a RegistryFile),
        Export(NpsServerId),
        Rras(usize),
    }
    let mut members: Vec<Member<'_>> = files
        .iter()
        .map(|f| Member {
            path: &f.location.path,
            name: f
                .host_hint
                .clone()
                .unwrap_or_else(|| host_from_path(&f.location.path)),
            hinted: f.host_hint.is_some(),
            location: &f.location,
            source: Source::Registry(f),
        })
        .chain(exports.iter().enumerate().map(|(i, e)| {
            Member {
                path: &e.location.path,
                name: e
                    .host_hint
                    .clone()
                    .unwrap_or_else(|| host_from_collector_path(&e.location.path)),
                hinted: e.host_hint.is_some(),
                location: &e.location,
                source: Source::Export(NpsServerId::from_index(i)),
            }
        }))
        .chain(rras.iter().enumerate().map(|(i, r)| Member {
            path: &r.location.path,
            name: host_from_collector_path(&r.location.path),
            hinted: false,
            location: &r.location,
            source: Source::Rras(i),
        }))
        .collect();
    // Path order decides which file names a host and the order registry files apply in.
    members.sort_by(|a, b| a.path.cmp(b.path));
    // Union-find over the files: one set per host.
    let mut parent: Vec<usize> = (0..members.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while let Some(&p) = parent.get(i) {
            if p == i {
                break;
            }
            let grand = parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = parent.get_mut(i) {
                *slot = grand;
            }
            i = p;
        }
        i
    }
    let mut first_by_key: HashMap<(String, String), usize> = HashMap::new();
    for (i, m) in members.iter().enumerate() {
        let name = m.name.to_ascii_lowercase();
        let mut keys = vec![(folder_of(m.path).to_ascii_lowercase(), name.clone())];
        if m.hinted {
            // "\0" is no folder: the key of every file that names this host on purpose.
            keys.push(("\0".to_owned(), name));
        }
        for key in keys {
            let first = *first_by_key.entry(key).or_insert(i);
            let (a, b) = (root(&mut parent, first), root(&mut parent, i));
            if a != b {
                // The earlier file's set absorbs the later: its first file names the host.
                let (keep, join) = if a < b { (a, b) } else { (b, a) };
                if let Some(slot) = parent.get_mut(join) {
                    *slot = keep;
                }
            }
        }
    }
    let mut by_root: BTreeMap<usize, RegistryHost> = BTreeMap::new();
    for i in 0..members.len() {
        let r = root(&mut parent, i);
        let Some(m) = members.get(i) else { continue };
        let host = by_root.entry(r).or_insert_with(|| RegistryHost {
            name: m.name.clone(),
            files: Vec::new(),
            keys: BTreeMap::new(),
            eap_tls: None,
            peap: None,
            nps_exports: Vec::new(),
            trust: Default::default(),
            rras_outputs: Vec::new(),
            rras: Default::default(),
            ndes: Default::default(),
        });
        host.files.push(m.location.clone());
        match m.source {
            Source::Registry(f) => apply(host, f),
            Source::Export(id) => host.nps_exports.push(id),
            Source::Rras(i) => host.rras_outputs.push(i),
        }
    }
    let mut out: Vec<RegistryHost> = by_root.into_values().collect();
    // Two hosts of one name are told apart by the folder of their first file.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for h in &out {
        *seen.entry(h.name.to_ascii_lowercase()).or_default() += 1;
    }
    for h in &mut out {
        if seen
            .get(&h.name.to_ascii_lowercase())
            .is_some_and(|&n| n > 1)
        {
            let folder = h
                .files
                .first()
                .map_or(String::new(), |l| folder_of(&l.path).to_owned());
            h.name = format!(
                "{} ({})",
                h.name,
                if folder.is_empty() { "." } else { &folder }
            );
        }
    }
    out.sort_by(|a, b| {
        (a.name.to_ascii_lowercase(), a.files.first())
            .cmp(&(b.name.to_ascii_lowercase(), b.files.first()))
    });
    for h in &mut out {
        h.eap_tls = eap_settings(h, EAP_TLS_KEY);
        h.peap = eap_settings(h, PEAP_KEY);
    }
    out
}

/// The folder of a path as findings name it (`prod` for `prod/NPS01.reg`; empty at the top).
fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
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

/// The suffixes collectors add to the host name in the files they write (Richard Hicks'
/// `Get-RrasConfiguration.ps1`: `<host>_npsconfig.txt`, `<host>_authconfig.txt`,
/// `<host>_ikev2revocation.txt`).
const COLLECTOR_SUFFIXES: [&str; 3] = ["_npsconfig", "_authconfig", "_ikev2revocation"];

/// The host a collected file names: its file name without extension and without a collector's
/// suffix (`nps/NPS01_npsconfig.txt` → `NPS01`).
pub(crate) fn host_from_collector_path(path: &str) -> String {
    let stem = host_from_path(path);
    let lower = stem.to_ascii_lowercase();
    COLLECTOR_SUFFIXES
        .iter()
        .find_map(|s| lower.strip_suffix(s).filter(|rest| !rest.is_empty()))
        .and_then(|rest| stem.get(..rest.len()))
        .map_or_else(|| stem.clone(), str::to_owned)
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
    fn collected_files_name_their_host() {
        for (path, host) in [
            ("nps/NPS01_npsconfig.txt", "NPS01"),
            ("rras/vpn01_authconfig.txt", "vpn01"),
            ("rras/VPN01_IKEv2Revocation.txt", "VPN01"),
            ("NPS02.xml", "NPS02"),
            ("_npsconfig.txt", "_npsconfig"),
        ] {
            assert_eq!(host_from_collector_path(path), host, "{path}");
        }
    }

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
    fn host_names_group_case_insensitively_within_a_folder_and_later_files_win()
    -> Result<(), String> {
        let parse = |path: &str, text: &str| {
            let p = crate::load::registry::load(&path.into(), text.as_bytes());
            match p.artifacts.into_iter().next() {
                Some(crate::load::Artifact::Registry(r)) => Ok(r),
                _ => Err(format!("{path}: {:?}", p.problem)),
            }
        };
        let key = r"[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\RasMan\PPP\EAP\13]";
        let set = format!("REGEDIT4\n{key}\n\"IgnoreNoRevocationCheck\"=dword:00000001\n");
        let unset = format!("REGEDIT4\n{key}\n\"IgnoreNoRevocationCheck\"=-\n");
        let hinted = "REGEDIT4\n; host: nps01\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n";

        // One folder, one name in two spellings: one host, named as its first file spells it,
        // the later file applied last.
        let a = parse("nps/NPS01.reg", &set)?;
        let b = parse("nps/nps01.reg", &unset)?;
        let hosts = build_hosts(&[&a, &b], &[], &[]);
        assert_eq!(hosts.len(), 1);
        assert_eq!(hosts[0].name, "NPS01");
        let tls = hosts[0]
            .eap_tls
            .as_ref()
            .ok_or("NPS01 has no EAP\\13 key")?;
        assert_eq!(
            tls.ignore_no_revocation_check.value, 0,
            "the later file deletes it"
        );

        // Two folders: two servers that share a name, told apart by their folder.
        let lab = parse("lab/NPS01.reg", &set)?;
        let prod = parse("prod/NPS01.reg", &unset)?;
        let hosts = build_hosts(&[&lab, &prod], &[], &[]);
        let names: Vec<&str> = hosts.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["NPS01 (lab)", "NPS01 (prod)"]);
        let lab_tls = hosts[0].eap_tls.as_ref().ok_or("no EAP\\13 in lab")?;
        assert_eq!(
            lab_tls.ignore_no_revocation_check.value, 1,
            "prod never touched lab"
        );

        // A `; host:` comment joins the host of its name in its folder…
        let lab_extra = parse("lab/extra.reg", hinted)?;
        let hosts = build_hosts(&[&lab, &lab_extra, &prod], &[], &[]);
        assert_eq!(hosts.len(), 2);
        assert_eq!(hosts[0].files.len(), 2, "{:?}", hosts[0].files);
        // …and files that name one host on purpose are one host wherever they are.
        let prod_extra = parse("prod/extra.reg", hinted)?;
        let hosts = build_hosts(&[&lab, &lab_extra, &prod, &prod_extra], &[], &[]);
        assert_eq!(hosts.len(), 1);
        assert_eq!(hosts[0].name, "NPS01", "named by its first file");
        assert_eq!(hosts[0].files.len(), 4);

        // An NPS export joins the snapshot of its host in its folder (`_npsconfig` dropped),
        // not the one of the same name in another folder.
        let export = |path: &str| NpsExportData {
            location: Location::file(path.into()),
            host_hint: None,
            policies: Vec::new(),
            request_policies: Vec::new(),
            radius_clients: Vec::new(),
            server_groups: Vec::new(),
            secrets: Vec::new(),
        };
        let (lab_export, elsewhere) = (export("lab/NPS01_npsconfig.txt"), export("NPS01.xml"));
        let hosts = build_hosts(&[&lab, &prod], &[&lab_export, &elsewhere], &[]);
        let joined: Vec<(&str, usize, usize)> = hosts
            .iter()
            .map(|h| (h.name.as_str(), h.files.len(), h.nps_exports.len()))
            .collect();
        assert_eq!(
            joined,
            [
                ("NPS01 (.)", 1, 1),
                ("NPS01 (lab)", 2, 1),
                ("NPS01 (prod)", 1, 0)
            ]
        );
        assert_eq!(
            hosts[1].nps_exports,
            [NpsServerId::from_index(0)],
            "the export's id is its place in the list"
        );
        Ok(())
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
        let hosts = build_hosts(&[&file], &[], &[]);
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
