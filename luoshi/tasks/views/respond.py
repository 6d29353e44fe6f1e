"""How the action views answer: back to the task page with a message. An htmx request is
told to load the page (HX-Redirect), so both paths end on the same, fresh task page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from luoshi.tasks.models import Task


def to_task(request: HttpRequest, task: Task) -> HttpResponse:
    url = reverse("tasks:detail", args=[task.pk])
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def action_done(request: HttpRequest, task: Task, message: str) -> HttpResponse:
    messages.success(request, message)
    return to_task(request, task)


def action_failed(request: HttpRequest, task: Task, exc: ValidationError) -> HttpResponse:
    """A service refused (state, duplicate…): nothing was written; say why on the task page."""
    for message in exc.messages:
        messages.error(request, message)
    return to_task(request, task)
