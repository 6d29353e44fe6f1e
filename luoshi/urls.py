from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from luoshi.access.views import public
from luoshi.security.views_login import login_view
from luoshi.worker.views import health

handler404 = "luoshi.access.views.page_not_found"  # 403 and 500: Django's, with our templates

urlpatterns = [
    # two-step log-in with lockout (luoshi/security, docs/SECURITY.md)
    path("login/", login_view, name="login"),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("healthz", health, name="health"),  # load balancers, monitors (docs/SCALE.md)
    path("", include("luoshi.home.urls")),
    path("tasks/", include("luoshi.tasks.urls")),
    path("reports/", include("luoshi.reports.urls")),
    path("extensions/", include("luoshi.extensions.urls")),
    path("rechecks/", include("luoshi.rechecks.urls")),
    path("supervision/", include("luoshi.supervision.urls")),
    path("ledger/", include("luoshi.ledger.urls")),
    path("extraction/", include("luoshi.extraction.urls")),
    path("meetings/", include("luoshi.meetings.urls")),
    path("bulletins/", include("luoshi.bulletins.urls")),
    path("evaluation/", include("luoshi.evaluation.urls")),
    path("policies/", include("luoshi.policies.urls")),
    path("outcomes/", include("luoshi.outcomes.urls")),
    path("cadres/", include("luoshi.cadres.urls")),
    path("search/", include("luoshi.search.urls")),
    path("cockpit/", include("luoshi.cockpit.urls")),
    path("campaigns/", include("luoshi.campaigns.urls")),
    path("clues/", include("luoshi.clues.urls")),
    path("security/", include("luoshi.security.urls")),
    path("api/v1/", include("luoshi.api.urls")),
    path("calendar/", include("luoshi.workcal.urls")),
    path("org/", include("luoshi.org.urls")),
    path("audit/", include("luoshi.audit.urls")),
    path("notifications/", include("luoshi.notifications.urls")),
]
