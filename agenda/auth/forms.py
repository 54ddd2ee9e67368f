"""Sign-in form and the form that sets a password through a one-time link."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mail address",
        validators=[DataRequired("Enter your e-mail address."), Length(max=320)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password."), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired("Enter a password."), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )
    confirmation = PasswordField(
        "The same password again",
        validators=[DataRequired("Enter the password again."), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )
