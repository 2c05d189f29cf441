//! Fields of the `nps_server` scope: each NPS configuration export, one NPS server.

use super::{Entity, FieldDef, FieldType, Scope, Value, int, s};

pub(super) static FIELDS: &[FieldDef] = &[
    field!(
        NpsServer,
        "host",
        FieldType::Str,
        "The host: a `<!-- host: NAME -->` comment in the export, else the file name without extension and without a trailing `_npsconfig`.",
        |_b, n| s(&n.host)
    ),
    field!(
        NpsServer,
        "policy_count",
        FieldType::Int,
        "How many network policies the export has.",
        |_b, n| int(n.policies.len())
    ),
    field!(
        NpsServer,
        "policies",
        FieldType::Entities(Scope::NpsPolicy),
        "Its network policies, in processing order.",
        |b, n| Value::Entities(
            n.policies
                .iter()
                .filter_map(|&p| b.nps.policies.get(p))
                .map(Entity::NpsPolicy)
                .collect()
        )
    ),
    field!(
        NpsServer,
        "radius_client_count",
        FieldType::Int,
        "How many RADIUS clients the export has.",
        |_b, n| int(n.data.radius_clients.len())
    ),
    field!(
        NpsServer,
        "secret_count",
        FieldType::Int,
        "How many secrets the export holds in clear text (`Shared_Secret` of RADIUS clients, `Authentication_Secret`/`Accounting_Secret` of remote RADIUS servers, secret templates): elements with a value. [at]",
        |_b, n| int(n.secret_owners.len()),
        at |n| n.data.secrets.iter().find(|x| x.set).map(|x| x.location.clone())
    ),
    field!(
        NpsServer,
        "secret_owners",
        FieldType::StrList,
        "Whom each secret belongs to (`RADIUS client 'AOS'`), in document order. Never the secret.",
        |_b, n| Value::StrList(&n.secret_owners)
    ),
];
