from django.template import loader


def test_500_page_renders_without_any_context():
    # Django's server_error handler renders it with no request, no site, no database.
    content = loader.get_template("500.html").render()

    assert "Erreur du serveur" in content
    assert "Server error" in content
    assert "{%" not in content


def test_unknown_site_page_renders_without_a_site():
    content = loader.get_template("tenancy/unknown_site.html").render({"site": None, "host": "x.example.org"})

    assert "Site introuvable" in content and "Site not found" in content
    assert "<code>x.example.org</code>" in content
