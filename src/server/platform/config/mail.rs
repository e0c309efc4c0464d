//! Outgoing mail: `SMTP_URL` (the relay, with its credentials) and `MAIL_FROM` (the sender).
//! Both are checked at start-up with lettre's own parsers, so a typo stops the server instead of
//! the first password reset. The URL is a [`SecretString`]: it may hold the relay's password.

use super::values::problem;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

/// How the server sends mail.
#[derive(Clone, Debug)]
pub struct MailSettings {
    pub delivery: MailDelivery,
    pub from: Mailbox,
}

/// Where letters go.
#[derive(Clone, Debug)]
pub enum MailDelivery {
    /// Through this relay.
    Smtp(SmtpUrl),
    /// No relay and no https `PUBLIC_URL` (development): each letter, link included, is logged.
    Log,
    /// No relay on a public (https) deployment: letters are dropped, loudly. Their links are
    /// never logged there, since a production log is not a private channel.
    Off,
}

/// An `smtp://` or `smtps://` URL that lettre accepts. `Debug` shows `[redacted]`.
#[derive(Clone)]
pub struct SmtpUrl(SecretString);

impl SmtpUrl {
    pub fn parse(text: &str) -> Result<SmtpUrl, String> {
        let known = text.starts_with("smtp://") || text.starts_with("smtps://");
        if !known || AsyncSmtpTransport::<Tokio1Executor>::from_url(text).is_err() {
            // Not repeated: the URL may carry the relay's password.
            return Err("should look like smtps://user:password@smtp.example.com:465 \
                        or smtp://host:587?tls=required (value not shown)"
                .into());
        }
        Ok(SmtpUrl(text.into()))
    }
}

impl ExposeSecret<str> for SmtpUrl {
    fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpUrl([redacted])")
    }
}

/// Mail's settings, as read.
#[derive(clap::Args)]
pub(super) struct MailArgs {
    #[arg(long, env = "SMTP_URL", value_parser = SmtpUrl::parse)]
    smtp_url: Option<SmtpUrl>,
    #[arg(long, env = "MAIL_FROM", default_value = "Papertrade <no-reply@papertrade.localhost>",
          value_parser = mailbox)]
    mail_from: Mailbox,
}

impl MailArgs {
    /// `public`: `PUBLIC_URL` is https, so this is a deployment people use.
    pub(super) fn into_settings(self, public: bool) -> MailSettings {
        let delivery = match (self.smtp_url, public) {
            (Some(url), _) => MailDelivery::Smtp(url),
            (None, false) => MailDelivery::Log,
            (None, true) => MailDelivery::Off,
        };
        MailSettings { delivery, from: self.mail_from }
    }
}

/// `Name <address>` or a bare address.
fn mailbox(text: &str) -> Result<Mailbox, String> {
    text.parse().map_err(|_| problem(text, "should be an address such as Papertrade <no-reply@example.com>"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::platform::config::testing::with_database;

    #[test]
    fn without_smtp_mail_goes_to_the_log_in_development_and_nowhere_in_production() {
        let mail = with_database(&[]).unwrap().mail;
        assert!(matches!(mail.delivery, MailDelivery::Log));
        assert_eq!(mail.from.email.to_string(), "no-reply@papertrade.localhost");
        let public = with_database(&[("PUBLIC_URL", "https://papertrade.example")]).unwrap().mail;
        assert!(matches!(public.delivery, MailDelivery::Off));
    }

    #[test]
    fn the_relay_and_sender_are_checked_and_the_password_never_shown() {
        let on = with_database(&[("SMTP_URL", "smtps://app:sekrit-relay@smtp.example.com:465")]).unwrap();
        let shown = format!("{:?}", on.mail);
        assert!(matches!(on.mail.delivery, MailDelivery::Smtp(_)) && !shown.contains("sekrit-relay"), "{shown}");
        let bad = with_database(&[("SMTP_URL", "https://app:sekrit-relay@smtp.example.com")]).unwrap_err();
        assert_eq!(bad.var, "SMTP_URL");
        assert!(!bad.to_string().contains("sekrit-relay"), "{bad}");
        assert_eq!(with_database(&[("SMTP_URL", "smtp://")]).unwrap_err().var, "SMTP_URL");
        assert_eq!(with_database(&[("MAIL_FROM", "not an address")]).unwrap_err().var, "MAIL_FROM");
        let named = with_database(&[("MAIL_FROM", "Class 7B <teacher@school.example>")]).unwrap();
        assert_eq!(named.mail.from.name.as_deref(), Some("Class 7B"));
    }
}
