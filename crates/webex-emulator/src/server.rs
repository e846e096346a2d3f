//! Starting and stopping the emulator, and its public handle.

use std::future::IntoFuture;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::{from_fn, from_fn_with_state};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::app::{self, AppState, Shared};
use crate::bus::{Bus, Renderer, Subscriber};
use crate::control::burst::MercuryBurst;
use crate::control::devices::EmulatedDevice;
use crate::control::faults::{self, Fault};
use crate::control::meetings::{CreatedMeeting, MeetingCaptcha, NewMeeting};
use crate::control::mercury_faults::MercuryFault;
use crate::control::{self, Control, operations, requests};
use crate::fixtures::Fixtures;
use crate::fixtures::error::FixturesError;
use crate::kit::endpoint::{Endpoint, Scheme, reachable};
use crate::kit::error::{ApiError, NOT_FOUND};
use crate::kit::{cors, tracking};
use crate::services::calliope::stun::StunResponder;
use crate::services::datachannel::DataChannels;
use crate::services::hydra::webhooks::delivery::{self, Deliveries, WebhookDelivery};
use crate::services::hydra::webhooks::dispatch::Dispatcher;
use crate::services::hydra::webhooks::render::Changes;
use crate::services::locus::ledger::{Ledger, LocusFault};
use crate::services::locus::media_fault::{MediaFault, MediaFaults};
use crate::services::media::{MediaService, MediaSessionInfo};
use crate::services::mercury::Hub;
use crate::services::mercury::connections::MercuryConnection;
use crate::services::{
    self, calliope, clientlogs, conversation, datachannel, devicemanager, encryption, hydra,
    idbroker, locus, lyra, meetinginfo, mercury, metrics, u2c, wdm,
};
use crate::tls::{Tls, TlsConfig, TlsListener};
use crate::views::catalog::{Catalog, CatalogHost};
use crate::world::Data;
use crate::world::people::{CreatePersonError, CreatedPerson, NewPerson};

/// How long [`Emulator::shutdown`] lets in-flight requests finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// How to start an [`Emulator`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmulatorConfig {
    /// Address to listen on. Port 0 (the default, on 127.0.0.1) picks a free
    /// port, so parallel tests never collide.
    pub listen: SocketAddr,
    /// A world to load at start (`--fixtures FILE`); none by default.
    pub fixtures: Option<Fixtures>,
    /// Serve `https` and `wss` instead of `http` and `ws` (default: off);
    /// every URL the emulator hands out follows. See
    /// [`Emulator::ca_path`] for the certificate clients must trust.
    pub tls: Option<TlsConfig>,
    /// The base URL to advertise instead of the bound address
    /// (`--public-url`), for clients that reach the emulator by another
    /// name: a container's service name (`http://emulator:8642`) or a
    /// proxy. Every URL the emulator hands out (catalog links,
    /// `webSocketUrl`, `Link` headers, file URLs, ...) is built on it.
    /// Only a scheme, a host and a port; its scheme must be `https` with
    /// [`EmulatorConfig::tls`] and `http` without, and with TLS its host is
    /// one of the server certificate's names. `None` (the default): the
    /// bound address.
    pub public_url: Option<String>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            fixtures: None,
            tls: None,
            public_url: None,
        }
    }
}

/// A running emulator.
///
/// Dropping it stops the server: idle connections close and no new ones are
/// accepted. Use [`Emulator::shutdown`] to also wait until it has stopped.
pub struct Emulator {
    state: AppState,
    control: Arc<Control>,
    local_addr: SocketAddr,
    stun_addr: SocketAddr,
    /// With TLS on: the CA (and its temporary directory, kept while the
    /// emulator runs).
    tls: Option<Tls>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Binds `config.listen` and starts serving on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// Fails when the address cannot be bound (for example, it is in use),
    /// or when `config.fixtures` cannot be loaded: then the error is of
    /// kind [`io::ErrorKind::InvalidData`] and its inner error (`get_ref`)
    /// the [`FixturesError`]; or, with [`EmulatorConfig::tls`], when the CA
    /// cannot be made, read or written (the error's inner error is then a
    /// [`TlsError`](crate::TlsError) naming the file); or when
    /// [`EmulatorConfig::public_url`] cannot be advertised (kind
    /// [`io::ErrorKind::InvalidInput`], inner error a
    /// [`PublicUrlError`](crate::PublicUrlError)).
    pub async fn start(config: EmulatorConfig) -> io::Result<Emulator> {
        let scheme = if config.tls.is_some() {
            Scheme::Tls
        } else {
            Scheme::Plain
        };
        let public = config
            .public_url
            .as_deref()
            .map(|url| Endpoint::public(url, scheme))
            .transpose()
            .map_err(|error| io::Error::new(io::ErrorKind::InvalidInput, error))?;
        let tls = match &config.tls {
            Some(tls) => {
                let public_host = public.as_ref().map(Endpoint::certificate_name);
                Some(Tls::prepare(tls, config.listen.ip(), public_host).map_err(io::Error::other)?)
            }
            None => None,
        };
        let listener = TcpListener::bind(config.listen).await?;
        let local_addr = listener.local_addr()?;
        let endpoint =
            public.unwrap_or_else(|| Endpoint::for_bound(local_addr).with_scheme(scheme));
        let hub = Arc::new(Hub::default());
        let deliveries = Arc::new(Deliveries::default());
        let ledger = Arc::new(Ledger::default());
        let media_faults = Arc::new(MediaFaults::default());
        let datachannels = Arc::new(DataChannels::default());
        let renderers = renderers(&endpoint, &ledger);
        let subscribers: Vec<Arc<dyn Subscriber<Data>>> = vec![
            Arc::new(Dispatcher::new(Arc::clone(&deliveries))),
            Arc::clone(&hub) as Arc<dyn Subscriber<Data>>,
        ];
        let state: AppState = Arc::new(Shared::new(
            endpoint,
            Catalog::new(services::registry()),
            Bus::new(renderers, subscribers),
        ));
        let media = Arc::new(MediaService::new(Arc::clone(&state)));
        let control = Arc::new(Control::new(
            Arc::clone(&state),
            Arc::clone(&deliveries),
            Arc::clone(&hub),
            Arc::clone(&ledger),
            (Arc::clone(&media), Arc::clone(&media_faults)),
            Arc::clone(&datachannels),
        ));
        if let Some(fixtures) = &config.fixtures {
            control.load_fixtures(fixtures).map_err(fixtures_error)?;
        }
        let stun = StunResponder::bind(local_addr.ip()).await?;
        let stun_addr = reachable(stun.local_addr()?);
        stun.spawn(state.shutdown.subscribe());
        let app = router(
            Arc::clone(&state),
            Arc::clone(&control),
            hub,
            ledger,
            (media, media_faults),
            (stun_addr, datachannels),
        );
        delivery::spawn_worker(deliveries, state.shutdown.subscribe());
        wdm::expiry::spawn_sweeper(&state);
        locus::lobby::spawn_sweeper(&state);
        let stop = state.shutdown.subscribe();
        let task = match &tls {
            None => tokio::spawn(
                axum::serve(listener, app)
                    .with_graceful_shutdown(stopped(stop))
                    .into_future(),
            ),
            Some(tls) => {
                let listener = TlsListener::spawn(listener, Arc::clone(&tls.server), stop.clone())?;
                tokio::spawn(
                    axum::serve(listener, app)
                        .with_graceful_shutdown(stopped(stop))
                        .into_future(),
                )
            }
        };
        Ok(Emulator {
            state,
            control,
            local_addr,
            stun_addr,
            tls,
            task: Some(task),
        })
    }

    /// Starts an emulator on 127.0.0.1 with a free port.
    ///
    /// # Errors
    ///
    /// Fails when no local port can be bound.
    pub async fn start_default() -> io::Result<Emulator> {
        Self::start(EmulatorConfig::default()).await
    }

    /// The base URL clients use, e.g. `http://127.0.0.1:8642` (`https://`
    /// with TLS on), without a trailing slash: the
    /// [public URL](EmulatorConfig::public_url) when one was given, else
    /// the bound address, the loopback address when listening on an
    /// unspecified one (`0.0.0.0`).
    pub fn base_url(&self) -> String {
        self.state.endpoint.base_url()
    }

    /// With TLS on, the absolute path of the CA certificate (PEM) that
    /// signed the server's certificate: what clients must trust
    /// (`NODE_EXTRA_CA_CERTS`, `REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`,
    /// `WEBEX_CA_FILE`). `None` with TLS off.
    pub fn ca_path(&self) -> Option<&Path> {
        self.tls.as_ref().map(Tls::ca_path)
    }

    /// The address the server is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The UDP address of the media cluster's STUN responder, the one
    /// calliope discovery lists (`stun:<this>`; on the loopback address when
    /// the emulator listens on an unspecified one).
    pub fn stun_addr(&self) -> SocketAddr {
        self.stun_addr
    }

    /// The client-log upload slots handed out so far (the last 64), oldest
    /// first, with what was uploaded; the same as
    /// `GET /_emulator/client-logs`.
    pub fn client_logs(&self) -> Vec<crate::ClientLogUpload> {
        self.control.client_logs()
    }

    /// Creates a person (or bot) and an access token for it; the same code as
    /// `POST /_emulator/people`.
    ///
    /// # Panics
    ///
    /// Panics when [`Emulator::try_create_person`] would fail (empty name,
    /// implausible or duplicate email): a test helper should fail loudly.
    pub fn create_person(&self, request: NewPerson) -> CreatedPerson {
        match self.try_create_person(request) {
            Ok(created) => created,
            Err(error) => panic!("webex-emulator: cannot create person: {error}"),
        }
    }

    /// Creates a person (or bot) and an access token for it, reporting
    /// invalid or duplicate requests instead of panicking.
    ///
    /// # Errors
    ///
    /// See [`CreatePersonError`].
    pub fn try_create_person(
        &self,
        request: NewPerson,
    ) -> Result<CreatedPerson, CreatePersonError> {
        self.control.create_person(request)
    }

    /// Registers an OAuth client (a Webex integration); the same as
    /// `POST /_emulator/oauth/clients`.
    ///
    /// # Errors
    ///
    /// The message of the admin API's 400: no or malformed redirect URIs or
    /// scopes, a lifetime outside 1 s to ten years.
    pub fn create_oauth_client(
        &self,
        request: crate::NewOAuthClient,
    ) -> Result<crate::OAuthClientCredentials, String> {
        self.control
            .create_oauth_client(request)
            .map_err(|ApiError { message, .. }| message)
    }

    /// Creates a guest issuer whose secret signs guest JWTs for
    /// `POST /v1/jwt/login`; the same as `POST /_emulator/oauth/guest-issuers`.
    ///
    /// # Errors
    ///
    /// The message of the admin API's 400 (a lifetime outside 1 s to a year).
    pub fn create_guest_issuer(
        &self,
        request: crate::NewGuestIssuer,
    ) -> Result<crate::GuestIssuerCredentials, String> {
        self.control
            .create_guest_issuer(request)
            .map_err(|ApiError { message, .. }| message)
    }

    /// The token endpoint's last 1000 requests, oldest first (grant type,
    /// client id, status, error; never a token); the same as
    /// `GET /_emulator/oauth/token-requests`.
    pub fn oauth_token_requests(&self) -> Vec<crate::TokenRequest> {
        self.control.oauth_token_requests()
    }

    /// Makes an access or refresh token expire now (as if its lifetime ran
    /// out); whether the emulator knew it. The same as
    /// `POST /_emulator/oauth/expire`.
    pub fn expire_token(&self, token: &str) -> bool {
        self.control.expire_token(token)
    }

    /// Queues a fault; the same as `POST /_emulator/faults`.
    ///
    /// # Panics
    ///
    /// Panics when the fault is invalid (status outside 200–599, count 0,
    /// `retry_after` or `body` without `status`, or a `retry_after` string
    /// that is not a valid header value).
    pub fn add_fault(&self, fault: Fault) {
        if let Err(ApiError { message, .. }) = self.control.add_fault(fault) {
            panic!("webex-emulator: invalid fault: {message}");
        }
    }

    /// Applies a fault to open Mercury sockets (every one, or one person's)
    /// and returns how many it hit; the same as `POST /_emulator/faults`
    /// with `{"mercury": ...}`. See [`crate::MercuryFaultAction`] for what each
    /// action does on the wire.
    ///
    /// # Panics
    ///
    /// Panics when the fault is invalid (a close code that cannot close a
    /// socket, or a `person_id` that is not a Hydra person id).
    pub fn add_mercury_fault(&self, fault: MercuryFault) -> usize {
        match self.control.add_mercury_fault(&fault) {
            Ok(sockets) => sockets,
            Err(ApiError { message, .. }) => {
                panic!("webex-emulator: invalid Mercury fault: {message}")
            }
        }
    }

    /// The live WDM devices of `person_id` (a Hydra person id), oldest
    /// first; the same as `GET /_emulator/devices?personId=`.
    ///
    /// # Panics
    ///
    /// Panics when `person_id` is not a person id.
    pub fn devices(&self, person_id: &str) -> Vec<EmulatedDevice> {
        match self.control.devices(person_id) {
            Ok(devices) => devices,
            Err(ApiError { message, .. }) => panic!("webex-emulator: {message}"),
        }
    }

    /// Sets how many live devices one person may hold (default 100); a
    /// registration past it gets WDM's 403 "User has excessive device
    /// registrations". The same as `POST /_emulator/devices/limit`.
    ///
    /// # Panics
    ///
    /// Panics when `limit` is 0.
    pub fn set_device_limit(&self, limit: usize) {
        if let Err(ApiError { message, .. }) = self.control.set_device_limit(limit) {
            panic!("webex-emulator: {message}");
        }
    }

    /// Sets the upload quota and the size above which uploaded files are
    /// kept in a temporary directory instead of memory (see
    /// [`UploadLimits`](crate::UploadLimits); files already stored stay).
    pub fn set_upload_limits(&self, limits: crate::UploadLimits) {
        crate::kit::lock(&self.state.data)
            .contents
            .set_limits(limits);
    }

    /// Makes the live devices of `person_id` (of everyone with `None`)
    /// expire now, as if their `ttl` ran out: refreshes get 404 and their
    /// websockets close. Returns how many; the same as
    /// `POST /_emulator/devices/expire`.
    ///
    /// # Panics
    ///
    /// Panics when `person_id` is not a person id.
    pub fn expire_devices(&self, person_id: Option<&str>) -> usize {
        match self.control.expire_devices(person_id) {
            Ok(count) => count,
            Err(ApiError { message, .. }) => panic!("webex-emulator: {message}"),
        }
    }

    /// Creates a simulated room device (a Lyra space people can find, pair
    /// with by PIN and control); the same as `POST /_emulator/paired-devices`.
    ///
    /// # Errors
    ///
    /// The message of the admin API's 400 (a blank name or model).
    pub fn create_paired_device(
        &self,
        request: &crate::NewPairedDevice,
    ) -> Result<crate::EmulatedPairedDevice, String> {
        self.control
            .create_paired_device(request)
            .map_err(|ApiError { message, .. }| message)
    }

    /// Room device `id` as it is now (volume, mute, who is paired, bound
    /// conversations); `None` for an unknown id. The same as
    /// `GET /_emulator/paired-devices/{id}`.
    pub fn paired_device(&self, id: &str) -> Option<crate::EmulatedPairedDevice> {
        self.control.paired_device(id).ok()
    }

    /// The PIN room device `id` shows (after someone asked to pair); the
    /// same as `GET /_emulator/paired-devices/{id}/pin`. `None` when it shows
    /// none or the device is unknown.
    pub fn paired_device_pin(&self, id: &str) -> Option<String> {
        self.control.paired_device_pin(id).ok()
    }

    /// Sets room device `id`'s volume on the device itself; the paired
    /// people get `lyra.space_updated`. The same as
    /// `POST /_emulator/paired-devices/{id}/volume`.
    ///
    /// # Errors
    ///
    /// The message of the admin API's 400 or 404 (a level outside the
    /// device's range, an unknown device).
    pub fn set_paired_device_volume(
        &self,
        id: &str,
        level: i64,
    ) -> Result<crate::EmulatedPairedDevice, String> {
        self.control
            .change_paired_device_audio(
                id,
                crate::world::paired_devices::audio::AudioChange::Level(level),
            )
            .map_err(|ApiError { message, .. }| message)
    }

    /// Mutes or unmutes room device `id`'s microphones on the device itself;
    /// the same as `POST /_emulator/paired-devices/{id}/mute`.
    ///
    /// # Errors
    ///
    /// The message of the admin API's 404 for an unknown device.
    pub fn set_paired_device_muted(
        &self,
        id: &str,
        muted: bool,
    ) -> Result<crate::EmulatedPairedDevice, String> {
        self.control
            .change_paired_device_audio(
                id,
                crate::world::paired_devices::audio::AudioChange::Mute(muted),
            )
            .map_err(|ApiError { message, .. }| message)
    }

    /// Encrypts `text` with a new KMS key that `person_id` (a Hydra person id)
    /// may retrieve; the same as `POST /_emulator/kms/encrypt`.
    ///
    /// # Panics
    ///
    /// Panics when `person_id` is not a person id.
    pub fn kms_encrypt_with_new_key(&self, person_id: &str, text: &str) -> crate::KmsEncryptedText {
        match self.control.kms_encrypt(person_id, text) {
            Ok(encrypted) => encrypted,
            Err(ApiError { message, .. }) => panic!("webex-emulator: {message}"),
        }
    }

    /// Opens a `kmsMessage` (the JWE a client wraps a KMS request in) as a
    /// service receiving it would; the same as `POST /_emulator/kms/open`.
    ///
    /// # Errors
    ///
    /// Why it cannot be opened: malformed, an unknown or expired ECDHE
    /// context, or a request naming another user than the context's.
    pub fn kms_open(&self, kms_message: &str) -> Result<serde_json::Value, String> {
        self.control
            .kms_open(kms_message)
            .map_err(|ApiError { message, .. }| message)
    }

    /// Removes every queued fault (HTTP and Locus); the same as
    /// `DELETE /_emulator/faults`.
    pub fn clear_faults(&self) {
        self.control.clear_faults();
    }

    /// Adds a host to the main catalog key; the same as
    /// `POST /_emulator/catalog/hosts`.
    ///
    /// # Panics
    ///
    /// Panics when `host` is not a bare host name (empty, or containing
    /// whitespace, `/`, `?`, `#` or `@`).
    pub fn add_catalog_host(&self, host: CatalogHost) {
        if let Err(ApiError { message, .. }) = self.control.add_catalog_host(host) {
            panic!("webex-emulator: invalid catalog host: {message}");
        }
    }

    /// How many non-admin requests whose path starts with `path_prefix` were
    /// received, including those a fault answered.
    pub fn request_count(&self, path_prefix: &str) -> usize {
        self.control.request_count(path_prefix)
    }

    /// The last non-admin requests (at most 500), oldest first, each with
    /// its method, path (no query string), status, tracking id and
    /// duration; the same as `GET /_emulator/requests/recent`.
    pub fn recent_requests(&self) -> Vec<crate::RecentRequest> {
        self.control.recent_requests()
    }

    /// Everyone in the emulator, oldest first, each with a token acting for
    /// them; the same as `GET /_emulator/people`.
    pub fn people(&self) -> Vec<crate::ListedPerson> {
        self.control.people()
    }

    /// The webhook deliveries attempted so far, oldest first (the last
    /// 1000); the same as `GET /_emulator/webhooks/deliveries`. Deliveries
    /// are sent in the background, so a test polls until the one it expects
    /// shows up.
    pub fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.control.webhook_deliveries()
    }

    /// Every Mercury websocket accepted so far (the last 1000; open ones are
    /// always kept), oldest first, with how each one ended; the same as
    /// `GET /_emulator/mercury/connections`. Sockets close in the
    /// background, so a test polls until the state it expects shows up.
    pub fn mercury_connections(&self) -> Vec<MercuryConnection> {
        self.control.mercury_connections()
    }

    /// The media server's live sessions (one per participant-device that
    /// sent an offer, until it leaves or resets its transport); the same
    /// as `GET /_emulator/media/sessions`. A session closes in the
    /// background, but leaves this list at once.
    pub fn media_sessions(&self) -> Vec<MediaSessionInfo> {
        self.control.media_sessions()
    }

    /// Starts a burst of real messages pushed to the room's sockets at
    /// their pace; the same as `POST /_emulator/mercury/burst`. Returns how
    /// many messages will be posted; they follow in the background (call
    /// it inside the emulator's tokio runtime).
    ///
    /// # Errors
    ///
    /// The message of the 400 or 403 the admin API would answer: a count
    /// outside 1 to 1,000,000, ids that are not a person's and a room's, an
    /// author who is not in the room.
    pub fn start_mercury_burst(&self, burst: MercuryBurst) -> Result<usize, String> {
        self.control
            .start_mercury_burst(burst)
            .map_err(|ApiError { message, .. }| message)
    }

    /// Creates a meeting; the same as `POST /_emulator/meetings`.
    ///
    /// # Errors
    ///
    /// The message of the 400 the admin API would answer (a blank title,
    /// a host email nobody has).
    pub fn create_meeting(&self, request: NewMeeting) -> Result<CreatedMeeting, String> {
        self.control
            .create_meeting(request)
            .map_err(|ApiError { message, .. }| message)
    }

    /// Meeting `number` with its locus as a neutral observer sees it (the
    /// whole DTO without `self`, under `locus`; the last one after it
    /// ended); the same as `GET /_emulator/meetings/{number}`. `None` for
    /// an unknown number.
    pub fn meeting(&self, number: &str) -> Option<serde_json::Value> {
        self.control.meeting(number).ok()
    }

    /// A locus (a 1:1 call's, or a meeting's) as a neutral observer sees
    /// it, by its id or URL; the same as `GET /_emulator/loci/{id}`.
    /// `None` for an unknown locus.
    pub fn locus(&self, locus: &str) -> Option<serde_json::Value> {
        self.control.locus(locus).ok()
    }

    /// The captcha meeting `number` currently asks for (after three wrong
    /// passwords in a row from one person); the same as
    /// `GET /_emulator/meetings/{number}/captcha`.
    pub fn meeting_captcha(&self, number: &str) -> Option<MeetingCaptcha> {
        self.control.meeting_captcha(number).ok()
    }

    /// Drops or reorders the next Mercury locus deltas to one person (to
    /// anyone without a person id); the same as `POST /_emulator/faults`
    /// with `{"locus": "drop-deltas", ...}`.
    ///
    /// # Panics
    ///
    /// Panics when the fault is invalid (not `drop-deltas`, a count outside
    /// 1 to 1000, a person id that is not one).
    pub fn add_locus_fault(&self, fault: LocusFault) {
        if let Err(ApiError { message, .. }) = self.control.add_locus_fault(&fault) {
            panic!("webex-emulator: invalid Locus fault: {message}");
        }
    }

    /// Spoils the answer to the next offers of one person (of anyone without
    /// a person id): an answer lacking an m-line, a ROAP `ERROR`, or an
    /// answer whose candidates nothing listens on; the same as `POST
    /// /_emulator/faults` with `{"media": ...}`.
    ///
    /// # Panics
    ///
    /// Panics when the fault is invalid (a count outside 1 to 1000, a person
    /// id that is not one).
    pub fn add_media_fault(&self, fault: MediaFault) {
        if let Err(ApiError { message, .. }) = self.control.add_media_fault(&fault) {
            panic!("webex-emulator: invalid media fault: {message}");
        }
    }

    /// Loads fixtures into the world, all or nothing; the same as
    /// `POST /_emulator/state`. Nothing is published: no webhook or Mercury
    /// event announces what was loaded.
    ///
    /// # Errors
    ///
    /// The first entry that cannot be loaded (an unknown person, a
    /// duplicate id or email, a direct room without two members, ...),
    /// `FILE:LINE:COLUMN: what is wrong` when the fixtures were read from a
    /// file or a string; the world is then unchanged.
    pub fn load_fixtures(&self, fixtures: &Fixtures) -> Result<(), FixturesError> {
        self.control.load_fixtures(fixtures)
    }

    /// The world as fixtures, ids, tokens and times included, so that
    /// loading it into an empty emulator gives the same export; the same as
    /// `GET /_emulator/state`.
    pub fn export_state(&self) -> Fixtures {
        self.control.export_state()
    }

    /// Empties the world (people, tokens, rooms, messages, teams, webhooks,
    /// devices, whose sockets close, meetings, whose media sessions and
    /// data-channel sockets close, OAuth clients, ...) and what the services
    /// kept of it (the Mercury connection log, what each person got of each
    /// locus, the data-channel registrations), and clears faults, added
    /// catalog hosts, request counts and the webhook delivery log; the same
    /// as `POST /_emulator/reset`. The catalog and the admin API keep
    /// working.
    pub fn reset(&self) {
        self.control.reset();
    }

    /// Stops the server and waits (up to a few seconds) for in-flight
    /// requests to finish.
    pub async fn shutdown(mut self) {
        self.state.shutdown.send_replace(true);
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // Graceful: the server task notices and ends on its own. Dropping
        // cannot wait for it; `shutdown` can.
        self.state.shutdown.send_replace(true);
    }
}

/// Resolves once `stop` turns `true` (or its sender is gone, which also
/// means stop).
async fn stopped(mut stop: tokio::sync::watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await;
}

/// What turns world events into envelopes: webhook bodies (Hydra),
/// `conversation.activity` events (the conversation service) and `locus.*`
/// events (Locus, recording what it pushed in `ledger`).
fn renderers(endpoint: &Endpoint, ledger: &Arc<Ledger>) -> Vec<Arc<dyn Renderer<Data>>> {
    vec![
        Arc::new(Changes),
        Arc::new(conversation::renderer(&endpoint.base_url())),
        Arc::new(locus::renderer(&endpoint.base_url(), Arc::clone(ledger))),
        Arc::new(lyra::renderer(&endpoint.base_url())),
    ]
}

/// The whole HTTP surface.
///
/// Middleware order, outermost first: CORS (preflights are answered
/// there, so they are neither counted nor faulted), tracking ids (so every response,
/// faulted or not, carries one and every error gets the Webex body), the
/// request log (so faulted requests still count), faults, then the bus
/// drain (after a handler ran, what it published goes to webhooks and
/// connected devices).
fn router(
    state: AppState,
    control: Arc<Control>,
    hub: Arc<Hub>,
    ledger: Arc<Ledger>,
    (media, media_faults): (Arc<MediaService>, Arc<MediaFaults>),
    (stun, datachannels): (SocketAddr, Arc<DataChannels>),
) -> Router {
    Router::new()
        .merge(control::routes::routes(Arc::clone(&control)))
        .merge(u2c::routes())
        .merge(metrics::routes())
        .merge(hydra::routes())
        .merge(idbroker::routes())
        .merge(conversation::routes())
        .merge(wdm::routes())
        .merge(encryption::routes())
        .merge(mercury::routes(hub))
        .merge(locus::routes(ledger, media, media_faults))
        .merge(meetinginfo::routes())
        .merge(calliope::routes(stun))
        .merge(clientlogs::routes())
        .merge(datachannel::routes(datachannels))
        .merge(lyra::routes())
        .merge(devicemanager::auxiliary::routes(wdm::SPEC.base_path))
        .merge(devicemanager::directory::routes())
        .merge(devicemanager::proximity::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(Arc::clone(&state), app::drain_after))
        .layer(from_fn_with_state(Arc::clone(&control), faults::middleware))
        .layer(from_fn_with_state(control, requests::middleware))
        .layer(from_fn(tracking::middleware))
        .layer(cors::layer())
        .with_state(state)
}

/// Any path the emulator does not serve; under `/_emulator/`, with the list
/// of admin operations.
async fn not_found(method: Method, uri: Uri) -> ApiError {
    if control::routes::is_admin_path(uri.path()) {
        return operations::unknown(&method, uri.path(), StatusCode::NOT_FOUND);
    }
    ApiError::not_found(NOT_FOUND)
}

/// A known path with a method it does not support; under `/_emulator/`,
/// with the list of admin operations.
async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    if control::routes::is_admin_path(uri.path()) {
        return operations::unknown(&method, uri.path(), StatusCode::METHOD_NOT_ALLOWED);
    }
    ApiError::for_status(StatusCode::METHOD_NOT_ALLOWED)
}

/// Fixtures that cannot be loaded at start, as the error of
/// [`Emulator::start`] (its source is the [`FixturesError`]).
fn fixtures_error(error: FixturesError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, error)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use uuid::Uuid;

    use super::*;
    use crate::bus::{Audience, Envelope, Payload};
    use crate::kit::ids::{self, HydraType};
    use crate::world::Org;
    use crate::world::people::PersonType;
    use crate::world::webhooks::Webhook;
    use crate::world::webhooks::filter::Filter;

    /// Records every envelope it receives.
    #[derive(Default)]
    struct Recorder(Mutex<Vec<(Envelope, String)>>);

    impl Subscriber<Data> for Recorder {
        fn receive(&self, _data: &Data, envelope: &Envelope, tracking_id: &str) {
            let mut log = self.0.lock().unwrap();
            log.push((envelope.clone(), tracking_id.to_owned()));
        }
    }

    fn person(data: &mut Data, name: &str) -> Uuid {
        let created = data
            .create_person(NewPerson {
                display_name: name.to_owned(),
                email: format!("{name}@example.com"),
                kind: PersonType::Person,
            })
            .unwrap();
        ids::decode_uuid(&created.id, HydraType::People).unwrap()
    }

    /// A webhook of `owner` for every change.
    fn webhook(data: &mut Data, owner: Uuid) {
        let created = data.tick();
        let hook = Webhook {
            uuid: Uuid::new_v4(),
            name: "everything".to_owned(),
            target_url: "http://127.0.0.1:9/hook".to_owned(),
            resource: None,
            event: None,
            filter_text: None,
            filter: Filter::default(),
            secret: None,
            active: true,
            owner,
            owned_by: "creator".to_owned(),
            created,
        };
        data.webhooks.hooks.insert(hook.uuid, hook);
    }

    /// A world whose bus renders with the emulator's renderers into a recorder.
    fn recorded_world() -> (Data, Arc<Recorder>) {
        let endpoint = Endpoint::for_bound("127.0.0.1:8642".parse().unwrap());
        let recorder = Arc::new(Recorder::default());
        let subscribers: Vec<Arc<dyn Subscriber<Data>>> = vec![recorder.clone()];
        let ledger = Arc::new(Ledger::default());
        let data = Data::new(
            Org::new(),
            Bus::new(renderers(&endpoint, &ledger), subscribers),
        );
        (data, recorder)
    }

    #[test]
    fn without_an_active_webhook_no_change_is_rendered_for_webhooks() {
        let (mut data, recorder) = recorded_world();
        let alice = person(&mut data, "alice");
        data.create_group_room(alice, "Plans", None, false);
        data.drain("T_1");
        let log = recorder.0.lock().unwrap();
        assert!(!log.is_empty(), "the activity still goes to the devices");
        assert!(
            log.iter()
                .all(|(envelope, _)| envelope.audience != Audience::Webhooks)
        );
    }

    #[test]
    fn world_changes_are_rendered_and_drained_without_http() {
        let (mut data, recorder) = recorded_world();
        let alice = person(&mut data, "alice");
        webhook(&mut data, alice);
        let bob = person(&mut data, "bob");
        let room = data.create_group_room(alice, "Plans", None, false);
        data.add_member(room, bob, false, alice);
        assert!(
            recorder.0.lock().unwrap().is_empty(),
            "nothing before a drain"
        );

        // Any task may drain, not only the HTTP middleware.
        std::thread::scope(|scope| scope.spawn(|| data.drain("T_1")).join().unwrap());

        let log = recorder.0.lock().unwrap();
        assert!(log.iter().all(|(_, tracking)| tracking == "T_1"));
        let webhooks: Vec<(&str, &str)> = log
            .iter()
            .filter_map(|(envelope, _)| match &envelope.payload {
                Payload::Change(change) if envelope.audience == Audience::Webhooks => {
                    Some((change.resource.as_str(), change.event.as_str()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            webhooks,
            [
                ("rooms", "created"),
                ("memberships", "created"),
                ("memberships", "created"),
            ]
        );
        let pushes: Vec<(String, Vec<Uuid>)> = log
            .iter()
            .filter_map(
                |(envelope, _)| match (&envelope.audience, &envelope.payload) {
                    (Audience::People(people), Payload::Mercury { event_type, data }) => {
                        assert_eq!(*event_type, "conversation.activity");
                        assert_eq!(data["eventType"], "conversation.activity");
                        let verb = data["activity"]["verb"].as_str().unwrap().to_owned();
                        Some((verb, people.clone()))
                    }
                    _ => None,
                },
            )
            .collect();
        assert_eq!(
            pushes,
            [
                ("create".to_owned(), vec![alice]),
                ("add".to_owned(), vec![alice, bob]),
            ]
        );
    }
}
