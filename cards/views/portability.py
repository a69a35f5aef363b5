"""Take your deck and progress anywhere: Anki and CSV downloads, CSV import for instructors, and
a student's own data (download, import, delete). The work is in cards.portability.
"""

import io

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cards.models import Attempt, CardState, Deck, ReviewLog
from cards.portability import personal_data
from cards.portability.anki import write_apkg
from cards.portability.deck_csv import MAX_CSV_BYTES, CsvError, import_csv, write_deck_csv
from cards.roles import instructor_required, is_instructor


class UploadForm(forms.Form):
    """One uploaded file, refused above max_bytes before it is read."""

    max_bytes = 0

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; "
                f"the limit is {self.max_bytes // 1024 // 1024} MB."
            )
        return upload


class CsvUploadForm(UploadForm):
    max_bytes = MAX_CSV_BYTES
    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text="Front in the first column, back in the second; a “front,back” header is "
        "optional. UTF-8, up to 2 MB.",
    )


class DataUploadForm(UploadForm):
    max_bytes = personal_data.MAX_DATA_BYTES
    file = forms.FileField(
        label="Data file",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        help_text="A studyapp-data-….json file downloaded from a studyapp, up to 20 MB.",
    )


class DeleteAccountForm(forms.Form):
    username = forms.CharField(
        label="Type your username to confirm",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_username(self):
        typed = self.cleaned_data["username"].strip()
        if typed != self.user.get_username():
            raise forms.ValidationError("That is not your username; nothing was deleted.")
        return typed


def _get_deck(slug: str) -> Deck:
    return get_object_or_404(Deck.objects.filter(removed_at__isnull=True), slug=slug)


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def deck_anki(request, deck_slug):
    deck = _get_deck(deck_slug)
    package = io.BytesIO()
    drafts = is_instructor(request.user)
    write_apkg(deck, package, base_url=request.build_absolute_uri("/"), include_drafts=drafts)
    response = HttpResponse(package.getvalue(), content_type="application/octet-stream")
    return _attachment(response, f"{deck.slug}.apkg")


@login_required
@require_GET
def deck_csv(request, deck_slug):
    deck = _get_deck(deck_slug)
    text = io.StringIO()
    text.write("\ufeff")  # so spreadsheets read the file as UTF-8
    write_deck_csv(deck, text, include_drafts=is_instructor(request.user))
    response = HttpResponse(text.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    return _attachment(response, f"{deck.slug}-cards.csv")


@instructor_required
@require_http_methods(["GET", "POST"])
def deck_import_csv(request, deck_slug):
    deck = _get_deck(deck_slug)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_csv(deck.slug, upload.name, upload.read())
        except CsvError as exc:
            form.add_error("file", str(exc))
        else:
            form = CsvUploadForm()
    return render(
        request,
        "exports/import_csv.html",
        {"deck": deck, "form": form, "report": report.to_dict() if report else None},
    )


def _my_data_page(request, *, import_form=None, delete_form=None, result=None):
    user = request.user
    counts = {
        "card_states": CardState.objects.filter(user=user).count(),
        "review_logs": ReviewLog.objects.filter(user=user).count(),
        "attempts": Attempt.objects.filter(user=user).count(),
    }
    return render(
        request,
        "exports/my_data.html",
        {
            "counts": counts,
            "import_form": import_form or DataUploadForm(),
            "delete_form": delete_form or DeleteAccountForm(user=user),
            "result": result,
        },
    )


@login_required
@require_GET
def my_data(request):
    return _my_data_page(request)


@login_required
@require_GET
def export_my_data(request):
    data = personal_data.export_user_data(request.user)
    response = JsonResponse(data, json_dumps_params={"indent": 1, "ensure_ascii": False})
    filename = personal_data.data_filename(request.user, timezone.localdate())
    return _attachment(response, filename)


@login_required
@require_http_methods(["GET", "POST"])
def import_my_data(request):
    if request.method == "GET":
        return redirect("my_data")
    form = DataUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _my_data_page(request, import_form=form)
    try:
        result = personal_data.import_user_data(request.user, form.cleaned_data["file"].read())
    except personal_data.PersonalDataError as exc:
        form.add_error("file", [*exc.problems, "Nothing was imported."])
        return _my_data_page(request, import_form=form)
    return _my_data_page(request, result=result)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        username = user.get_username()
        logout(request)
        personal_data.delete_account(user)
        messages.success(request, f"The account {username} and all its data have been deleted.")
        return redirect("login")
    return render(request, "exports/delete_account.html", {"form": form})
