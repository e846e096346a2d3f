//! The device manager's other services: the user's recent room devices in
//! WDM (`{wdm}/devices/auxiliary`, [`auxiliary`]), device search in
//! argonaut (`POST {argonaut}/directory`, [`directory`]) and ultrasound
//! advertisements in proximity (`GET {proximity}/ultrasound/advertisements`,
//! [`proximity`]). The devices themselves are Lyra spaces (`services::lyra`).

pub(crate) mod auxiliary;
pub(crate) mod directory;
pub(crate) mod proximity;

use uuid::Uuid;

use crate::app::Shared;
use crate::kit::service::{Listing, ServiceSpec};

/// Search (argonaut).
pub(crate) const ARGONAUT: ServiceSpec = ServiceSpec {
    name: "argonaut",
    base_path: "/argonaut/api/v1",
    listing: Listing::Base,
};

/// Proximity (ultrasound pairing).
pub(crate) const PROXIMITY: ServiceSpec = ServiceSpec {
    name: "proximity",
    base_path: "/proximity/api/v1",
    listing: Listing::Base,
};

/// The catalog name of the service whose spaces the devices are.
const LYRA: &str = "lyra";

/// A device's Lyra space URL, from the catalog (services do not import each
/// other).
fn space_url(shared: &Shared, uuid: Uuid) -> String {
    let lyra = shared
        .catalog
        .service(LYRA)
        .map_or("", |spec| spec.base_path);
    format!("{}{lyra}/spaces/{uuid}", shared.endpoint.base_url())
}
