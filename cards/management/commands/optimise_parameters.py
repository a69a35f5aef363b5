"""Fit students' FSRS parameters outside the web request: `--user NAME` now, or `--queued` for
every fit asked for on the settings page (for servers run with STUDYAPP_FIT_IN_BACKGROUND=0)."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cards.models import ParameterFit
from cards.study import parameters


class Command(BaseCommand):
    help = "Fit FSRS parameters to students' review histories (fsrs-rs, as Anki does)."

    def add_arguments(self, parser):
        parser.add_argument("--user", help="fit this user's parameters now")
        parser.add_argument("--queued", action="store_true", help="run every queued fit")
        parser.add_argument("--json", action="store_true", help="print each result as JSON")

    def handle(self, *args, **options):
        if bool(options["user"]) == bool(options["queued"]):
            raise CommandError("Give either --user NAME or --queued.")
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user called {options['user']!r}.")
            fit_ids = [parameters.request_fit(user, start=False).pk]
        else:
            fit_ids = list(
                ParameterFit.objects.filter(status=ParameterFit.Status.QUEUED)
                .order_by("created_at")
                .values_list("pk", flat=True)
            )
        failed = False
        for fit_id in fit_ids:
            fit = parameters.run_fit(fit_id)
            if fit is None:
                continue
            failed |= fit.status == ParameterFit.Status.FAILED
            self.stdout.write(json.dumps(_report(fit)) if options["json"] else _line(fit))
        if failed:
            raise CommandError("A fit failed; see its message above.")


def _report(fit: ParameterFit) -> dict:
    return {
        "user": fit.user.username,
        "status": fit.status,
        "reviews": fit.reviews,
        "items": fit.items,
        "log_loss": {"before": fit.log_loss_before, "after": fit.log_loss_after},
        "rmse": {"before": fit.rmse_before, "after": fit.rmse_after},
        "applied": fit.applied,
        "parameters": fit.fitted,
        "message": fit.message,
    }


def _line(fit: ParameterFit) -> str:
    figures = ""
    if fit.log_loss_after is not None:
        figures = (
            f" log loss {fit.log_loss_before:.4f} -> {fit.log_loss_after:.4f},"
            f" RMSE {fit.rmse_before:.4f} -> {fit.rmse_after:.4f}."
        )
    return f"{fit.user.username}: {fit.get_status_display()}.{figures} {fit.message}"
