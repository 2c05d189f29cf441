//! Fields of the `registry_value` scope: each value in force on each host, at its line.


use super::{
    Entity, FieldDef, FieldType, Scope, Value, int, s,
};
use crate::facts::host::eap_type;
use crate::facts::RegData;

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        RegistryValue,
        "host",
        FieldType::Entity(Scope::RegistryHost),
        "The host the value is on.",
        |_b, v| Value::Entity(Entity::RegistryHost(v.host))
    ),
    field!(
        RegistryValue,
        "key",
        FieldType::Str,
        "The key path below HKLM, lower case, `ControlSet00N` read as `CurrentControlSet`.",
        |_b, v| s(v.key)
    ),
    field!(
        RegistryValue,
        "name",
        FieldType::Str,
        "The value name as written (registry names are case-insensitive: compare with `match: \"(?i)^name$\"`).",
        |_b, v| s(&v.value.name)
    ),
    field!(
        RegistryValue,
        "type",
        FieldType::Str,
        "`REG_SZ`, `REG_EXPAND_SZ`, `REG_MULTI_SZ`, `REG_DWORD`, `REG_QWORD` or `REG_BINARY`.",
        |_b, v| s(v.value.data.type_name())
    ),
    field!(
        RegistryValue,
        "dword",
        FieldType::Int,
        "The data of a REG_DWORD; absent for other types.",
        |_b, v| match v.value.data {
            RegData::Dword(d) => int(d),
            _ => Value::Absent,
        }
    ),
    field!(
        RegistryValue,
        "string",
        FieldType::Str,
        "The data of a REG_SZ or REG_EXPAND_SZ; absent for other types.",
        |_b, v| match &v.value.data {
            RegData::String(t) | RegData::ExpandString(t) => s(t),
            _ => Value::Absent,
        }
    ),
    field!(
        RegistryValue,
        "eap_type",
        FieldType::Int,
        "The EAP method of a `RasMan\\PPP\\EAP\\<type>` key (13 EAP-TLS, 25 PEAP); absent for other keys.",
        |_b, v| eap_type(v.key).map_or(Value::Absent, int)
    ),
];
