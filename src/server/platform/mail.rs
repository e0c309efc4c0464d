//! Outgoing mail. With `SMTP_URL` set, lettre delivers each letter through the relay; without it
//! in development, the letter — link included — is written to the log for the developer to
//! follow; without it on an https deployment, mail is off and every dropped letter says so.
//!
//! Sending happens beside the request that asked for it: an answer never waits for a relay, and
//! takes the same time whether a letter went out or not (a password-reset request must not tell
//! whether the address has an account).

use crate::server::platform::config::{MailDelivery, MailSettings};
use crate::server::platform::metrics::{LetterResult, Metrics};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use std::time::Duration;

/// How long one delivery may take before it is given up (and logged).
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// A plain-text letter to one recipient.
#[derive(Clone, Debug)]
pub struct Letter {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
    metrics: Metrics,
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Log,
    Off,
}

impl Mailer {
    /// The mailer of these settings. The URL was checked when the settings were read.
    pub fn new(settings: &MailSettings, metrics: Metrics) -> Mailer {
        let transport = match &settings.delivery {
            MailDelivery::Smtp(url) => match AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret()) {
                Ok(builder) => Transport::Smtp(builder.timeout(Some(SEND_TIMEOUT)).build()),
                Err(error) => {
                    tracing::error!(%error, "SMTP_URL was accepted when it was read but not now: mail is off");
                    Transport::Off
                }
            },
            MailDelivery::Log => Transport::Log,
            MailDelivery::Off => Transport::Off,
        };
        Mailer { from: settings.from.clone(), transport, metrics }
    }

    /// Says at start-up where letters go; loudly when nobody will get them.
    pub fn announce(&self) {
        match self.transport {
            Transport::Smtp(_) => tracing::info!(from = %self.from, "mail is sent through SMTP_URL"),
            Transport::Log => tracing::info!(
                "mail is not configured (SMTP_URL): verification and password-reset letters, \
                 links included, are written to this log instead of sent"
            ),
            Transport::Off => tracing::error!(
                "MAIL IS OFF: PUBLIC_URL is https but SMTP_URL is not set, so nobody receives \
                 verification or password-reset letters; set SMTP_URL (see README, \"Mail\")"
            ),
        }
    }

    /// Sends `letter` in the background; a failure is logged with the recipient's domain only,
    /// and every outcome counted (`papertrade_letters_total`).
    pub fn send(&self, letter: Letter) {
        let mailer = self.clone();
        tokio::spawn(async move {
            let result = match mailer.deliver(&letter).await {
                Ok(()) if matches!(mailer.transport, Transport::Log) => LetterResult::Logged,
                Ok(()) => LetterResult::Sent,
                Err(error) => {
                    let domain = letter.to.rsplit('@').next().unwrap_or("?");
                    tracing::warn!(%error, to_domain = domain, subject = %letter.subject, "a letter was not sent");
                    LetterResult::Failed
                }
            };
            mailer.metrics.letter(result);
        });
    }

    /// Sends `letter` now.
    pub async fn deliver(&self, letter: &Letter) -> Result<(), String> {
        match &self.transport {
            Transport::Smtp(smtp) => {
                let message = self.message(letter)?;
                smtp.send(message).await.map(drop).map_err(|error| error.to_string())
            }
            Transport::Log => {
                tracing::info!(
                    to = %letter.to,
                    subject = %letter.subject,
                    body = %letter.body,
                    "mail is not configured (SMTP_URL): this letter was written here instead of sent"
                );
                Ok(())
            }
            Transport::Off => Err("mail is off: PUBLIC_URL is https but SMTP_URL is not set".into()),
        }
    }

    fn message(&self, letter: &Letter) -> Result<Message, String> {
        let to: Mailbox = letter.to.parse().map_err(|error| format!("bad recipient: {error}"))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&letter.subject)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(letter.body.clone())
            .map_err(|error| error.to_string())
    }
}
