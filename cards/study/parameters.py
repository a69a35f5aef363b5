"""Optimise my parameters: a student's reviews read from the database and fitted (fitting.py)
outside the request, in a background thread or by `manage.py optimise_parameters`; the result
is kept for the settings page and, when it predicts the reviews better, used from then on."""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cards.models import ParameterFit, ReviewLog, StudySettings
from cards.study import fitting, scheduling
from cards.study.days import zone_of
from cards.study.queue import settings_for
from cards.study.scheduling import State

logger = logging.getLogger(__name__)

# A fit still waiting or running after this long was lost with its process (a restart).
STALE_AFTER = timedelta(minutes=30)
Status = ParameterFit.Status


def reviews_that_count(user) -> int:
    """Reviews of cards in review: each is one of the engine's training items (a review on a
    later day than the card's previous one), the unit Anki's 400 counts. One indexed count."""
    return ReviewLog.objects.filter(user=user, state_before=State.REVIEW).count()


def can_optimise(user) -> bool:
    return reviews_that_count(user) >= fitting.MIN_ITEMS


def review_history(user) -> list[fitting.Review]:
    """The user's grades, oldest first, each on the study day it fell on (their clock and the
    hour their day begins, as Anki counts days for the fit)."""
    prefs = settings_for(user)
    zone, shift = zone_of(prefs), timedelta(hours=prefs.day_starts_at)
    rows = (
        ReviewLog.objects.filter(user=user, rating__gte=1, rating__lte=4)
        .order_by("reviewed_at", "pk")
        .values_list("card_id", "reviewed_at", "rating", "state_before")
    )
    return [
        fitting.Review(
            card_id=card_id,
            order=order,
            day=(at.astimezone(zone) - shift).toordinal(),
            rating=rating,
            learning=state_before in (State.NEW, State.LEARNING),
        )
        for order, (card_id, at, rating, state_before) in enumerate(rows.iterator(2000))
    ]


def latest_fit(user) -> ParameterFit | None:
    """The user's last fit; one that never finished is marked failed so it can be tried again."""
    fit = ParameterFit.objects.filter(user=user).order_by("-created_at", "-pk").first()
    unfinished = fit and fit.status in (Status.QUEUED, Status.RUNNING)
    if unfinished and fit.created_at < timezone.now() - STALE_AFTER:
        fit.status, fit.finished_at = Status.FAILED, timezone.now()
        fit.message = "The fit stopped without finishing (the server restarted?). Try again."
        fit.save(update_fields=["status", "finished_at", "message"])
    return fit


def request_fit(user, *, start: bool = True) -> ParameterFit:
    """Queue a fit for `user`, or return the one already waiting or running; it starts after
    the request's transaction commits, in a thread of its own (unless the setting
    STUDYAPP_FIT_IN_BACKGROUND is off: then `manage.py optimise_parameters --queued` runs it)."""
    with transaction.atomic():
        fit = latest_fit(user)
        if fit and fit.status in (Status.QUEUED, Status.RUNNING):
            return fit
        fit = ParameterFit.objects.create(
            user=user, previous=list(settings_for(user).fsrs_parameters or [])
        )
        if start and settings.STUDYAPP_FIT_IN_BACKGROUND:
            transaction.on_commit(lambda: _start_thread(fit.pk))
    return fit


def _start_thread(fit_id: int) -> None:
    threading.Thread(target=_run_in_thread, args=(fit_id,), daemon=True).start()


def _run_in_thread(fit_id: int) -> None:
    try:
        run_fit(fit_id)
    finally:
        connection.close()  # this thread's own connection


def _stage(fit: ParameterFit, stage: str, **values) -> None:
    for name, value in values.items():
        setattr(fit, name, value)
    fit.stage = stage
    fit.save(update_fields=["stage", *values])


def run_fit(fit_id: int) -> ParameterFit | None:
    """Fit a queued fit's user's parameters; None when another worker took it first."""
    claimed = ParameterFit.objects.filter(pk=fit_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), stage="Reading your reviews"
    )
    if not claimed:
        return None
    fit = ParameterFit.objects.select_related("user").get(pk=fit_id)
    user = fit.user
    try:
        items, card_ids = fitting.training_items(review_history(user))
        reviews = ReviewLog.objects.filter(user=user).count()
        _stage(fit, f"Fitting {len(items):,} reviews", reviews=reviews, items=len(items))
        if len(items) < fitting.MIN_ITEMS:
            fit.message = (
                f"Only {len(items):,} of your reviews can teach the fit something (a review on a "
                f"later day than the card's previous one); it needs {fitting.MIN_ITEMS}, as in "
                "Anki. Your parameters are unchanged."
            )
        else:
            _fit_and_apply(fit, user, items, card_ids)
        fit.status = Status.DONE
    except Exception as error:  # a failed fit must say so on the page, whatever it was
        logger.exception("parameter fit %s failed", fit_id)
        fit.status, fit.message = Status.FAILED, f"The fit failed: {error}"
    fit.stage, fit.finished_at = "", timezone.now()
    fit.save()
    return fit


def _fit_and_apply(fit: ParameterFit, user, items: list, card_ids: list[int]) -> None:
    prefs = settings_for(user)
    steps = scheduling.parse_steps(prefs.relearning_steps)
    result = fitting.fit(
        items,
        card_ids,
        current=tuple(prefs.fsrs_parameters or ()) or fitting.DEFAULT_PARAMETERS,
        relearning_steps=fitting.relearning_steps_in_a_day(steps),
    )
    fit.fitted = [round(value, 4) for value in result.fitted]
    fit.log_loss_before, fit.rmse_before = result.before.log_loss, result.before.rmse
    fit.log_loss_after, fit.rmse_after = result.after.log_loss, result.after.rmse
    fit.applied = result.parameters == result.fitted
    if fit.applied:
        StudySettings.objects.get_or_create(user=user)
        StudySettings.objects.filter(user=user).update(fsrs_parameters=list(result.fitted))
        fit.message = (
            "The fitted parameters predict your reviews better than the ones you had: "
            "scheduling uses them from now on."
        )
    else:
        fit.message = (
            "The fitted parameters do not predict your reviews better than the ones you have, "
            "so yours are kept."
        )


def reset_parameters(user) -> None:
    """Back to FSRS's default parameters."""
    StudySettings.objects.get_or_create(user=user)
    StudySettings.objects.filter(user=user).update(fsrs_parameters=[])
