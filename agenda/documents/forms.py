"""The upload form shared by every place that takes a PDF."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length


class UploadForm(FlaskForm):
    file = FileField("PDF document", validators=[FileRequired("Choose a PDF file to upload.")])
    title = StringField(
        "Title shown in the agenda and packet",
        validators=[Length(max=300)],
        description="Leave empty to use the file name.",
    )
