from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-up/", views.signup, name="signup"),
    path("sent/<slug:kind>/", views.mail_sent, name="mail_sent"),
    path("activation/new/", views.resend_activation, name="resend_activation"),
    # Each link of an e-mail (.../<token>/) redirects to its page without the token, declared first.
    path("activation/confirm/", views.activate_form, name="activate_form"),
    path("activation/<str:token>/", views.activate, name="activate"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("welcome/", views.after_sign_in, name="after_sign_in"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/new/", views.password_reset_form, name="password_reset_form"),
    path("password/reset/<str:token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password/change/", views.password_change, name="password_change"),
    path("e-mail/", views.email_change, name="email_change"),
    path("e-mail/confirm/", views.email_change_form, name="email_change_form"),
    path("e-mail/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
]
