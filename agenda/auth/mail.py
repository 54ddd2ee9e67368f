"""Send a one-time link by e-mail over SMTP, when the install has a mail server."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 15


def mail_configured() -> bool:
    """Tell whether MAIL_SERVER names a server to send through."""
    return bool(current_app.config.get("MAIL_SERVER"))


def send_mail(to: str, subject: str, text: str) -> bool:
    """Send a plain-text message; return False (and log why) if the server refused or failed."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config.get("MAIL_FROM") or f"no-reply@{config['MAIL_SERVER']}"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    try:
        with smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=TIMEOUT_SECONDS
        ) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("Could not send mail to %s: %s", to, error)
        return False
    return True


def link_message(site: str, purpose_invite: bool, url: str, expires: str) -> tuple[str, str]:
    """Return the subject and text of the e-mail that carries a one-time link."""
    if purpose_invite:
        subject = f"You are invited to {site}"
        opening = f"You have been invited to sign in to {site}."
    else:
        subject = f"Set a new password for {site}"
        opening = f"A new password link was made for your account on {site}."
    text = (
        f"{opening}\n\nSet your password here (the link works once, until {expires}):\n\n"
        f"{url}\n\nIf you did not expect this message, you can ignore it.\n"
    )
    return subject, text
