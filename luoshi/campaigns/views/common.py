from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse


def back_to(pk: int, tab: str) -> str:
    return reverse("campaigns:detail", args=[pk]) + f"?tab={tab}"


def refuse(request, exc: ValidationError, url: str):
    """A refused action without a form of its own: the reasons as messages, then back."""
    for message in exc.messages:
        messages.error(request, message)
    return redirect(url)
