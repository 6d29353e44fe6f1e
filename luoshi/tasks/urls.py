"""Task URLs: browsing (list, detail, tree) and actions (forms that change tasks)."""

from luoshi.tasks.action_urls import urlpatterns as action_patterns
from luoshi.tasks.browse_urls import urlpatterns as browse_patterns

app_name = "tasks"
urlpatterns = [*browse_patterns, *action_patterns]
