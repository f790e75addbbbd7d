from django.utils import translation


def fr(msgid):
    """A message as the (French by default) pages and files show it, whether or not it is translated yet."""
    with translation.override("fr"):
        return translation.gettext(msgid)
