"""Forms of the console (Flask-WTF: CSRF on each)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp


def options(pairs) -> list[SelectChoice]:
    """Choices of a select field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class LoginForm(FlaskForm):
    # type=email and autocomplete: a phone shows the keyboard with @, password managers fill both fields.
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=200)],
                       render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"})
    password = PasswordField("Password", validators=[DataRequired()], render_kw={"autocomplete": "current-password"})
    submit = SubmitField("Log in")


class WaveForm(FlaskForm):
    slug = StringField("Wave name", validators=[DataRequired(), Length(max=50),
                                                Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z",
                                                       message="letters, digits, '.', '_' or '-'")],
                       description="Usually the year, such as 2018. It is part of the open link /w/<name>.")
    questionnaire = FileField("Questionnaire (YAML, or XLSForm .xlsx or .xls)")
    group_question = StringField("XLSForm: the select_one question whose choices are the stakeholder groups",
                                 default="stakeholder_group", validators=[Length(max=100)])
    edition = SelectField("…or an edition already stored", coerce=int, validators=[Optional()])
    mode = SelectField("Mode", choices=options([("anonymous", "Anonymous"), ("panel", "Panel (pairs people across years)")]))
    baseline = SelectField("Baseline wave", coerce=int, validators=[Optional()])
    open_link = BooleanField("Open link: anyone with /w/<name> may answer after choosing a group")
    submit = SubmitField("Create wave")


class SettingsForm(FlaskForm):
    mode = SelectField("Mode", choices=options([("anonymous", "Anonymous"), ("panel", "Panel")]))
    baseline = SelectField("Baseline wave", coerce=int, validators=[Optional()])
    open_link = BooleanField("Open link")
    submit = SubmitField("Save settings")


class GenerateLinksForm(FlaskForm):
    group = SelectField("Stakeholder group")
    # InputRequired, not DataRequired: 0 is an answer, and gets "at least 1", not "This field is required".
    count = IntegerField("How many links", validators=[
        InputRequired(message="give a number of links, at least 1"),
        NumberRange(1, 10_000, message="at least 1 and at most 10,000")])
    submit = SubmitField("Create links and download CSV")


class UploadForm(FlaskForm):
    file = FileField("File", validators=[FileRequired()])
    submit = SubmitField("Upload")
