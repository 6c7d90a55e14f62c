"""Pages of the register (pro): the published entries and their search, one's own entries, the Region's review.
Thin: `services` acts (rights checked there too), `access` decides what is shown."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from spro.accounts.permissions import structures_in_scope
from spro.core import uploads
from spro.practices import access, services
from spro.practices.forms import PracticeForm, RefuseForm, SearchForm
from spro.practices.models import Attachment, Practice
from spro.practices.vocabularies import THEME_DESCRIPTIONS, Theme


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Vous n’avez pas accès à cette page.")


def _visible(request: HttpRequest, pk: int) -> Practice:
    practice = get_object_or_404(Practice.objects.select_related("author_structure"), pk=pk)
    _require(access.can_view(request.user, practice))
    return practice


@never_cache
@login_required
@require_GET
def practice_list(request: HttpRequest) -> HttpResponse:
    _require(access.is_professional(request.user))
    form = SearchForm(request.GET or None)
    search = services.Search()
    if form.is_valid():
        data = form.cleaned_data
        search = services.Search(data["q"], data["theme"], data["kind"], data["network"], data["territoire"])
    found = list(services.published(search)[:200])
    context = {
        "title": "Bonnes pratiques et difficultés",
        "form": form,
        "found": found,
        "searched": bool(request.GET),
        "mine": list(services.mine(request.user)[:100]),
        "to_review": list(services.to_review(request.user)),
        "can_write": access.can_write(request.user),
        "themes": [(t.label, THEME_DESCRIPTIONS[t.value]) for t in Theme],
    }
    return render(request, "practices/list.html", context)


def _form_page(request: HttpRequest, practice: Practice | None) -> HttpResponse:
    structures = list(structures_in_scope(request.user).order_by("nom")) if practice is None else []
    initial = {}
    if practice is not None:
        initial = {name: getattr(practice, name) for name in services.FIELDS}
    elif structures:
        initial = {"network": structures[0].typologie or ""}
    form = PracticeForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        structures=structures,
        with_structure=practice is None,
    )
    if request.method == "POST" and form.is_valid():
        structure = None
        if practice is None and "structure" in form.cleaned_data:
            structure = next((s for s in structures if str(s.pk) == form.cleaned_data["structure"]), None)
        try:
            saved = services.save(request.user, form.cleaned_data, practice, structure=structure)
            if form.cleaned_data.get("file"):
                services.add_attachment(request.user, saved, form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error(None, error)
        except uploads.UploadError as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request, "La fiche est enregistrée (brouillon : elle n’est visible que de vous)."
            )
            return HttpResponseRedirect(reverse("practices:detail", args=[saved.pk]))
    title = "Modifier la fiche" if practice else "Nouvelle fiche"
    return render(request, "practices/form.html", {"title": title, "form": form, "practice": practice})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def practice_create(request: HttpRequest) -> HttpResponse:
    _require(access.can_write(request.user))
    return _form_page(request, None)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _visible(request, pk)
    _require(access.can_edit(request.user, practice))
    return _form_page(request, practice)


@never_cache
@login_required
@require_GET
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _visible(request, pk)
    context = {
        "title": practice.title,
        "practice": practice,
        "attachments": list(practice.attachments.all()),
        "can_edit": access.can_edit(request.user, practice),
        "can_review": access.can_review(request.user) and practice.status == "soumise",
        "refuse_form": RefuseForm(),
    }
    return render(request, "practices/detail.html", context)


@login_required
@require_POST
def practice_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    practice = _visible(request, pk)
    try:
        if action == "soumettre":
            services.submit(request.user, practice)
            messages.success(request, "La fiche est soumise à la Région, qui la relira avant de la publier.")
        elif action == "publier":
            services.publish(request.user, practice)
            messages.success(request, "La fiche est publiée : tout le réseau la voit.")
        elif action == "refuser":
            form = RefuseForm(request.POST)
            if not form.is_valid():
                context = {
                    "title": practice.title,
                    "practice": practice,
                    "attachments": list(practice.attachments.all()),
                    "can_edit": False,
                    "can_review": access.can_review(request.user),
                    "refuse_form": form,
                }
                return render(request, "practices/detail.html", context, status=400)
            services.refuse(request.user, practice, form.cleaned_data["reason"], form.cleaned_data["comment"])
            messages.success(request, "La fiche est refusée ; ses auteurs voient le motif.")
        else:
            raise PermissionDenied("Action inconnue.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(reverse("practices:detail", args=[practice.pk]))


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("practice"), pk=pk)
    _require(access.can_view(request.user, attachment.practice))
    return services.attachment_response(request.user, attachment)
