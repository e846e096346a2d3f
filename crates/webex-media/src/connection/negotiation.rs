//! The driver's ROAP side: it starts offers, and carries out what the ROAP machine asks
//! (make and munge an offer, check and apply an answer, send a message, report the end).

use super::driver::{Driver, now};
use super::event::{ConnectionState, MediaEvent};
use super::status::Negotiation;
use crate::error::MediaError;
use crate::roap::RoapOutput;
use crate::sdp::{check_answer, munge_local_offer};

impl Driver {
    /// Starts (or queues) an offer.
    pub(super) async fn initiate_offer(&mut self) -> Result<(), MediaError> {
        self.roap.initiate_offer(now())?;
        self.drive_roap().await;
        self.error.take().map_or(Ok(()), Err)
    }

    /// Carries out the machine's outputs until it has none; the first error is kept in
    /// `self.error` for the command being served.
    pub(super) async fn drive_roap(&mut self) {
        while let Some(output) = self.roap.poll_output() {
            match output {
                RoapOutput::Started => {
                    self.shared
                        .status
                        .negotiation
                        .send_replace(Negotiation::Running);
                    self.shared.events.emit(MediaEvent::RoapStarted).await;
                }
                RoapOutput::Send(message) => {
                    self.shared.events.emit(MediaEvent::Roap(message)).await;
                }
                RoapOutput::CreateOffer => match self.make_offer().await {
                    Ok(offer) => {
                        if let Err(error) = self.roap.local_offer_ready(offer) {
                            tracing::warn!(%error, "offer made out of turn");
                        }
                    }
                    Err(error) => self.local_failure(error),
                },
                RoapOutput::ApplyAnswer(answer) => match self.apply_answer(&answer).await {
                    Ok(()) => {
                        if let Err(error) = self.roap.remote_answer_applied(now()) {
                            tracing::warn!(%error, "answer applied out of turn");
                        }
                    }
                    Err(error) => self.local_failure(error),
                },
                RoapOutput::ApplyOffer(_) => {
                    // The client always offers (as the JS SDK's transcoded connection does);
                    // the backends do not answer remote offers.
                    let reason = "remote ROAP offers are not supported".to_owned();
                    self.local_failure(MediaError::Backend(reason));
                }
                RoapOutput::Done => {
                    self.shared
                        .status
                        .negotiation
                        .send_replace(Negotiation::Done);
                    self.shared.events.emit(MediaEvent::RoapDone).await;
                }
                RoapOutput::Failed(failure) => {
                    self.shared
                        .status
                        .negotiation
                        .send_replace(Negotiation::Failed(failure.clone()));
                    self.error.get_or_insert(MediaError::Roap(failure.clone()));
                    self.shared
                        .events
                        .emit(MediaEvent::RoapFailed(failure))
                        .await;
                }
                RoapOutput::Ignored(why) => tracing::debug!(?why, "ROAP message ignored"),
            }
        }
    }

    /// The backend's offer, munged for Locus.
    async fn make_offer(&mut self) -> Result<String, MediaError> {
        let offer = self.backend.create_offer().await?;
        let munged = munge_local_offer(&offer, &self.munge)?;
        self.local_offer = Some(munged.clone());
        Ok(munged)
    }

    /// Checks `answer` against the offer sent, then applies it.
    async fn apply_answer(&mut self, answer: &str) -> Result<(), MediaError> {
        let offer = self
            .local_offer
            .as_deref()
            .ok_or_else(|| MediaError::Backend("an answer without an offer".into()))?;
        let summary = check_answer(offer, answer)?;
        tracing::debug!(media_server = %summary.media_server, "applying the ROAP answer");
        self.backend.apply_answer(answer).await?;
        if self.shared.status.connection.borrow().state == ConnectionState::New {
            self.set_connection(ConnectionState::Connecting, None).await;
        }
        Ok(())
    }

    /// The local side failed: the machine ends (telling Locus when it awaits us) and the
    /// command being served returns `error`.
    fn local_failure(&mut self, error: MediaError) {
        self.roap.local_failure(error.to_string());
        self.error.get_or_insert(error);
    }
}
