"""Logging in and out of the console."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from ..security import client_key
from . import bp
from .auth import (
    LockedOut,
    authenticate,
    log_in,
    log_out,
)
from .common import safe_next
from .forms import LoginForm


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        email, address = form.email.data.strip().lower(), client_key()  # an IPv6 client by its /64
        try:
            user = authenticate(email, form.password.data, address)
        except LockedOut as lockout:
            return render_template("admin/login.html", form=form, error=lockout.message()), 429
        if user is not None:
            log_in(user)
            return redirect(safe_next(request.args.get("next")))
        return render_template("admin/login.html", form=form, error="Wrong e-mail or password."), 401
    return render_template("admin/login.html", form=form, error=None)


@bp.route("/logout", methods=["POST"])
def logout():
    log_out()
    return redirect(url_for("admin.login"))
