"""Forms of the API-token screens: make a token (name, scope, bodies, expiry), revoke one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from agenda.auth.rules import TokenScope
from agenda.forms import from_list, strip, within_years

NAME_MAX = 120
DATE_MESSAGE = "Enter a real date, like 2026-07-07."


class TokenForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Name the token after what will use it."),
            Length(max=NAME_MAX, message=f"Keep the name under {NAME_MAX} characters."),
        ],
        filters=[strip],
        render_kw={"autocomplete": "off", "maxlength": NAME_MAX},
    )
    scope = RadioField(
        "What it may do",
        choices=[
            SelectChoice(TokenScope.READ.value, "Read: what you may see, drafts included"),
            SelectChoice(TokenScope.WRITE.value, "Read and write: also change the record"),
        ],
        coerce=TokenScope,
        default=TokenScope.READ.value,
        **from_list("read, or read and write"),
    )
    bodies = SelectMultipleField(
        "Bodies",
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        **from_list("bodies from the list"),
    )
    expires_at = DateField(
        "Last day it works (optional)",
        validators=[Optional(), within_years(2000, 2199)],
        invalid_value_message=DATE_MESSAGE,
    )


class RevokeForm(FlaskForm):
    """Nothing to fill in: the page asks, the button confirms (CSRF and the once key guard it)."""


def token_form(bodies: list[tuple[int, str]]) -> TokenForm:
    """Build the form with the bodies the person works on to choose from."""
    form = TokenForm()
    form.bodies.choices = [SelectChoice(str(bid), name) for bid, name in bodies]
    return form
