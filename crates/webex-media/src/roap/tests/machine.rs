//! Every row of the client state machine's table, glare both ways, retries, and the
//! offer/answer deadline on a simulated clock.

use std::time::{Duration, Instant};

use crate::roap::*;

const OFFER_SDP: &str = "v=0 local offer";
const ANSWER_SDP: &str = "v=0 remote answer";

fn drain(machine: &mut RoapMachine) -> Vec<RoapOutput> {
    std::iter::from_fn(|| machine.poll_output()).collect()
}

fn remote(message_type: MessageType, seq: u64) -> RoapMessage {
    RoapMessage::new(message_type, seq)
}

fn remote_offer(seq: u64) -> RoapMessage {
    let mut offer = remote(MessageType::Offer, seq);
    offer.sdp = Some("v=0 remote offer".into());
    offer
}

fn remote_answer(seq: u64, no_ok: bool) -> RoapMessage {
    let mut answer = RoapMessage::answer(seq, ANSWER_SDP);
    if no_ok {
        answer.headers.push(HEADER_NO_OK.into());
    }
    answer
}

fn remote_error(seq: u64, error_type: ErrorType) -> RoapMessage {
    RoapMessage::error(seq, error_type)
}

/// Hands `message` to the machine and returns what it said.
fn reply(machine: &mut RoapMachine, message: RoapMessage, now: Instant) -> Vec<RoapOutput> {
    machine.handle_remote(message, now);
    drain(machine)
}

/// Answers the machine's current offer with `error`, and returns what it said.
fn error_at_current_seq(
    machine: &mut RoapMachine,
    error: ErrorType,
    now: Instant,
) -> Vec<RoapOutput> {
    let seq = machine.seq();
    reply(machine, remote_error(seq, error), now)
}

/// Reports the local offer and checks it went out with `seq`.
fn offer_made(machine: &mut RoapMachine, seq: u64) {
    machine
        .local_offer_ready(OFFER_SDP.into())
        .expect("creating");
    assert_eq!(drain(machine), [send(RoapMessage::offer(seq, OFFER_SDP))]);
}

fn send(message: RoapMessage) -> RoapOutput {
    RoapOutput::Send(message)
}

/// A machine that sent its first offer (seq 1) and waits for the answer.
fn waiting_for_answer(now: Instant) -> RoapMachine {
    let mut machine = RoapMachine::new(7);
    machine.initiate_offer(now).expect("idle");
    assert_eq!(
        drain(&mut machine),
        [RoapOutput::Started, RoapOutput::CreateOffer]
    );
    offer_made(&mut machine, 1);
    assert_eq!(machine.state(), RoapState::WaitingForAnswer);
    machine
}

#[test]
fn a_local_offer_is_sent_with_seq_1_tie_breaker_and_headers() {
    let now = Instant::now();
    let mut machine = waiting_for_answer(now);
    assert_eq!(machine.seq(), 1);
    let offer = RoapMessage::offer(1, OFFER_SDP);
    assert_eq!(offer.tie_breaker, Some(4_294_967_294));
    assert_eq!(
        offer.headers,
        ["includeAnswerInHttpResponse", "noOkInTransaction"]
    );
    assert_eq!(
        reply(&mut machine, remote_answer(1, true), now),
        [RoapOutput::ApplyAnswer(ANSWER_SDP.into())]
    );
    assert_eq!(machine.state(), RoapState::SettingRemoteAnswer);
    machine.remote_answer_applied(now).expect("setting");
    assert_eq!(
        drain(&mut machine),
        [RoapOutput::Done],
        "noOkInTransaction: no OK"
    );
    assert_eq!(machine.state(), RoapState::Idle);
    assert_eq!(machine.poll_timeout(), None);
}

#[test]
fn an_answer_without_no_ok_is_acknowledged() {
    let now = Instant::now();
    let mut machine = waiting_for_answer(now);
    machine.handle_remote(remote_answer(1, false), now);
    drain(&mut machine);
    machine.remote_answer_applied(now).expect("setting");
    assert_eq!(
        drain(&mut machine),
        [send(RoapMessage::ok(1)), RoapOutput::Done]
    );
}

#[test]
fn an_answer_with_a_higher_seq_is_taken_and_its_seq_adopted() {
    let now = Instant::now();
    let mut machine = waiting_for_answer(now);
    machine.handle_remote(remote_answer(4, false), now);
    assert_eq!(machine.seq(), 4);
    drain(&mut machine);
    machine.remote_answer_applied(now).expect("setting");
    assert_eq!(drain(&mut machine)[0], send(RoapMessage::ok(4)));
}

#[test]
fn idle_refuses_a_remote_offer_with_the_current_seq() {
    let now = Instant::now();
    let mut machine = RoapMachine::with_seq(3, 1);
    assert_eq!(
        reply(&mut machine, remote_offer(3), now),
        [send(remote_error(3, ErrorType::OutOfOrder))]
    );
    assert_eq!(machine.state(), RoapState::Idle);
}

#[test]
fn idle_answers_a_remote_offer_with_a_higher_seq() {
    let now = Instant::now();
    let mut machine = RoapMachine::new(1);
    assert_eq!(
        reply(&mut machine, remote_offer(5), now),
        [
            RoapOutput::Started,
            RoapOutput::ApplyOffer("v=0 remote offer".into())
        ]
    );
    assert_eq!(machine.seq(), 5);
    machine
        .local_answer_ready("v=0 our answer".into())
        .expect("setting");
    assert_eq!(
        drain(&mut machine),
        [send(RoapMessage::answer(5, "v=0 our answer"))]
    );
    assert_eq!(machine.state(), RoapState::WaitingForOk);
    assert_eq!(
        reply(&mut machine, remote(MessageType::Ok, 5), now),
        [RoapOutput::Done]
    );
    assert_eq!(machine.state(), RoapState::Idle);
}

#[test]
fn idle_answers_an_offer_request_with_an_offer_response() {
    let now = Instant::now();
    let mut machine = RoapMachine::new(1);
    assert_eq!(
        reply(&mut machine, remote(MessageType::OfferRequest, 2), now),
        [RoapOutput::Started, RoapOutput::CreateOffer]
    );
    machine
        .local_offer_ready(OFFER_SDP.into())
        .expect("creating");
    let sent = drain(&mut machine);
    assert_eq!(sent, [send(RoapMessage::offer_response(2, OFFER_SDP))]);
    let RoapOutput::Send(response) = &sent[0] else {
        unreachable!("checked above")
    };
    assert_eq!(response.message_type, MessageType::OfferResponse);
    assert_eq!(machine.state(), RoapState::WaitingForAnswer);
    // The next local offer is a plain OFFER again.
    machine.handle_remote(remote_answer(2, true), now);
    drain(&mut machine);
    machine.remote_answer_applied(now).expect("setting");
    machine.initiate_offer(now).expect("idle");
    machine
        .local_offer_ready(OFFER_SDP.into())
        .expect("creating");
    assert!(drain(&mut machine).contains(&send(RoapMessage::offer(3, OFFER_SDP))));
}

#[test]
fn idle_re_acknowledges_a_repeated_answer_and_refuses_others() {
    let now = Instant::now();
    let mut machine = waiting_for_answer(now);
    machine.handle_remote(remote_answer(1, true), now);
    machine.remote_answer_applied(now).expect("setting");
    drain(&mut machine);
    assert_eq!(
        reply(&mut machine, remote_answer(1, true), now),
        [send(RoapMessage::ok(1))]
    );
    assert_eq!(
        reply(&mut machine, remote_answer(2, true), now),
        [send(remote_error(2, ErrorType::InvalidState))]
    );
    assert_eq!(
        reply(&mut machine, remote(MessageType::Ok, 1), now),
        [send(remote_error(1, ErrorType::InvalidState))]
    );
    assert_eq!(machine.state(), RoapState::Idle);
}

#[test]
fn a_message_with_a_lower_seq_is_out_of_order_and_a_stale_error_ignored() {
    let now = Instant::now();
    let mut machine = RoapMachine::with_seq(4, 1);
    assert_eq!(
        reply(&mut machine, remote_answer(2, true), now),
        [send(remote_error(2, ErrorType::OutOfOrder))]
    );
    assert_eq!(
        reply(&mut machine, remote_error(3, ErrorType::Failed), now),
        [RoapOutput::Ignored(Ignored::StaleError)]
    );
    assert_eq!(machine.state(), RoapState::Idle);
}

#[test]
fn glare_while_waiting_the_client_wins_with_conflict() {
    let now = Instant::now();
    let mut machine = waiting_for_answer(now);
    let mut server_offer = remote_offer(1);
    server_offer.tie_breaker = Some(10);
    assert_eq!(
        reply(&mut machine, server_offer, now),
        [send(remote_error(1, ErrorType::Conflict))]
    );
    assert_eq!(machine.state(), RoapState::WaitingForAnswer);
}

#[test]
fn glare_with_the_same_top_tie_breaker_is_a_double_conflict() {
    let now = Instant::now();
    let mut machine = RoapMachine::new(1);
    machine.initiate_offer(now).expect("idle");
    drain(&mut machine);
    let mut server_offer = remote_offer(2);
    server_offer.tie_breaker = Some(CLIENT_TIE_BREAKER);
    assert_eq!(
        reply(&mut machine, server_offer, now),
        [send(remote_error(2, ErrorType::DoubleConflict))]
    );
    assert_eq!(machine.state(), RoapState::CreatingLocalOffer);
    assert_eq!(
        reply(&mut machine, remote(MessageType::OfferRequest, 2), now),
        [send(remote_error(2, ErrorType::Conflict))]
    );
}

#[test]
fn glare_the_other_way_the_server_refuses_ours_and_we_offer_again() {
    let now = Instant::now();
    let mut machine = waiting_for_answer(now);
    assert_eq!(
        reply(
            &mut machine,
            remote_error(1, ErrorType::DoubleConflict),
            now
        ),
        [RoapOutput::CreateOffer]
    );
    assert_eq!(machine.seq(), 2);
    offer_made(&mut machine, 2);
}

#[test]
fn each_retryable_error_makes_a_new_offer_until_retries_run_out() {
    for error in [
        ErrorType::DoubleConflict,
        ErrorType::InvalidState,
        ErrorType::OutOfOrder,
        ErrorType::Retry,
    ] {
        let now = Instant::now();
        let mut machine = waiting_for_answer(now);
        for retry in 1..=MAX_RETRIES {
            assert_eq!(
                error_at_current_seq(&mut machine, error.clone(), now),
                [RoapOutput::CreateOffer],
                "{error}"
            );
            machine
                .local_offer_ready(OFFER_SDP.into())
                .expect("creating");
            let seq = 1 + u64::from(retry);
            assert_eq!(
                drain(&mut machine),
                [send(RoapMessage::offer(seq, OFFER_SDP))]
            );
        }
        assert_eq!(
            error_at_current_seq(&mut machine, error.clone(), now),
            [RoapOutput::Failed(RoapFailure::RetriesExhausted {
                error_type: error
            })]
        );
        assert_eq!(machine.state(), RoapState::RemoteError);
        assert_eq!(machine.poll_timeout(), None);
    }
}

#[test]
fn an_answer_resets_the_retry_count() {
    let now = Instant::now();
    let mut machine = waiting_for_answer(now);
    for _ in 0..MAX_RETRIES {
        machine.handle_remote(remote_error(machine.seq(), ErrorType::Retry), now);
        machine
            .local_offer_ready(OFFER_SDP.into())
            .expect("creating");
    }
    machine.handle_remote(remote_answer(machine.seq(), true), now);
    machine.remote_answer_applied(now).expect("setting");
    machine.initiate_offer(now).expect("idle");
    machine
        .local_offer_ready(OFFER_SDP.into())
        .expect("creating");
    drain(&mut machine);
    assert_eq!(
        error_at_current_seq(&mut machine, ErrorType::Retry, now),
        [RoapOutput::CreateOffer]
    );
}

#[test]
fn another_error_fails_the_negotiation_for_good() {
    let now = Instant::now();
    let mut machine = waiting_for_answer(now);
    let mut refused = remote_error(1, ErrorType::Refused);
    refused.error_cause = Some("no capacity".into());
    machine.handle_remote(refused, now);
    let failure = RoapFailure::Remote {
        error_type: ErrorType::Refused,
        cause: Some("no capacity".into()),
    };
    assert_eq!(drain(&mut machine), [RoapOutput::Failed(failure.clone())]);
    assert!(failure.to_string().contains("REFUSED (no capacity)"));
    assert_eq!(machine.state(), RoapState::RemoteError);
    assert_eq!(
        reply(&mut machine, remote_answer(1, true), now),
        [RoapOutput::Ignored(Ignored::Terminated)]
    );
    assert!(machine.initiate_offer(now).is_err());
}

#[test]
fn an_error_with_another_seq_while_waiting_is_ignored() {
    let now = Instant::now();
    let mut machine = waiting_for_answer(now);
    assert_eq!(
        reply(&mut machine, remote_error(5, ErrorType::Refused), now),
        [RoapOutput::Ignored(Ignored::Unexpected {
            state: RoapState::WaitingForAnswer,
            message_type: MessageType::Error
        })]
    );
    assert_eq!(machine.state(), RoapState::WaitingForAnswer);
}

#[test]
fn a_second_remote_offer_while_applying_one_is_refused_with_retry_after() {
    let now = Instant::now();
    let mut machine = RoapMachine::new(1);
    machine.handle_remote(remote_offer(2), now);
    drain(&mut machine);
    machine.handle_remote(remote_offer(3), now);
    let out = drain(&mut machine);
    let [RoapOutput::Send(refusal)] = out.as_slice() else {
        panic!("expected one refusal, got {out:?}");
    };
    assert_eq!(refusal.error_type, Some(ErrorType::Failed));
    assert_eq!(refusal.seq, 3);
    assert!(refusal.retry_after.is_some_and(|s| s <= MAX_RETRY_AFTER));
    assert_eq!(machine.state(), RoapState::SettingRemoteOffer);
}

#[test]
fn an_error_instead_of_ok_fails_the_remote_offer() {
    let now = Instant::now();
    let mut machine = RoapMachine::new(1);
    machine.handle_remote(remote_offer(2), now);
    machine
        .local_answer_ready("v=0 answer".into())
        .expect("setting");
    drain(&mut machine);
    machine.handle_remote(remote_error(2, ErrorType::Failed), now);
    assert!(matches!(
        drain(&mut machine).as_slice(),
        [RoapOutput::Failed(RoapFailure::Remote {
            error_type: ErrorType::Failed,
            ..
        })]
    ));
    assert_eq!(machine.state(), RoapState::RemoteError);
}

#[test]
fn an_offer_asked_for_while_creating_one_is_made_again() {
    let now = Instant::now();
    let mut machine = RoapMachine::new(1);
    machine.initiate_offer(now).expect("idle");
    drain(&mut machine);
    machine.initiate_offer(now).expect("queued");
    machine.local_offer_ready("stale".into()).expect("creating");
    assert_eq!(drain(&mut machine), [RoapOutput::CreateOffer]);
    offer_made(&mut machine, 1);
}

#[test]
fn an_offer_asked_for_while_busy_is_replayed_when_idle() {
    let now = Instant::now();
    let mut machine = waiting_for_answer(now);
    machine.initiate_offer(now).expect("queued");
    assert_eq!(drain(&mut machine), []);
    machine.handle_remote(remote_answer(1, true), now);
    drain(&mut machine);
    machine.remote_answer_applied(now).expect("setting");
    assert_eq!(
        drain(&mut machine),
        [
            RoapOutput::Done,
            RoapOutput::Started,
            RoapOutput::CreateOffer
        ]
    );
    assert_eq!(machine.seq(), 2);
}

#[test]
fn a_browser_failure_is_terminal_and_tells_the_server_when_it_waits() {
    let now = Instant::now();
    let mut machine = RoapMachine::new(1);
    machine.handle_remote(remote_offer(2), now);
    drain(&mut machine);
    machine.local_failure("setRemoteDescription failed");
    assert_eq!(
        drain(&mut machine),
        [
            send(remote_error(2, ErrorType::Failed)),
            RoapOutput::Failed(RoapFailure::Local("setRemoteDescription failed".into()))
        ]
    );
    assert_eq!(machine.state(), RoapState::BrowserError);

    let mut creating = RoapMachine::new(1);
    creating.initiate_offer(now).expect("idle");
    drain(&mut creating);
    creating.local_failure("createOffer failed");
    assert_eq!(
        drain(&mut creating),
        [RoapOutput::Failed(RoapFailure::Local(
            "createOffer failed".into()
        ))]
    );
}

#[test]
fn calls_out_of_turn_are_refused_not_obeyed() {
    let now = Instant::now();
    let mut machine = RoapMachine::new(1);
    assert_eq!(
        machine.local_offer_ready(OFFER_SDP.into()),
        Err(NotExpected {
            state: RoapState::Idle,
            call: "local_offer_ready"
        })
    );
    assert!(machine.remote_answer_applied(now).is_err());
    assert!(machine.local_answer_ready("x".into()).is_err());
    assert_eq!(drain(&mut machine), []);
}

#[test]
fn no_answer_within_35_seconds_times_out() {
    let start = Instant::now();
    let mut machine = waiting_for_answer(start);
    assert_eq!(machine.poll_timeout(), Some(start + OFFER_ANSWER_TIMEOUT));
    machine.handle_timeout(start + OFFER_ANSWER_TIMEOUT - Duration::from_millis(1));
    assert_eq!(drain(&mut machine), []);
    machine.handle_timeout(start + OFFER_ANSWER_TIMEOUT);
    assert_eq!(
        drain(&mut machine),
        [RoapOutput::Failed(RoapFailure::Timeout)]
    );
    assert_eq!(machine.state(), RoapState::TimedOut);
    assert_eq!(machine.poll_timeout(), None);
}

#[test]
fn retries_share_the_first_offers_deadline() {
    let start = Instant::now();
    let mut machine = waiting_for_answer(start);
    let later = start + Duration::from_secs(30);
    machine.handle_remote(remote_error(1, ErrorType::Retry), later);
    assert_eq!(machine.poll_timeout(), Some(start + OFFER_ANSWER_TIMEOUT));
}

#[tokio::test(start_paused = true)]
async fn a_driver_on_the_paused_clock_times_out_after_35_seconds() {
    let start = tokio::time::Instant::now();
    let mut machine = waiting_for_answer(start.into_std());
    let deadline = machine.poll_timeout().expect("armed");
    tokio::time::sleep_until(deadline.into()).await;
    machine.handle_timeout(tokio::time::Instant::now().into_std());
    assert_eq!(
        drain(&mut machine),
        [RoapOutput::Failed(RoapFailure::Timeout)]
    );
    assert_eq!(start.elapsed(), OFFER_ANSWER_TIMEOUT);
}
