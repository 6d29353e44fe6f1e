"""Showing a service's ValidationError on a Django form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, exc: ValidationError, field: str | None = None) -> None:
    """Attach the service's messages to the form's fields (or to the form as a whole)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = name if name in form.fields else field
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(field, message)
