//! Fields of the `vpn_profile` scope: ProfileXML and Intune VPN configurations.

use std::borrow::Cow;

use super::{
    Entity, FieldDef, FieldType, Scope, Value, eap_at, int, opt_bool, opt_s, s,
};

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        VpnProfile,
        "display_name",
        FieldType::Str,
        "The profile name, else its first server, else its file: what messages call it.",
        |_b, v| Value::Str(Cow::Owned(v.display_name()))
    ),
    field!(
        VpnProfile,
        "name",
        FieldType::Str,
        "`ProfileName`, or the Intune display name; absent when none.",
        |_b, v| opt_s(v.data.name.as_deref())
    ),
    field!(
        VpnProfile,
        "source",
        FieldType::Str,
        "`ProfileXML` or `Intune` (a windows10VpnConfiguration export).",
        |_b, v| s(v.data.source)
    ),
    field!(
        VpnProfile,
        "protocol",
        FieldType::Str,
        "`NativeProtocolType` (`IKEv2`, `SSTP`, `Automatic`, …; Intune's connectionType mapped to the same names); absent for plug-in profiles.",
        |_b, v| opt_s(v.data.protocol.as_ref().map(|p| p.value.as_str())),
        at | x | x.data.protocol.as_ref().map(|p| p.location.clone())
    ),
    field!(
        VpnProfile,
        "device_tunnel",
        FieldType::Bool,
        "`DeviceTunnel` (Intune: enableDeviceTunnel); absent when not written.",
        |_b, v| opt_bool(v.data.device_tunnel.as_ref().map(|d| d.value)),
        at | x | x.data.device_tunnel.as_ref().map(|d| d.location.clone())
    ),
    field!(
        VpnProfile,
        "user_method",
        FieldType::Str,
        "`Authentication/UserMethod` (`Eap`, `MSChapv2`); absent when none.",
        |_b, v| opt_s(v.data.user_method.as_ref().map(|m| m.value.as_str())),
        at | x | x.data.user_method.as_ref().map(|m| m.location.clone())
    ),
    field!(
        VpnProfile,
        "uses_mschapv2",
        FieldType::Bool,
        "Users authenticate with MS-CHAPv2 outside EAP (`UserMethod` `MSChapv2`; Intune `usernameAndPassword`). An EAP configuration's own MS-CHAPv2 is the EAP configuration's `uses_mschapv2`.",
        |_b, v| Value::Bool(
            v.data
                .user_method
                .as_ref()
                .is_some_and(|m| m.value.eq_ignore_ascii_case("MSChapv2"))
        ),
        at | x | x.data.user_method.as_ref().map(|m| m.location.clone())
    ),
    field!(
        VpnProfile,
        "consumer_label",
        FieldType::Str,
        "How messages name it: `VPN profile 'Contoso AlwaysOn'` (as an EAP configuration's `consumer_label` names its VPN profile).",
        |_b, v| Value::Str(std::borrow::Cow::Owned(format!(
            "VPN profile '{}'",
            v.display_name()
        )))
    ),
    field!(
        VpnProfile,
        "machine_method",
        FieldType::Str,
        "`Authentication/MachineMethod` (`Certificate`); absent when none.",
        |_b, v| opt_s(v.data.machine_method.as_ref().map(|m| m.value.as_str())),
        at | x | x.data.machine_method.as_ref().map(|m| m.location.clone())
    ),
    field!(
        VpnProfile,
        "plugin",
        FieldType::Bool,
        "A third-party plug-in profile (`PluginProfile`).",
        |_b, v| Value::Bool(v.data.plugin)
    ),
    field!(
        VpnProfile,
        "server_count",
        FieldType::Int,
        "How many servers it names.",
        |_b, v| int(v.data.servers.len())
    ),
    field!(
        VpnProfile,
        "eap",
        FieldType::Entity(Scope::EapConfig),
        "Its EAP configuration; absent when none.",
        |b, v| eap_at(b, v.eap)
    ),
    field!(
        VpnProfile,
        "conditional_access",
        FieldType::Bool,
        "`DeviceCompliance/Enabled` (Intune `enableConditionalAccess`): Entra ID conditional access for the VPN; absent when not written. [at]",
        |_b, v| opt_bool(v.data.conditional_access.as_ref().map(|d| d.value)),
        at |x| x.data.conditional_access.as_ref().map(|d| d.location.clone())
    ),
];
