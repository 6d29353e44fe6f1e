from django.urls import path

from luoshi.cadres import views

app_name = "cadres"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.review_new, name="new"),
    path("mine/", views.my_reviews, name="mine"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/export/", views.results_export, name="export"),
    path("<int:pk>/add/", views.review_add, name="add"),
    path("<int:pk>/close/", views.review_close, name="close"),
    path("<int:pk>/cadres/<int:cadre_pk>/sheets/", views.cadre_sheets, name="sheets"),
    path("<int:pk>/cadres/<int:cadre_pk>/sheet/", views.sheet, name="sheet"),
]
