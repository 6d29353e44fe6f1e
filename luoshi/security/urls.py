from django.urls import path

from luoshi.security import views_account, views_admin, views_login

app_name = "security"

urlpatterns = [
    # log-in's second step (the first is /login/, luoshi/urls.py)
    path("login/code/", views_login.login_code, name="login_code"),
    # 账户安全: everyone's own
    path("account/", views_account.account, name="account"),
    path("password/", views_account.password, name="password"),
    path("totp/", views_account.totp_setup, name="totp"),
    path("totp/qr.svg", views_account.totp_qr, name="totp_qr"),
    path("totp/recovery/", views_account.recovery_renew, name="recovery_renew"),
    # the 安全管理员
    path("", views_admin.overview, name="overview"),
    path("policy/", views_admin.policy, name="policy"),
    path("unlock/", views_admin.unlock, name="unlock"),
    path("users/", views_admin.user_list, name="users"),
    path("users/<int:pk>/", views_admin.grant, name="grant"),
    path("users/<int:pk>/totp-reset/", views_admin.totp_reset, name="totp_reset"),
]
