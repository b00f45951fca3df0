"""Routes of the respondent's side. Reads go through queries, writes through operations."""

from __future__ import annotations

from flask import abort, current_app, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from questionnaires import Item, Questionnaire
from questionnaires.answers import check_all
from questionnaires.types import AnswerError

from .. import db
from ..i18n import LANGUAGES, current_language
from ..invitations.operations import Contact, create_invitations
from ..invitations.queries import invitation_by_token
from ..responses import operations
from ..responses.queries import draft_answers, draft_of
from ..waves import queries
from . import bp
from .pages import check_page, local_digits, newly_shown_page, next_page, page_view, read_form


def _invitation(token: str):
    """The invitation of a link; else a page saying that the link is not known (and that links sent keep working)."""
    invitation = invitation_by_token(db.session(), token)
    if invitation is None:
        abort(make_response(render_template(
            "respond/message.html", title=_("Link not recognised"),
            message=_("This link is not one that we sent, or part of it is missing. Open it again from your "
                      "e-mail, in full: every link we sent you works until you submit your answers or the "
                      "survey closes.")), 404))
    return invitation


def _closed_or_done(invitation):
    """The page to show instead of the questionnaire, if any."""
    if invitation.completed:
        return render_template("respond/message.html", title=_("Already submitted"),
                               message=_("Your answers to this invitation have already been submitted: this link "
                                         "and the others we sent you accept nothing more. Thank you."))
    if invitation.wave.status != "open":
        return render_template("respond/message.html", title=_("Survey closed"),
                               message=_("This survey is not open for answers.")), 403
    return None


def _in_progress(token: str):
    """The invitation, its draft and questionnaire of a respondent who has consented; else stop the request."""
    invitation = _invitation(token)
    stop = _closed_or_done(invitation)
    if stop is not None:
        abort(make_response(stop))
    draft = draft_of(db.session(), invitation)
    if draft is None or invitation.consented_at is None:
        abort(redirect(url_for(".welcome", token=token)))
    return invitation, draft, queries.questionnaire_of(invitation.wave.edition)


@bp.route("/s/<token>", methods=["GET", "POST"])
def welcome(token: str):
    invitation = _invitation(token)
    stop = _closed_or_done(invitation)
    if stop is not None:
        return stop
    questionnaire = queries.questionnaire_of(invitation.wave.edition)
    if request.method == "POST":
        if request.form.get("consent") != "yes":
            return render_template("respond/welcome.html", questionnaire=questionnaire, token=token,
                                   mode=invitation.wave.mode, via_open_link=invitation.via_open_link,
                                   error=_("Please tick the box to agree before you start.")), 422
        draft = operations.record_consent(db.session(), invitation, current_language())  # reads the draft itself
        return _redirect_to(token, next_page(questionnaire, draft_answers(draft), -1, 1), 1)
    draft = draft_of(db.session(), invitation)
    if draft is not None and invitation.consented_at is not None:
        if draft.page >= len(questionnaire.sections):
            return redirect(url_for(".review", token=token))
        return redirect(url_for(".page", token=token, number=draft.page + 1))
    return render_template("respond/welcome.html", questionnaire=questionnaire, token=token,
                           mode=invitation.wave.mode, via_open_link=invitation.via_open_link, error=None)


def _redirect_to(token: str, target: int | None, step: int):
    """To page `target`; past the last page the review, before the first the welcome page."""
    if target is None:
        return redirect(url_for(".review", token=token) if step > 0 else url_for(".welcome", token=token))
    return redirect(url_for(".page", token=token, number=target + 1))


@bp.route("/s/<token>/<int:number>", methods=["GET", "POST"])
def page(token: str, number: int):
    _invitation_row, draft, questionnaire = _in_progress(token)
    index = number - 1
    if not 0 <= index < len(questionnaire.sections):
        abort(404)
    texts = draft_answers(draft)
    language = current_language()
    if request.method == "GET":
        # ?check=1: sent back from the review with a problem on this page; say what it is.
        errors = check_page(questionnaire, index, texts).errors if request.args.get("check") else {}
        return _render_page(token, questionnaire, index, texts, errors), 422 if errors else 200
    entered = read_form(questionnaire.sections[index], request.form)
    merged = {**texts, **entered}
    switch_to = {name: code for code, name in LANGUAGES.items()}.get(request.form.get("language", ""))
    if switch_to:
        # The language switch submits the page (its buttons carry the language's name): what was typed is
        # kept, and checked on Next.
        session["lang"] = switch_to
        if not _saved(draft, index, merged, switch_to, questionnaire):
            return _render_page(token, questionnaire, index, merged, {}, unsaved=True), 503
        return redirect(url_for(".page", token=token, number=number, review=request.form.get("review") or None))
    if request.form.get("action") == "back":
        # Going back keeps what was typed, checked or not: it is checked again on Next.
        if not _saved(draft, index, merged, language, questionnaire):
            return _render_page(token, questionnaire, index, merged, {}, unsaved=True), 503
        return _redirect_to(token, next_page(questionnaire, merged, index, -1), -1)
    checked = check_page(questionnaire, index, merged)
    if checked.errors:
        unsaved = not _saved(draft, index, merged, language, questionnaire)
        return _render_page(token, questionnaire, index, merged, checked.errors, unsaved=unsaved), \
            503 if unsaved else 422
    section_ids = {item.id for item in questionnaire.sections[index].items}
    kept = {k: v for k, v in texts.items() if k not in section_ids} | checked.texts
    target = next_page(questionnaire, kept, index, 1)
    if request.form.get("review") == "1":
        # From the review's "Change answers": back to it, unless the change opened a page not seen before.
        target = newly_shown_page(questionnaire, texts, kept, index)
    if not _saved(draft, len(questionnaire.sections) if target is None else target, kept, language,
                  questionnaire):
        return _render_page(token, questionnaire, index, merged, {}, unsaved=True), 503
    return _redirect_to(token, target, 1)


def _saved(draft, page_index: int, texts: dict[str, str], language: str, questionnaire) -> bool:
    """Save the draft; False when the database cannot be written.

    Then nothing of this page was stored (one transaction), the earlier pages are as they were,
    and the caller gives the respondent this page back with what they sent.
    """
    try:
        operations.save_draft(db.session(), draft, page_index, texts, language, questionnaire)
    except db.UNAVAILABLE:
        db.session().rollback()
        return False
    return True


def _render_page(token, questionnaire, index, texts, errors, *, unsaved: bool = False):
    view = page_view(questionnaire, index, texts, errors)
    messages = {item_id: error_message(questionnaire, questionnaire.item(item_id), error)
                for item_id, error in errors.items()}
    has_previous = next_page(questionnaire, texts, index, -1) is not None
    language = current_language()
    return render_template("respond/page.html", questionnaire=questionnaire, token=token, view=view,
                           number=local_digits(index + 1, language),
                           total=local_digits(len(questionnaire.sections), language), messages=messages,
                           has_previous=has_previous, from_review=request.values.get("review") == "1",
                           unsaved=unsaved)


def error_message(questionnaire: Questionnaire, item: Item, error: AnswerError) -> str:
    """What is wrong with an answer, in the respondent's language."""
    params = error.params
    if error.code == "required":
        return _("Please answer this question.")
    if error.code == "not_a_number":
        return _("Please enter a number.")
    if error.code == "not_whole":
        return _("Please enter a whole number.")
    if error.code == "below_minimum":
        return _("Please enter a number of at least %(minimum)s.",
                 minimum=local_digits(params["minimum"], current_language()))
    if error.code == "above_maximum":
        return _("Please enter a number of at most %(maximum)s.",
                 maximum=local_digits(params["maximum"], current_language()))
    if error.code == "constraint" and item.constraint_message is not None:
        return questionnaire.text(item.constraint_message, current_language())
    if error.code == "constraint":
        return _("This answer is not accepted.")
    if error.code == "control_character":
        return _("This answer holds an invisible control character (pasted from another program?). "
                 "Please type it again.")
    return _("Please choose one of the options shown.")


@bp.route("/s/<token>/review", methods=["GET", "POST"])
def review(token: str):
    invitation, draft, questionnaire = _in_progress(token)
    checked = check_all(questionnaire, draft_answers(draft))
    if checked.errors:
        # A page with a problem (say an answer made required by a changed earlier answer): back to it.
        first = questionnaire.item(next(iter(checked.errors)))
        number = [s.id for s in questionnaire.sections].index(first.section) + 1
        return redirect(url_for(".page", token=token, number=number, check=1))
    if request.method == "POST":
        secret = current_app.config["PANEL_SECRET"]
        try:
            receipt = operations.submit_response(db.session(), invitation, checked.texts, current_language(),
                                                 secret)
        except db.UNAVAILABLE:
            db.session().rollback()
            return _render_review(token, questionnaire, checked.texts, unsaved=True), 503
        if receipt is None:
            return redirect(url_for(".welcome", token=token))
        db.forget_deleted()  # the removed draft must not outlive the submit in SQLite's files
        session["receipt"] = receipt
        return redirect(url_for(".done", token=token))
    return _render_review(token, questionnaire, checked.texts)


def _render_review(token, questionnaire, texts, *, unsaved: bool = False):
    return render_template("respond/review.html", questionnaire=questionnaire, token=token, texts=texts,
                           last_page=next_page(questionnaire, texts, len(questionnaire.sections), -1),
                           unsaved=unsaved)


@bp.route("/s/<token>/done")
def done(token: str):
    invitation = _invitation(token)
    # Shown once: in an anonymous wave the receipt does not stay in the (readable) session cookie.
    receipt = session.pop("receipt", None) if invitation.wave.mode == "anonymous" else session.get("receipt")
    if not invitation.completed or receipt is None:
        return redirect(url_for(".welcome", token=token))
    questionnaire = queries.questionnaire_of(invitation.wave.edition)
    return render_template("respond/done.html", questionnaire=questionnaire, receipt=receipt)


@bp.route("/w/<slug>", methods=["GET", "POST"])
def open_link(slug: str):
    """A wave's open link (off by default): the respondent first chooses their stakeholder group."""
    wave = queries.wave_by_slug(db.session(), slug)
    if wave is None or not wave.open_link:
        abort(404)
    if wave.status != "open":
        return render_template("respond/message.html", title=_("Survey closed"),
                               message=_("This survey is not open for answers.")), 403
    questionnaire = queries.questionnaire_of(wave.edition)
    if request.method == "POST":
        group = request.form.get("group", "")
        if group not in questionnaire.group_codes:
            return render_template("respond/open.html", questionnaire=questionnaire, wave=wave,
                                   error=_("Please choose the kind of organisation you work for.")), 422
        ((_invitation_row, token),) = create_invitations(
            db.session(), wave, [Contact(group=group)], via_open_link=True, commit=True)
        return redirect(url_for(".welcome", token=token))
    return render_template("respond/open.html", questionnaire=questionnaire, wave=wave, error=None)


@bp.route("/")
def landing():
    """The site's front page: where respondents and researchers go."""
    return render_template("respond/landing.html")


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for an icon on every page; none is needed, and a 404 would fill their consoles."""
    return "", 204
