"""Forms of the admin's user screens: invite a user, change their role, person and bodies."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from agenda.auth.operations import EMAIL_MAX, NAME_MAX
from agenda.auth.rules import ROLE_LABELS, Role
from agenda.forms import from_list, optional_id, strip


class UserForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[Length(max=NAME_MAX, message=f"Keep the name under {NAME_MAX} characters.")],
        filters=[strip],
    )
    role = SelectField(
        "Role",
        choices=[SelectChoice(r.value, ROLE_LABELS[r]) for r in Role],
        coerce=Role,
        **from_list("a role from the list"),
    )
    person = SelectField(
        "Person (commissioners only)", coerce=optional_id, **from_list("a person from the list")
    )
    bodies = SelectMultipleField(
        "Bodies this clerk works on (clerks only)",
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        **from_list("bodies from the list"),
    )


class InviteForm(UserForm):
    email = StringField(
        "E-mail address",
        validators=[
            DataRequired("Enter the e-mail address to invite."),
            Length(max=EMAIL_MAX, message=f"Keep the e-mail address under {EMAIL_MAX} characters."),
        ],
        filters=[strip],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


def user_form(
    cls: type[UserForm],
    people: list[tuple[int, str]],
    bodies: list[tuple[int, str]],
    **kwargs: Any,
) -> Any:
    """Build a user form with the people and bodies to choose from."""
    form = cls(**kwargs)
    form.person.choices = [SelectChoice("", "(none)")] + [
        SelectChoice(str(pid), name) for pid, name in people
    ]
    form.bodies.choices = [SelectChoice(str(bid), name) for bid, name in bodies]
    return form


def assignment_of(form: UserForm) -> dict[str, Any]:
    """Return the operation's arguments from a submitted user form."""
    return {
        "name": form.name.data or "",
        "role": form.role.data,
        "person_id": form.person.data,
        "body_ids": form.bodies.data or [],
    }
