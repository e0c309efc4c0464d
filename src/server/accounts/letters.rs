//! The letters accounts send: what each one says, in plain text. Links are absolute, from
//! `PUBLIC_URL` (or the server's own address in development).

use crate::server::platform::mail::Letter;

/// "Confirm your email": sent after sign-up, a guest's upgrade, an email change, and on "resend".
pub fn confirm_email(to: &str, username: &str, link: &str) -> Letter {
    Letter {
        to: to.to_owned(),
        subject: "Confirm your email for Papertrade".into(),
        body: format!(
            "Hi {username},\n\n\
             Please confirm that {to} is your address: open this link within 24 hours and press \
             \"Confirm my email\".\n\n{link}\n\n\
             With a confirmed address you can reset your password if you forget it, and connect \
             Google or GitHub to your account.\n\n\
             If you did not sign up for Papertrade, ignore this letter: without the link, nothing happens.\n"
        ),
    }
}

/// "Reset your password": sent on "Forgot password?" to an address that has an account.
pub fn reset_password(to: &str, username: &str, link: &str) -> Letter {
    Letter {
        to: to.to_owned(),
        subject: "Reset your Papertrade password".into(),
        body: format!(
            "Hi {username},\n\n\
             Someone, hopefully you, asked to reset the password of your Papertrade account. Open \
             this link within 30 minutes to choose a new one:\n\n{link}\n\n\
             Choosing a new password signs your account out on every device.\n\n\
             If you did not ask, ignore this letter: your password stays as it is.\n"
        ),
    }
}

/// "Your email was changed": sent to the old address when a new one replaces it.
pub fn email_changed(old: &str, new: &str, username: &str) -> Letter {
    Letter {
        to: old.to_owned(),
        subject: "Your Papertrade email was changed".into(),
        body: format!(
            "Hi {username},\n\n\
             The email of your Papertrade account was just changed from {old} to {new}. Letters \
             about the account, password resets included, now go to the new address.\n\n\
             If this was you, there is nothing to do. If it was not, someone knows your password: \
             tell whoever runs this Papertrade site.\n"
        ),
    }
}
