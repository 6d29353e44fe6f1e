from django.urls import path

from luoshi.clues.views import office, public

app_name = "clues"

urlpatterns = [
    # the public (no account)
    path("", public.submit, name="submit"),
    path("status/", public.status, name="status"),
    path("captcha/", public.captcha_image, name="captcha"),
    # the office
    path("office/", office.clue_list, name="list"),
    path("office/categories/", office.category_list, name="categories"),
    path("office/<int:pk>/", office.clue_detail, name="detail"),
    path("office/<int:pk>/photo/", office.clue_photo, name="photo"),
    path("office/<int:pk>/accept-task/", office.clue_accept_task, name="accept_task"),
    path(
        "office/<int:pk>/accept-inspection/",
        office.clue_accept_inspection,
        name="accept_inspection",
    ),
    path("office/<int:pk>/merge/", office.clue_merge, name="merge"),
    path("office/<int:pk>/reject/", office.clue_reject, name="reject"),
    path("office/<int:pk>/reply/", office.clue_reply, name="reply"),
]
