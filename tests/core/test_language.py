def test_french_by_default_whatever_the_browser_says(world, client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert b'<html lang="fr"' in response.content


def test_the_switch_chooses_english(world, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert b'<html lang="en"' in client.get("/").content
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert b'<html lang="fr"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content


def test_an_unknown_language_cookie_falls_back_to_french(world, client):
    client.cookies["django_language"] = "xx"
    assert b'<html lang="fr"' in client.get("/").content
