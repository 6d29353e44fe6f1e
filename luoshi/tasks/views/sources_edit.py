"""登记任务来源 (register a source): a document, meeting, instruction… that tasks come from."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from luoshi.access.views import rule
from luoshi.lib.forms import add_service_errors
from luoshi.tasks.forms.source import SourceForm
from luoshi.tasks.services.sources import source_create as create


@rule("source.create")
@require_http_methods(["GET", "POST"])
def source_create(request):
    form = SourceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            source = create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("任务来源“%(title)s”已登记，编号 %(code)s。现在可以添加任务。")
                % {"title": source.title, "code": source.code},
            )
            return redirect("tasks:task_create", source_pk=source.pk)
    return render(request, "tasks/forms/source_form.html", {"form": form})
