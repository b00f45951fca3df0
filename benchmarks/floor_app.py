"""The floor: a few lines of plain Flask serving the same questionnaire pages.

Same HTML for each page (rendered by one Jinja template from a dict prepared at
start-up), and each page's answers stored with one SQLite INSERT. No validation,
no drafts, no relevance, no CSRF check, no transaction across pages: the least a
web survey can do. The benchmark compares the platform's server CPU with this.
"""

import json
import os
import sqlite3
import tempfile

from flask import Flask, redirect, render_template_string, request

from questionnaires import load
from questionnaires.library import BUNDLED_INSTRUMENT

QUESTIONNAIRE = load(BUNDLED_INSTRUMENT)
DATABASE = os.environ.get("FLOOR_DATABASE", os.path.join(tempfile.gettempdir(), "floor.sqlite"))
PAGES = [{"title": s.title["en"], "items": [
    {"id": i.id, "type": i.type, "label": i.label["en"], "choices": [(c.code, c.label["en"]) for c in i.choices]}
    for i in s.items]} for s in QUESTIONNAIRE.sections]
TEMPLATE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ page.title }}</title>
<link rel="stylesheet" href="/static/style.css"></head><body><main><h1>{{ page.title }}</h1>
<form method="post"><input type="hidden" name="csrf_token" value="floor">
{% for item in page["items"] %}<div class="item" data-item="{{ item.id }}">
{% if item.choices %}<fieldset class="question"><legend>{{ item.label }}</legend><div class="options">
{% for code, label in item.choices %}<label class="option" for="q-{{ item.id }}-{{ loop.index }}">
<input type="{{ 'checkbox' if item.type == 'multiple_choice' else 'radio' }}" name="{{ item.id }}"
 id="q-{{ item.id }}-{{ loop.index }}" value="{{ code }}"><span>{{ label }}</span></label>{% endfor %}
</div></fieldset>{% elif item.type == 'note' %}<div class="note"><p>{{ item.label }}</p></div>
{% else %}<div class="question"><label for="q-{{ item.id }}">{{ item.label }}</label>
<input type="text" name="{{ item.id }}" id="q-{{ item.id }}"></div>{% endif %}</div>{% endfor %}
<div class="actions"><button type="submit" name="action" value="next">Next</button></div></form></main></body></html>"""

app = Flask(__name__, static_folder=os.path.join(os.path.dirname(__file__), "..", "survey", "static"))


def connect():
    connection = sqlite3.connect(DATABASE, timeout=10)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE IF NOT EXISTS answers (token TEXT, page INTEGER, data TEXT)")
    return connection


@app.route("/s/<token>", methods=["GET", "POST"])
def welcome(token):
    if request.method == "POST":
        return redirect(f"/s/{token}/1")
    return render_template_string(TEMPLATE, page={"title": "Welcome", "items": []})


@app.route("/s/<token>/<int:number>", methods=["GET", "POST"])
def page(token, number):
    if request.method == "POST":
        with connect() as connection:
            connection.execute("INSERT INTO answers VALUES (?, ?, ?)",
                               (token, number, json.dumps(request.form.to_dict(flat=False))))
        return redirect(f"/s/{token}/{number + 1}" if number < len(PAGES) else f"/s/{token}/review")
    return render_template_string(TEMPLATE, page=PAGES[number - 1])


@app.route("/s/<token>/review", methods=["GET", "POST"])
def review(token):
    if request.method == "POST":
        return redirect(f"/s/{token}/done")
    return render_template_string(TEMPLATE, page={"title": "Check your answers", "items": []})


@app.route("/s/<token>/done")
def done(token):
    return "<p>Receipt number: <strong class=\"receipt\">FLOO-R000-0000</strong></p>"
