//! Password checks of meeting info, with the captcha a person must solve
//! after three wrong passwords in a row.

use std::collections::HashMap;

use uuid::Uuid;

/// Wrong passwords in a row after which a captcha is required.
pub(crate) const WRONG_BEFORE_CAPTCHA: u32 = 3;

/// A captcha a person must solve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Captcha {
    /// `captchaID`.
    pub(crate) id: Uuid,
    /// The code the image would show.
    pub(crate) code: String,
}

impl Captcha {
    /// A fresh captcha with a six-digit code.
    fn fresh() -> Self {
        let id = Uuid::new_v4();
        let code = format!("{:06}", id.as_u128() % 1_000_000);
        Self { id, code }
    }
}

/// What one person has tried.
#[derive(Clone, Debug, Default)]
struct Attempts {
    wrong: u32,
    captcha: Option<Captcha>,
}

/// The outcome of a password check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PasswordCheck {
    /// The password (or host key) is right, or none is needed.
    Accepted {
        /// The host key was given.
        host_key: bool,
    },
    /// No or a wrong password, and no captcha yet.
    Required,
    /// A captcha must be solved (with the right password); `wrong_captcha`
    /// when one was pending and the answer was wrong or missing.
    Captcha {
        /// The captcha now pending.
        captcha: Captcha,
        /// A captcha was already required before this attempt.
        again: bool,
    },
}

/// Per-person attempts of one meeting.
#[derive(Clone, Debug, Default)]
pub(crate) struct CaptchaBook {
    attempts: HashMap<Uuid, Attempts>,
    /// The captcha required most recently, for the admin API.
    latest: Option<Captcha>,
}

/// A password attempt.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Attempt<'a> {
    /// Who tries.
    pub(crate) person: Uuid,
    /// The `password` field (a password or a host key).
    pub(crate) password: Option<&'a str>,
    /// `captchaID`.
    pub(crate) captcha_id: Option<&'a str>,
    /// `captchaVerifyCode`.
    pub(crate) captcha_code: Option<&'a str>,
}

impl CaptchaBook {
    /// Checks `attempt` against `password` and `host_key`. A right host key
    /// always passes (it makes the caller a host); a pending captcha must be
    /// solved before a password counts.
    pub(crate) fn check(
        &mut self,
        password: Option<&str>,
        host_key: &str,
        attempt: Attempt<'_>,
    ) -> PasswordCheck {
        let given = attempt.password.map(str::trim).filter(|p| !p.is_empty());
        let entry = self.attempts.entry(attempt.person).or_default();
        if let Some(pending) = entry.captcha.clone() {
            let solved = attempt.captcha_id == Some(pending.id.to_string().as_str())
                && attempt.captcha_code.map(str::trim) == Some(pending.code.as_str());
            let right = given.is_some_and(|g| g == host_key || Some(g) == password);
            if solved && right {
                *entry = Attempts::default();
                return PasswordCheck::Accepted {
                    host_key: given == Some(host_key),
                };
            }
            // A wrong answer or a wrong password with a right answer: a new
            // captcha, so codes cannot be guessed one by one.
            let fresh = Captcha::fresh();
            entry.captcha = Some(fresh.clone());
            self.latest = Some(fresh.clone());
            return PasswordCheck::Captcha {
                captcha: fresh,
                again: true,
            };
        }
        match (given, password) {
            (Some(given), _) if given == host_key => {
                *entry = Attempts::default();
                PasswordCheck::Accepted { host_key: true }
            }
            (_, None) => PasswordCheck::Accepted { host_key: false },
            (Some(given), Some(password)) if given == password => {
                *entry = Attempts::default();
                PasswordCheck::Accepted { host_key: false }
            }
            (None, Some(_)) => PasswordCheck::Required,
            (Some(_), Some(_)) => {
                entry.wrong = entry.wrong.saturating_add(1);
                if entry.wrong < WRONG_BEFORE_CAPTCHA {
                    return PasswordCheck::Required;
                }
                let fresh = Captcha::fresh();
                entry.captcha = Some(fresh.clone());
                self.latest = Some(fresh.clone());
                PasswordCheck::Captcha {
                    captcha: fresh,
                    again: false,
                }
            }
        }
    }

    /// Replaces the pending captcha `id` with a new one (the refresh URL).
    pub(crate) fn refresh(&mut self, id: &str) -> Option<Captcha> {
        let entry = self.attempts.values_mut().find(|entry| {
            entry
                .captcha
                .as_ref()
                .is_some_and(|c| c.id.to_string() == id)
        })?;
        let fresh = Captcha::fresh();
        entry.captcha = Some(fresh.clone());
        self.latest = Some(fresh.clone());
        Some(fresh)
    }

    /// The pending captcha with `id`.
    pub(crate) fn pending(&self, id: &str) -> Option<&Captcha> {
        self.attempts
            .values()
            .filter_map(|entry| entry.captcha.as_ref())
            .find(|captcha| captcha.id.to_string() == id)
    }

    /// The captcha required most recently, while it is still pending.
    pub(crate) fn latest(&self) -> Option<&Captcha> {
        let latest = self.latest.as_ref()?;
        self.attempts
            .values()
            .any(|entry| entry.captcha.as_ref() == Some(latest))
            .then_some(latest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt<'a>(person: Uuid, password: Option<&'a str>) -> Attempt<'a> {
        Attempt {
            person,
            password,
            captcha_id: None,
            captcha_code: None,
        }
    }

    #[test]
    fn three_wrong_passwords_require_a_captcha_then_the_right_answer_passes() {
        let mut book = CaptchaBook::default();
        let me = Uuid::new_v4();
        let pw = Some("secret");
        assert_eq!(
            book.check(pw, "123456", attempt(me, None)),
            PasswordCheck::Required
        );
        for _ in 0..2 {
            assert_eq!(
                book.check(pw, "123456", attempt(me, Some("nope"))),
                PasswordCheck::Required
            );
        }
        let PasswordCheck::Captcha { captcha, again } =
            book.check(pw, "123456", attempt(me, Some("nope")))
        else {
            panic!("captcha expected");
        };
        assert!(!again);
        assert_eq!(book.latest(), Some(&captcha));
        // The right password alone is not enough now.
        assert!(matches!(
            book.check(pw, "123456", attempt(me, Some("secret"))),
            PasswordCheck::Captcha { again: true, .. }
        ));
        let captcha = book.latest().unwrap().clone();
        let id = captcha.id.to_string();
        let solved = Attempt {
            person: me,
            password: Some("secret"),
            captcha_id: Some(&id),
            captcha_code: Some(&captcha.code),
        };
        assert_eq!(
            book.check(pw, "123456", solved),
            PasswordCheck::Accepted { host_key: false }
        );
        assert_eq!(book.latest(), None);
        // Another person is not affected, and the host key always works.
        assert_eq!(
            book.check(pw, "123456", attempt(Uuid::new_v4(), Some("123456"))),
            PasswordCheck::Accepted { host_key: true }
        );
    }
}
