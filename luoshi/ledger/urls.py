from django.urls import path

from luoshi.ledger import views

app_name = "ledger"
urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="preview"),
    path("import/<int:pk>/update/", views.import_update, name="update"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("export/", views.export, name="export"),
]
