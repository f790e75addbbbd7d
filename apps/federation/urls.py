from django.urls import path

from . import views

app_name = "federation"
urlpatterns = [
    path("", views.sign_in, name="sign_in"),
    path("logout/", views.logout, name="logout"),
    path("cas/", views.cas_login, name="cas_login"),
    path("saml/metadata/", views.SamlMetadataView.as_view(), name="saml_metadata"),
    path("saml/acs/", views.SamlAcsView.as_view(), name="saml_acs"),
    path("saml/ls/", views.SamlLogoutServiceView.as_view(), name="saml_ls"),
    path("saml/<str:provider>/", views.SamlLoginView.as_view(), name="saml_login"),
    path("student/", views.student_confirm, name="student_confirm"),
    path("email/", views.give_email, name="give_email"),
    path("email/confirm/", views.confirm_email_form, name="confirm_email_form"),
    path("email/confirm/<str:token>/", views.confirm_email, name="confirm_email"),
]
