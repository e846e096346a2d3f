//! `webex.device_manager()`: every call of the JS SDK's
//! `webex.devicemanager`, on the same wire (`docs/protocol/devices.md`).

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures::Stream;
use http::{Method, StatusCode};
use serde_json::{Value, json};
use url::Url;
use webex_core::http::{Request, Target};
use webex_core::{Error, ErrorKind, Webex};
use webex_devices::DevicesExt;

use crate::error::{DeviceManagerError, Result};
use crate::event::{self, DeviceEvent};
use crate::model::{Advertisement, AuxiliaryDevice, SearchHit, SearchResults, Space, UC_CLOUD};
use crate::plugin::DeviceManagerPlugin;
use crate::reporter;
use crate::state::Shared;

/// Lyra's catalog name.
pub(crate) const LYRA: &str = "lyra";
/// WDM's catalog name.
const WDM: &str = "wdm";

/// The device manager of one client; cheap to clone.
#[derive(Debug, Clone)]
pub struct DeviceManager {
    pub(crate) webex: Webex,
}

/// A Lyra space path.
fn space_path(id: &str) -> String {
    format!("spaces/{id}")
}

/// An absolute URL the services gave, as a target.
pub(crate) fn absolute(url: &str) -> Result<Target> {
    Url::parse(url).map(Target::Url).map_err(|error| {
        Error::new(
            ErrorKind::InvalidResponse,
            format!("the space URL {url:?} is not absolute: {error}"),
        )
        .into()
    })
}

impl DeviceManager {
    pub(crate) fn shared(&self) -> Result<Arc<Shared>> {
        self.webex
            .plugin::<DeviceManagerPlugin>()
            .map(|plugin| Arc::clone(&plugin.shared))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::MissingDependency,
                    "the `devicemanager` plugin is not added to this client \
                     (add webex_device_manager::DeviceManagerPlugin)",
                )
                .into()
            })
    }

    /// This client's WDM device URL (registering one if needed): Lyra pairs
    /// a room device with it.
    pub(crate) async fn device_url(&self) -> Result<String> {
        Ok(self
            .webex
            .devices()
            .ensure_registered()
            .await?
            .url
            .to_string())
    }

    /// Changes to known devices, from now on (see [`DeviceEvent`]); they
    /// arrive once Mercury is connected (`webex.mercury().connect()`).
    ///
    /// # Errors
    /// Without the plugin.
    pub fn events(&self) -> Result<impl Stream<Item = DeviceEvent> + Send + 'static> {
        Ok(event::stream(self.shared()?.events.subscribe()))
    }

    /// The devices known so far (recent, upserted, paired), by id.
    ///
    /// # Errors
    /// Without the plugin.
    pub fn get_all(&self) -> Result<Vec<AuxiliaryDevice>> {
        Ok(self
            .shared()?
            .state()
            .collection
            .values()
            .cloned()
            .collect())
    }

    /// The paired device's space, if any.
    ///
    /// # Errors
    /// Without the plugin.
    pub fn paired(&self) -> Result<Option<Space>> {
        Ok(self.shared()?.state().paired.clone())
    }

    /// Reads the user's recent devices anew (`GET {wdm}/devices/auxiliary`),
    /// replacing the collection, and reads each Lyra space's state
    /// (`GET {lyra}/spaces/{id}`; a failure there is logged, as the JS SDK
    /// does).
    ///
    /// # Errors
    /// HTTP errors of the WDM request; an answer without `items`.
    pub async fn refresh(&self) -> Result<Vec<AuxiliaryDevice>> {
        let shared = self.shared()?;
        #[derive(serde::Deserialize)]
        struct Items {
            items: Vec<AuxiliaryDevice>,
        }
        let Items { items } = self
            .webex
            .http()
            .json(Request::get(Target::service(WDM, "devices/auxiliary")))
            .await?;
        let wdm = self.webex.services().url(WDM)?;
        let mut devices = Vec::with_capacity(items.len());
        for mut device in items {
            if device.device_class.as_deref() == Some(UC_CLOUD) {
                device.id = format!("{}/{}", wdm.as_str().trim_end_matches('/'), device.id);
            }
            devices.push(self.decrypt_name(device).await);
        }
        for device in &devices {
            if let Some(info) = device
                .device_info
                .as_ref()
                .filter(|_| device.is_lyra_space())
                && let Err(error) = self.space(&info.id).await
            {
                webex_core::log_warn!(
                    self.webex.logger(),
                    "devicemanager: cannot read space {}: {error}",
                    info.id
                );
            }
        }
        let mut state = shared.state();
        state.collection = devices
            .into_iter()
            .map(|device| (device.id.clone(), device))
            .collect();
        Ok(state.collection.values().cloned().collect())
    }

    /// Searches devices by name (`POST {argonaut}/directory`, a
    /// `DEVICE_SEARCH`).
    ///
    /// # Errors
    /// [`DeviceManagerError::Missing`] for an empty query; HTTP errors.
    pub async fn search(&self, query: &str) -> Result<SearchResults> {
        if query.is_empty() {
            return Err(DeviceManagerError::Missing("searchQuery"));
        }
        let body = json!({
            "searchId": uuid::Uuid::new_v4().to_string(),
            "searchType": "DEVICE_SEARCH",
            "searchEntity": "device",
            "includePeople": false,
            "includeRooms": true,
            "queryString": query,
        });
        let request = Request::post(Target::service("argonaut", "directory")).json(&body)?;
        Ok(self.webex.http().json(request).await?)
    }

    /// The device named `name` (same letters, any case), by search.
    ///
    /// # Errors
    /// [`DeviceManagerError::UnknownDevice`] when no device has that name;
    /// as [`search`](Self::search).
    pub async fn find_by_name(&self, name: &str) -> Result<SearchHit> {
        self.search(name)
            .await?
            .items
            .into_iter()
            .find(|hit| hit.display_name.eq_ignore_ascii_case(name))
            .ok_or_else(|| DeviceManagerError::UnknownDevice(name.to_owned()))
    }

    /// Keeps device `id` in the collection; a device not there yet is added
    /// to the user's recents (`PUT {wdm}/devices/auxiliary/Room/{id}`).
    ///
    /// # Errors
    /// [`DeviceManagerError::UnknownDevice`] when WDM does not know it.
    pub async fn upsert(&self, id: &str) -> Result<AuxiliaryDevice> {
        if id.is_empty() {
            return Err(DeviceManagerError::Missing("device.id"));
        }
        let shared = self.shared()?;
        if let Some(device) = shared.state().collection.get(id) {
            return Ok(device.clone());
        }
        let path = format!("devices/auxiliary/Room/{id}");
        let device: AuxiliaryDevice = self
            .webex
            .http()
            .json(Request::put(Target::service(WDM, path)))
            .await
            .map_err(|error| DeviceManagerError::unknown_on_404(error, id))?;
        let device = self.decrypt_name(device).await;
        shared
            .state()
            .collection
            .insert(id.to_owned(), device.clone());
        Ok(device)
    }

    /// The device that played an ultrasound `token`
    /// (`GET {proximity}/ultrasound/advertisements`), named after its space.
    ///
    /// # Errors
    /// [`DeviceManagerError::UnknownDevice`] for a token no device plays.
    pub async fn get(&self, token: &str) -> Result<Advertisement> {
        if token.is_empty() {
            return Err(DeviceManagerError::Missing("token"));
        }
        let request = Request::get(Target::service("proximity", "ultrasound/advertisements"))
            .query("token", token);
        let mut advertisement: Advertisement = self
            .webex
            .http()
            .json(request)
            .await
            .map_err(|error| DeviceManagerError::unknown_on_404(error, token))?;
        let space = self.space(&advertisement.advertiser.id).await?;
        if let Some(name) = space.identity.display_name {
            advertisement.advertiser.display_name = Some(name);
        }
        Ok(advertisement)
    }

    /// Removes device `id` from the user's recents
    /// (`DELETE {wdm}/devices/auxiliary/{id}`) and from the collection.
    ///
    /// # Errors
    /// [`DeviceManagerError::UnknownDevice`] when it is not a recent device.
    pub async fn remove(&self, id: &str) -> Result<()> {
        if id.is_empty() {
            return Err(DeviceManagerError::Missing("deviceId"));
        }
        let shared = self.shared()?;
        let path = format!("devices/auxiliary/{id}");
        self.webex
            .http()
            .send(Request::delete(Target::service(WDM, path)))
            .await
            .map_err(|error| DeviceManagerError::unknown_on_404(error, id))?;
        shared.state().collection.remove(id);
        Ok(())
    }

    /// Space `id` as Lyra shows it to this user.
    ///
    /// # Errors
    /// [`DeviceManagerError::UnknownDevice`] for an unknown space.
    pub async fn space(&self, id: &str) -> Result<Space> {
        self.webex
            .http()
            .json(Request::get(Target::service(LYRA, space_path(id))))
            .await
            .map_err(|error| DeviceManagerError::unknown_on_404(error, id))
    }

    /// Asks device `id` to show a PIN (`PUT {lyra}/spaces/{id}/occupants/@me`,
    /// a `MANUAL` pass with `verificationInitiation: "PIN"`; `data` goes in
    /// the pass); the space then waits for [`pair`](Self::pair). A space that
    /// offers no PIN challenge (occupied) is returned without one, as the JS
    /// SDK does.
    ///
    /// # Errors
    /// [`DeviceManagerError::AlreadyPaired`] when this client is paired with
    /// it; [`DeviceManagerError::UnknownDevice`]; HTTP errors.
    pub async fn request_pin(&self, id: &str, data: Option<&str>) -> Result<Space> {
        if id.is_empty() {
            return Err(DeviceManagerError::Missing("device.id"));
        }
        let shared = self.shared()?;
        if shared.state().paired.as_ref().is_some_and(|p| p.id() == id) {
            return Err(DeviceManagerError::AlreadyPaired(id.to_owned()));
        }
        let space = self.space(id).await?;
        if !space.occupants.pin_challenge {
            return self.space(id).await;
        }
        let mut pass = json!({"type": "MANUAL"});
        if let Some(data) = data {
            pass["data"] = Value::from(data);
        }
        let body = json!({
            "pass": pass,
            "deviceUrl": self.device_url().await?,
            "verificationInitiation": "PIN",
        });
        self.join(id, &body).await?;
        shared.state().pending = Some(space.clone());
        Ok(space)
    }

    /// `PUT {lyra}/spaces/{id}/occupants/@me` with `body`, its errors typed.
    async fn join(&self, id: &str, body: &Value) -> Result<()> {
        let path = format!("{}/occupants/@me", space_path(id));
        let request = Request::put(Target::service(LYRA, path)).json(body)?;
        match self.webex.http().send(request).await {
            Ok(_) => Ok(()),
            Err(error) => Err(match error.status() {
                Some(StatusCode::CONFLICT) => DeviceManagerError::AlreadyPaired(id.to_owned()),
                Some(StatusCode::FORBIDDEN) => DeviceManagerError::WrongPin(id.to_owned()),
                _ => DeviceManagerError::unknown_on_404(error, id),
            }),
        }
    }

    /// Pairs with the device that shows `pin` (`PUT .../occupants/@me`, a
    /// `PIN_ANSWER` pass), adds it to the recents ([`upsert`](Self::upsert))
    /// and starts reporting its audio state every 10 minutes.
    ///
    /// # Errors
    /// [`DeviceManagerError::NoPinRequested`] without
    /// [`request_pin`](Self::request_pin) first; [`DeviceManagerError::WrongPin`]
    /// (the device keeps its PIN: try again); HTTP errors.
    pub async fn pair(&self, pin: &str) -> Result<AuxiliaryDevice> {
        if pin.is_empty() {
            return Err(DeviceManagerError::Missing("pin"));
        }
        let shared = self.shared()?;
        let pending = shared
            .state()
            .pending
            .clone()
            .ok_or(DeviceManagerError::NoPinRequested)?;
        let body = json!({
            "pass": {"type": "PIN_ANSWER", "data": pin},
            "deviceUrl": self.device_url().await?,
        });
        self.join(pending.id(), &body).await?;
        // Now paired: the space as it is now (verified).
        let space = self.space(pending.id()).await?;
        {
            let mut state = shared.state();
            state.forget_paired();
            state.pending = None;
            state.paired = Some(space.clone());
        }
        let device = self.upsert(space.id()).await?;
        let audio = self.audio_state().await?;
        shared.state().audio = Some(audio);
        let reporter = reporter::spawn(self.webex.downgrade(), Arc::clone(&shared));
        shared.state().reporter = Some(reporter);
        Ok(device)
    }

    /// Unpairs the paired device (`DELETE {lyra}/spaces/{id}/occupants/@me`,
    /// with `deviceUrl` for this client's device only, without it for all
    /// the user's devices); it stays in the recents.
    ///
    /// # Errors
    /// [`DeviceManagerError::NotPaired`]; HTTP errors.
    pub async fn unpair(&self, remove_all_devices: bool) -> Result<()> {
        let shared = self.shared()?;
        let paired = self.paired_space(&shared)?;
        let path = format!("{}/occupants/@me", space_path(paired.id()));
        let mut request = Request::delete(Target::service(LYRA, path));
        if !remove_all_devices {
            let device_url = URL_SAFE_NO_PAD.encode(self.device_url().await?);
            request = request.query("deviceUrl", device_url);
        }
        match self.webex.http().send(request).await {
            Ok(_) => {}
            Err(error) if error.status() == Some(StatusCode::FORBIDDEN) => {
                shared.state().forget_paired();
                return Err(DeviceManagerError::NotPaired);
            }
            Err(error) => return Err(DeviceManagerError::unknown_on_404(error, paired.id())),
        }
        shared.state().forget_paired();
        Ok(())
    }

    /// The paired space, or [`DeviceManagerError::NotPaired`].
    pub(crate) fn paired_space(&self, shared: &Shared) -> Result<Space> {
        shared
            .state()
            .paired
            .clone()
            .ok_or(DeviceManagerError::NotPaired)
    }

    /// `method` on `rest` below the paired space's URL, its 403 typed; the
    /// JSON answer (`null` for none).
    pub(crate) async fn paired_call(
        &self,
        method: Method,
        rest: &str,
        body: Option<&Value>,
    ) -> Result<Value> {
        let shared = self.shared()?;
        let paired = self.paired_space(&shared)?;
        let mut request = Request::new(method, join(&absolute(&paired.url)?, rest));
        if let Some(body) = body {
            request = request.json(body)?;
        }
        match self.webex.http().send(request).await {
            Ok(response) if response.body().is_empty() => Ok(Value::Null),
            Ok(response) => Ok(response.json()?),
            Err(error) if error.status() == Some(StatusCode::FORBIDDEN) => {
                Err(DeviceManagerError::NotPaired)
            }
            Err(error) => Err(DeviceManagerError::unknown_on_404(error, paired.id())),
        }
    }

    /// The name of `device` decrypted, when it arrives encrypted.
    async fn decrypt_name(&self, device: AuxiliaryDevice) -> AuxiliaryDevice {
        crate::names::decrypt(&self.webex, device).await
    }
}

/// `rest` below a space URL target.
pub(crate) fn join(space: &Target, rest: &str) -> Target {
    match space {
        Target::Url(url) => {
            let mut url = url.clone();
            let path = format!("{}/{rest}", url.path().trim_end_matches('/'));
            url.set_path(&path);
            Target::Url(url)
        }
        Target::Service { name, path } => Target::service(
            name.clone(),
            format!("{}/{rest}", path.trim_end_matches('/')),
        ),
    }
}
